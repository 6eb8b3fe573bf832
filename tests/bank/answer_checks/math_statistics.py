"""Answer checks for quizzes/math/statistics.yaml: each computes the keyed answer from first principles."""

import itertools
import math

import numpy as np


def _statistics_001() -> str:
    data = [10, 3, 17, 8, 7]
    mean = sum(data) / len(data)
    return f"{mean:g}"


def _statistics_002() -> float:
    return float(np.median([14, 3, 9, 21, 6, 11]))


def _statistics_003() -> str:
    staff = [48, 52, 55, 58, 60, 61, 63, 66]
    everyone = staff + [2000]
    shift_mean = abs(np.mean(everyone) - np.mean(staff))
    shift_median = abs(np.median(everyone) - np.median(staff))
    return "median" if shift_median < shift_mean else "mean"


def _statistics_004() -> bool:
    def width(n, s=10.0, z=1.96):
        return 2 * z * s / math.sqrt(n)

    return width(400) < width(100)


def _statistics_005() -> float:
    return float(np.var([2, 4, 4, 6, 9], ddof=1))


def _statistics_006() -> str:
    se = 12 / math.sqrt(36)
    return f"{se:g} ms"


def _statistics_009() -> bool:
    # Statement: with more requests, the histogram of individual skewed latencies becomes normal.
    # Draw exponential latencies: the skewness of the data stays near 2 whatever n is, while the
    # skewness of sample means of size n shrinks like 2 / sqrt(n).
    rng = np.random.default_rng(0)

    def skew(a: np.ndarray) -> float:
        d = a - a.mean()
        return float(np.mean(d**3) / np.mean(d**2) ** 1.5)

    data_large = rng.exponential(1.0, size=10_000)
    means = rng.exponential(1.0, size=(5_000, 100)).mean(axis=1)
    assert skew(means) < 0.5  # the CLT acts on the means ...
    return abs(skew(data_large)) < 0.5  # ... not on the individual latencies


def _statistics_010() -> set:
    def width(n=100, s=10.0, z=1.96):
        return 2 * z * s / math.sqrt(n)

    base = width()
    z90 = 1.6448536269514722
    z99 = 2.5758293035489004
    candidates = {
        "Collect a larger sample.": width(n=400),
        "Report a 90% interval instead of a 95% interval.": width(z=z90),
        "Measure with a less noisy timer, so the data's standard deviation drops.": width(s=5.0),
        "Report a 99% interval instead of a 95% interval.": width(z=z99),
        "Compute the interval from only the first half of the collected sample.": width(n=50),
    }
    return {text for text, w in candidates.items() if w < base}


def _statistics_011() -> float:
    n, k = 400, 120
    p = k / n
    return 100 * 1.96 * math.sqrt(p * (1 - p) / n)


def _statistics_012() -> float:
    x = [2, 4, 6, 8, 10]
    y = [3, 7, 5, 11, 9]
    return float(np.corrcoef(x, y)[0, 1])


def _statistics_013() -> float:
    return 1 - (1 - 0.05) ** 20


def _statistics_016() -> str:
    # n per arm proportional to (p1(1-p1) + p2(1-p2)) / delta^2
    def n_needed(p1, p2):
        return (1.96 + 0.8416) ** 2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p2 - p1) ** 2

    ratio = n_needed(0.10, 0.11) / n_needed(0.10, 0.12)
    options = {"About 16,000": 16000, "About 8,000": 8000, "About 5,700": 5700, "About 2,000": 2000}
    target = 4000 * ratio
    return min(options, key=lambda t: abs(options[t] - target))


def _statistics_017() -> float:
    return 20 - 2.306 * 6 / math.sqrt(9)


def _statistics_018() -> float:
    # exact enumeration is too big; count by complement: each draw independently misses the item
    n = 10
    return ((n - 1) / n) ** n


def _statistics_019() -> float:
    x1, n1, x2, n2 = 200, 2000, 250, 2000
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return (x2 / n2 - x1 / n1) / se


def _statistics_020() -> str:
    a = {"easy": (180, 200), "hard": (240, 800)}
    b = {"easy": (680, 800), "hard": (50, 200)}

    def rate(d, k=None):
        if k is None:
            return sum(c for c, _ in d.values()) / sum(t for _, t in d.values())
        return d[k][0] / d[k][1]

    a_wins_segments = all(rate(a, k) > rate(b, k) for k in a)
    b_wins_overall = rate(b) > rate(a)
    assert a_wins_segments and b_wins_overall
    return (
        "A is better on both question types; B's overall lead comes from its easier question mix."
    )


def _statistics_022() -> float:
    prior, power, alpha = 0.10, 0.50, 0.05
    true_pos = prior * power
    false_pos = (1 - prior) * alpha
    return true_pos / (true_pos + false_pos)


def _statistics_023() -> float:
    # Exact expectation by enumeration: X = +-sqrt(10) with prob 1/2 each has variance 10.
    v = math.sqrt(10)
    n = 5
    total = 0.0
    for sample in itertools.product([-v, v], repeat=n):
        m = sum(sample) / n
        total += sum((s - m) ** 2 for s in sample) / n
    return total / 2**n


def _statistics_024() -> float:
    var, rho, n = 0.16, 0.75, 800
    var_diff = var + var - 2 * rho * var
    return math.sqrt(var_diff / n)


def _statistics_025() -> str:
    n, control = 100_000, 50_600
    z = (control - n * 0.5) / math.sqrt(n * 0.25)
    assert abs(z) > 3
    return "Stop and investigate assignment and logging before trusting any metric from the test."


def _statistics_026() -> float:
    users, m, rho = 10_000, 10, 0.2
    return users * m / (1 + (m - 1) * rho)


def _statistics_028() -> float:
    mean, n = 86, 4
    return float(mean * n - (84 + 85 + 87))


def _statistics_029() -> set:
    rng = np.random.default_rng(7)
    typical = rng.uniform(20, 80, size=999)
    with_outlier = np.append(typical, 600_000.0)

    def iqr(v):
        q75, q25 = np.percentile(v, [75, 25])
        return q75 - q25

    statistics = {
        "The median": np.median,
        "The interquartile range (IQR)": iqr,
        "The mean": np.mean,
        "The standard deviation": np.std,
        "The maximum minus the minimum (the range)": np.ptp,
    }
    return {
        text
        for text, f in statistics.items()
        if abs(f(with_outlier) - f(typical)) <= 0.05 * abs(f(typical))
    }


def _statistics_030() -> float:
    rng = np.random.default_rng(8)
    x = rng.normal(size=2000)
    noise = rng.normal(size=2000)
    noise -= np.polyval(np.polyfit(x, noise, 1), x)  # make noise uncorrelated with x
    y = -0.6 * x / x.std() + 0.8 * noise / noise.std()
    r = np.corrcoef(x, y)[0, 1]
    slope, intercept = np.polyfit(x, y, 1)
    residual = y - (slope * x + intercept)
    r_squared = 1 - residual.var() / y.var()
    assert math.isclose(r, -0.6, abs_tol=1e-9) and math.isclose(r_squared, r**2)
    return r**2


def _statistics_031() -> float:
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205, 0.212, 0.216]
    q, m = 0.05, len(p)
    ranked = sorted(p)
    passing = [i for i in range(1, m + 1) if ranked[i - 1] <= i * q / m]
    return float(max(passing, default=0))


def _statistics_032() -> float:
    rng = np.random.default_rng(9)
    rho, n = 0.6, 400_000
    x = rng.normal(size=n)
    y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=n)
    theta = np.cov(x, y)[0, 1] / x.var(ddof=1)
    adjusted = y - theta * (x - x.mean())
    simulated = adjusted.var() / y.var()
    assert abs(simulated - (1 - rho**2)) < 0.01
    return 100 * (1 - rho**2)


CHECKS = {
    "statistics-001": _statistics_001,
    "statistics-002": _statistics_002,
    "statistics-003": _statistics_003,
    "statistics-004": _statistics_004,
    "statistics-005": _statistics_005,
    "statistics-006": _statistics_006,
    "statistics-009": _statistics_009,
    "statistics-010": _statistics_010,
    "statistics-011": _statistics_011,
    "statistics-012": _statistics_012,
    "statistics-013": _statistics_013,
    "statistics-016": _statistics_016,
    "statistics-017": _statistics_017,
    "statistics-018": _statistics_018,
    "statistics-019": _statistics_019,
    "statistics-020": _statistics_020,
    "statistics-022": _statistics_022,
    "statistics-023": _statistics_023,
    "statistics-024": _statistics_024,
    "statistics-025": _statistics_025,
    "statistics-026": _statistics_026,
    "statistics-028": _statistics_028,
    "statistics-029": _statistics_029,
    "statistics-030": _statistics_030,
    "statistics-031": _statistics_031,
    "statistics-032": _statistics_032,
}
