"""Answer checks for quizzes/ml/ml-workflow.yaml: each computes the keyed answer from first principles."""

import math

import numpy as np


def _ml_workflow_005() -> float:
    # Constant baseline = training mean (50); MAE on the test deliveries.
    train_mean = 50.0
    actual = np.array([40.0, 55.0, 70.0, 45.0])
    return float(np.mean(np.abs(actual - train_mean)))


def _ml_workflow_011() -> float:
    # 20% test hold-out, then 5-fold CV on the rest: each fold trains on 4/5 of the pool.
    n, test_frac, k = 50_000, 0.20, 5
    pool = n - round(n * test_frac)
    fold_sizes = [len(chunk) for chunk in np.array_split(np.arange(pool), k)]
    return pool - fold_sizes[0]


def _ml_workflow_017() -> float:
    # Throughput of back-to-back full batches.
    batch_size, batch_seconds = 32, 0.080
    return batch_size / batch_seconds


def _ml_workflow_019() -> float:
    # Recall at a review capacity of 200: frauds among the top-200 alerts / all frauds that day.
    frauds_total, frauds_in_top_k = 300, 120
    labels_top_k = [1] * frauds_in_top_k + [0] * (200 - frauds_in_top_k)
    return sum(labels_top_k) / frauds_total


def _ml_workflow_026() -> float:
    # Prior-shift correction of a probability trained on a 50/50 resampled set.
    p_model, prior_prod, prior_train = 0.8, 0.02, 0.5
    odds = p_model / (1 - p_model)
    odds *= (prior_prod / (1 - prior_prod)) / (prior_train / (1 - prior_train))
    # Equivalent Bayes form: reweight class-conditional likelihood ratios.
    bayes = (p_model * prior_prod / prior_train) / (
        p_model * prior_prod / prior_train + (1 - p_model) * (1 - prior_prod) / (1 - prior_train)
    )
    assert math.isclose(bayes, odds / (1 + odds))
    return odds / (1 + odds)


def _ml_workflow_007() -> str:
    rows = [
        ("2024-01-03", 1),
        ("2024-02-10", 0),
        ("2024-01-28", 1),
        ("2024-03-01", 0),
        ("2024-02-02", 1),
    ]
    from datetime import date

    cutoff = date(2024, 2, 1)
    train = [r for r in rows if date.fromisoformat(r[0]) < cutoff]
    test = [r for r in rows if date.fromisoformat(r[0]) >= cutoff]
    return f"`{len(train)} {len(test)} {sum(y for _, y in test)}`"


def _ml_workflow_028() -> float:
    rows = np.arange(10_000)
    train_end, validation_end = int(0.70 * len(rows)), int(0.85 * len(rows))
    return float(len(rows[train_end:validation_end]))


def _ml_workflow_031() -> float:
    flagged, precision, review_cost, saving = 1000, 0.05, 2, 100
    caught = round(flagged * precision)
    return float(caught * saving - flagged * review_cost)


def _ml_workflow_032() -> float:
    events = [(0.5, 0.25, 1), (0.2, 0.6, 1), (0.4, 0.4, 0), (0.8, 0.2, 1)]
    weighted = [reward * new / old for old, new, reward in events]
    return sum(weighted) / len(weighted)


CHECKS = {
    "ml-workflow-005": _ml_workflow_005,
    "ml-workflow-007": _ml_workflow_007,
    "ml-workflow-011": _ml_workflow_011,
    "ml-workflow-017": _ml_workflow_017,
    "ml-workflow-019": _ml_workflow_019,
    "ml-workflow-026": _ml_workflow_026,
    "ml-workflow-028": _ml_workflow_028,
    "ml-workflow-031": _ml_workflow_031,
    "ml-workflow-032": _ml_workflow_032,
}
