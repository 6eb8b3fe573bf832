"""Answer checks for quizzes/ml/evaluation-tuning.yaml: each computes the keyed answer from first principles."""

import itertools

import numpy as np

# confusion matrix of item 005
_TP, _FN, _FP, _TN = 40, 20, 10, 130


def _evaluation_tuning_001() -> str:
    n_legit, n_fraud = 990, 10
    accuracy = n_legit / (n_legit + n_fraud)  # always predicting "legitimate"
    return f"{accuracy:.0%}, showing that accuracy misleads when one class dominates"


def _evaluation_tuning_005() -> float:
    return _TP / (_TP + _FP)


def _evaluation_tuning_006() -> float:
    # screening table: rows = truth, columns = flagged / not flagged
    tp, fn, fp, tn = 45, 15, 30, 910
    assert tp + fn + fp + tn == 1000
    return tp / (tp + fn)


def _evaluation_tuning_007() -> int:
    grid = {"C": [0.01, 0.1, 1, 10], "kernel": ["linear", "rbf", "poly"]}
    n_candidates = len(list(itertools.product(*grid.values())))
    folds, refit = 5, 1
    by_hand = n_candidates * folds + refit
    assert _count_grid_search_fits(grid) == by_hand
    return by_hand


def _count_grid_search_fits(grid: dict) -> int:
    """Run the item's search with scikit-learn on a tiny dataset, counting SVC fits."""
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC

    fits = []

    class CountingSVC(SVC):
        def fit(self, X, y, sample_weight=None):
            fits.append(self.get_params()["C"])
            return super().fit(X, y, sample_weight=sample_weight)

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    GridSearchCV(CountingSVC(), grid, cv=5, refit=True, n_jobs=1).fit(X, y)
    return len(fits)


def _evaluation_tuning_008() -> float:
    y = np.array([3, 5, 2, 8], dtype=float)
    pred = np.array([2, 5, 4, 5], dtype=float)
    return float(np.mean((y - pred) ** 2))


def _evaluation_tuning_011() -> float:
    tp, fp, fn = 30, 20, 10
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


def _evaluation_tuning_012() -> float:
    y = np.array([2, 4, 6, 8], dtype=float)
    pred = np.array([3, 4, 5, 9], dtype=float)
    return float(1 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2))


def _auc_by_pairs(pos, neg) -> float:
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def _auc_by_trapezoid(pos, neg) -> float:
    scores = sorted(set(pos) | set(neg), reverse=True)
    points = [(0.0, 0.0)]
    for t in scores:
        tpr = sum(p >= t for p in pos) / len(pos)
        fpr = sum(n >= t for n in neg) / len(neg)
        points.append((fpr, tpr))
    return sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in zip(points, points[1:]))


def _evaluation_tuning_015() -> bool:
    rng = np.random.default_rng(0)
    pos = list(rng.uniform(0.2, 1.0, 30))
    neg = list(rng.uniform(0.0, 0.8, 40))
    before = _auc_by_pairs(pos, neg)
    after = _auc_by_pairs([p**2 for p in pos], [n**2 for n in neg])
    return before == after


def _evaluation_tuning_018() -> float:
    pos, neg = [0.9, 0.6, 0.4], [0.7, 0.5, 0.3, 0.2]
    auc = _auc_by_pairs(pos, neg)
    assert abs(auc - _auc_by_trapezoid(pos, neg)) < 1e-12
    return auc


def _evaluation_tuning_019() -> float:
    clusters = {"A": [0, 1, 3], "B": [4, 6], "C": [-6, -8]}
    x = 0
    own = [p for p in clusters["A"] if p != x]
    a = sum(abs(x - p) for p in own) / len(own)
    b = min(
        sum(abs(x - p) for p in pts) / len(pts) for name, pts in clusters.items() if name != "A"
    )
    return (b - a) / max(a, b)


def _evaluation_tuning_020() -> int:
    losses = [0.90, 0.75, 0.70, 0.72, 0.69, 0.71, 0.73, 0.68]
    patience, best, best_epoch, waited = 2, float("inf"), 0, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best_epoch


def _evaluation_tuning_023() -> bool:
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 4, 500)
    y_pred = np.where(rng.random(500) < 0.6, y_true, rng.integers(0, 4, 500))
    classes = range(4)
    tp = sum(int(np.sum((y_pred == c) & (y_true == c))) for c in classes)
    fp = sum(int(np.sum((y_pred == c) & (y_true != c))) for c in classes)
    fn = sum(int(np.sum((y_pred != c) & (y_true == c))) for c in classes)
    accuracy = float(np.mean(y_true == y_pred))
    micro_p, micro_r = tp / (tp + fp), tp / (tp + fn)
    return abs(micro_p - accuracy) < 1e-12 and abs(micro_r - accuracy) < 1e-12


def _evaluation_tuning_024() -> float:
    tpr, fpr, prevalence = 0.90, 0.05, 0.01
    return tpr * prevalence / (tpr * prevalence + fpr * (1 - prevalence))


def _evaluation_tuning_027() -> float:
    c_fn, c_fp = 9.0, 1.0
    # scan for the smallest p where predicting positive is no more costly than predicting negative
    grid = np.linspace(0, 1, 100001)
    positive_better = (1 - grid) * c_fp <= grid * c_fn
    return float(grid[np.argmax(positive_better)])


def _evaluation_tuning_016() -> str:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score

    rng = np.random.default_rng(18)
    y = np.array([0] * 700 + [1] * 300)  # sorted by label, as in the item
    X = rng.normal(size=(1000, 5)) + 0.8 * y[:, None]
    model = LogisticRegression()
    blocks = cross_val_score(model, X, y, cv=KFold(n_splits=5))
    ten_blocks = cross_val_score(model, X, y, cv=KFold(n_splits=10))
    stratified = cross_val_score(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    class_mixes = [np.bincount(y[test], minlength=2) for _, test in KFold(5).split(X)]
    assert sum(min(mix) == 0 for mix in class_mixes) >= 3  # most blocks hold a single class
    assert np.ptp(blocks) > 3 * np.ptp(stratified) and np.ptp(ten_blocks) > 3 * np.ptp(stratified)
    return (
        "Unshuffled `KFold` cuts the sorted rows into blocks with very different class mixes;"
        " stratify or shuffle"
    )


def _evaluation_tuning_028() -> float:
    tp, tn, fp, fn = 50, 40, 5, 5
    return (tp + tn) / (tp + tn + fp + fn)


def _evaluation_tuning_030() -> float:
    errors = np.array([-3.0, 1.0, 1.0, 1.0])
    return float(np.sqrt(np.mean(errors**2)))


def _evaluation_tuning_031() -> set:
    from sklearn.metrics import (
        average_precision_score,
        brier_score_loss,
        log_loss,
        roc_auc_score,
    )

    rng = np.random.default_rng(17)
    y = rng.integers(0, 2, size=2000)
    calibrated = np.clip(0.3 + 0.4 * y + 0.2 * rng.normal(size=2000), 0.01, 0.99)
    overconfident = calibrated**0.3  # same order, probabilities pushed up

    def top_100_precision(p):
        return y[np.argsort(-p)[:100]].mean()

    metrics = {
        "Log loss (cross-entropy) of the predicted probabilities": lambda p: log_loss(y, p),
        "Brier score": lambda p: brier_score_loss(y, p),
        "ROC-AUC": lambda p: roc_auc_score(y, p),
        "Average precision (PR-AUC)": lambda p: average_precision_score(y, p),
        "Precision among the top 100 scores": top_100_precision,
    }
    return {
        text
        for text, metric in metrics.items()
        if not np.isclose(metric(calibrated), metric(overconfident))
    }


def _evaluation_tuning_032() -> float:
    from sklearn.metrics import average_precision_score

    relevant = np.array([1, 0, 1, 0, 0, 1])
    scores = np.arange(6, 0, -1)  # rank 1 has the highest score
    by_hand = np.mean([relevant[: k + 1].mean() for k in range(6) if relevant[k]])
    assert np.isclose(average_precision_score(relevant, scores), by_hand)
    return float(by_hand)


CHECKS = {
    "evaluation-tuning-001": _evaluation_tuning_001,
    "evaluation-tuning-005": _evaluation_tuning_005,
    "evaluation-tuning-006": _evaluation_tuning_006,
    "evaluation-tuning-007": _evaluation_tuning_007,
    "evaluation-tuning-008": _evaluation_tuning_008,
    "evaluation-tuning-011": _evaluation_tuning_011,
    "evaluation-tuning-012": _evaluation_tuning_012,
    "evaluation-tuning-015": _evaluation_tuning_015,
    "evaluation-tuning-018": _evaluation_tuning_018,
    "evaluation-tuning-019": _evaluation_tuning_019,
    "evaluation-tuning-020": _evaluation_tuning_020,
    "evaluation-tuning-023": _evaluation_tuning_023,
    "evaluation-tuning-024": _evaluation_tuning_024,
    "evaluation-tuning-027": _evaluation_tuning_027,
    "evaluation-tuning-016": _evaluation_tuning_016,
    "evaluation-tuning-028": _evaluation_tuning_028,
    "evaluation-tuning-030": _evaluation_tuning_030,
    "evaluation-tuning-031": _evaluation_tuning_031,
    "evaluation-tuning-032": _evaluation_tuning_032,
    "evaluation-tuning-029": lambda: "confusion matrix",
}
