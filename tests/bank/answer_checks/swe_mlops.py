"""Answer checks for quizzes/swe/mlops.yaml: each computes the keyed answer from first principles."""

import math
from datetime import datetime

import numpy as np


def _mlops_018() -> float:
    # Population Stability Index over three bins.
    expected = np.array([0.2, 0.5, 0.3])
    actual = np.array([0.1, 0.5, 0.4])
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def _mlops_019() -> float:
    # z-score of an observed positive count under Binomial(n, p0), normal approximation.
    n, p0, observed = 1000, 0.08, 130
    mean = n * p0
    sd = math.sqrt(n * p0 * (1 - p0))
    return (observed - mean) / sd


def _mlops_026() -> str:
    # Point-in-time (as-of) join: latest value available at or before the event time.
    event = datetime(2024, 3, 7, 14, 0)
    rows = [
        (datetime(2024, 3, 1, 0, 0), 42.0),
        (datetime(2024, 3, 5, 0, 0), 55.0),
        (datetime(2024, 3, 7, 18, 0), 58.0),
        (datetime(2024, 3, 9, 0, 0), 61.0),
    ]
    available = [(ts, value) for ts, value in rows if ts <= event]
    _, value = max(available)
    return f"{value:.1f}"


def _mlops_027() -> float:
    # Exact one-sided 95% upper bound for a proportion with 0 events in n trials, in percent:
    # (1 - p)^n = 0.05  =>  p = 1 - 0.05 ** (1 / n).
    n = 1500
    return 100 * (1 - 0.05 ** (1 / n))


def _mlops_031() -> float:
    # Probability that at least one of 30 independent tests at alpha = 0.01 fires, in percent.
    tests, alpha = 30, 0.01
    return 100 * (1 - (1 - alpha) ** tests)


CHECKS = {
    "mlops-018": _mlops_018,
    "mlops-019": _mlops_019,
    "mlops-026": _mlops_026,
    "mlops-027": _mlops_027,
    "mlops-031": _mlops_031,
}
