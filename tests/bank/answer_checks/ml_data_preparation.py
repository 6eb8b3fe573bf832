"""Answer checks for quizzes/ml/data-preparation.yaml: each computes the keyed answer from first principles."""

import statistics

import numpy as np


def _data_preparation_003() -> float:
    # z-score of 82 with training mean 70 and std 8.
    return (82 - 70) / 8


def _data_preparation_005() -> float:
    # Min-max scaling with training min 20, max 80.
    lo, hi, x = 20, 80, 35
    return (x - lo) / (hi - lo)


def _data_preparation_007() -> str:
    ages = [34, None, 29, 41, None, 52]
    known = sorted(a for a in ages if a is not None)
    mid = len(known) // 2
    fill = (known[mid - 1] + known[mid]) / 2 if len(known) % 2 == 0 else known[mid]
    return "`" + str([a if a is not None else fill for a in ages]) + "`"


def _data_preparation_015() -> float:
    # One-hot with drop="first": k - 1 columns per categorical feature, plus numeric columns.
    categorical_cardinalities = {"colour": 5, "size": 3, "country": 12}
    n_numeric = 4
    return n_numeric + sum(k - 1 for k in categorical_cardinalities.values())


def _data_preparation_017() -> str:
    train = ["red", "green", "red", "blue"]
    test = ["green", "purple", "red"]
    cats = sorted(set(train))
    eye = np.eye(len(cats), dtype=int)
    rows = [eye[cats.index(v)].tolist() if v in cats else [0] * len(cats) for v in test]
    return "`" + str(rows) + "`"


def _data_preparation_019() -> float:
    # Smoothed target encoding: 4 rows, 3 positive, global mean 0.2, m = 10.
    labels = [1, 1, 1, 0]
    n, m, global_mean = len(labels), 10, 0.2
    return (n * statistics.mean(labels) + m * global_mean) / (n + m)


def _data_preparation_020() -> float:
    # class_weight="balanced": w_c = n_samples / (n_classes * n_c).
    y = np.array([0] * 950 + [1] * 50)
    classes, counts = np.unique(y, return_counts=True)
    weights = len(y) / (len(classes) * counts)
    return weights[1] / weights[0]


def _data_preparation_024() -> str:
    labels = [1, 0, 1, 1, 0]
    total, n = sum(labels), len(labels)
    loo = [(total - y) / (n - 1) for y in labels]
    pos = {v for v, y in zip(loo, labels) if y == 1}
    neg = {v for v, y in zip(loo, labels) if y == 0}
    assert len(pos) == 1 and len(neg) == 1 and pos.isdisjoint(neg)  # encoding separates labels
    return (
        f"Rows labelled 1 get {pos.pop()} and rows labelled 0 get {neg.pop()}, "
        "so within the category the encoding reveals each row's own label"
    )


def _data_preparation_026() -> str:
    # Retransformation bias: exp(E[log y]) vs E[y] for right-skewed y with log-normal noise.
    rng = np.random.default_rng(0)
    log_y = 12.0 + rng.normal(0.0, 0.5, size=200_000)  # one feature cell, symmetric log residuals
    y = np.exp(log_y)
    back_transformed = np.exp(log_y.mean())  # what an MSE model on log(y) returns
    assert back_transformed < y.mean()
    assert abs(back_transformed - np.median(y)) / np.median(y) < 0.01
    assert abs(y.mean() / back_transformed - np.exp(0.5**2 / 2)) < 0.01
    return (
        "Too low, because exp of the predicted mean log-price estimates the median, "
        "which is below the mean"
    )


def _data_preparation_027() -> bool:
    # L2-regularised logistic regression (fixed strength) fitted by gradient descent,
    # before and after multiplying one feature by 1000: do predictions stay identical?
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.5, size=200) > 0).astype(float)

    def fit(Xf, lam=1.0, iters=20_000):
        Xs = Xf / Xf.std(axis=0)  # optimise in a well-conditioned space, map back after
        scale = Xf.std(axis=0)
        w = np.zeros(Xf.shape[1])
        b = 0.0
        for _ in range(iters):
            z = Xs @ w + b
            p = 1 / (1 + np.exp(-z))
            # penalty lam * ||beta||^2 on the ORIGINAL coefficients beta = w / scale
            gw = Xs.T @ (p - y) / len(y) + 2 * lam * (w / scale**2) / len(y)
            gb = np.mean(p - y)
            w -= 0.5 * gw
            b -= 0.5 * gb
        return 1 / (1 + np.exp(-(Xs @ w + b)))

    X2 = X.copy()
    X2[:, 0] *= 1000
    return bool(np.allclose(fit(X), fit(X2), atol=1e-6))


def _data_preparation_011() -> float:
    # Robust scaling with training median 20, Q1 16, Q3 24.
    median, q1, q3, x = 20.0, 16.0, 24.0, 30.0
    return (x - median) / (q3 - q1)


def _data_preparation_028() -> float:
    import pandas as pd

    originals = pd.DataFrame({"id": range(960)})
    copies = originals.iloc[:40]  # 40 rows copied once
    table = pd.concat([originals, copies], ignore_index=True)
    assert len(table) == 1000
    return float(len(table.drop_duplicates()))


def _data_preparation_031() -> str:
    import scipy.sparse
    from sklearn.preprocessing import MaxAbsScaler, StandardScaler

    X = scipy.sparse.random(50, 2000, density=0.001, format="csr", random_state=0)
    try:
        StandardScaler().fit(X)
        refused = False
    except ValueError:  # scikit-learn refuses to centre sparse input
        refused = True
    dense_shifted = X.toarray() - X.toarray().mean(axis=0)
    zeros_lost = np.count_nonzero(dense_shifted) > 10 * X.nnz
    kept_sparse = scipy.sparse.issparse(StandardScaler(with_mean=False).fit_transform(X))
    kept_sparse &= scipy.sparse.issparse(MaxAbsScaler().fit_transform(X))
    assert refused and kept_sparse
    return (
        "Centring subtracts each column's mean and turns the zeros into non-zeros"
        if zeros_lost
        else "?"
    )


def _data_preparation_032() -> str:
    import pandas as pd

    demand = pd.Series(np.arange(20, dtype=float))
    smooth = demand.rolling(5, center=True).mean()
    changed_future = demand.copy()
    changed_future[12:] += 100.0  # change only days after day 10
    uses_future = smooth[10] != changed_future.rolling(5, center=True).mean()[10]
    trailing_is_safe = demand.rolling(5).mean()[10] == changed_future.rolling(5).mean()[10]
    assert trailing_is_safe
    return (
        "A centred window averages the two following days too, which are not known yet"
        if uses_future
        else "?"
    )


CHECKS = {
    "data-preparation-011": _data_preparation_011,
    "data-preparation-003": _data_preparation_003,
    "data-preparation-005": _data_preparation_005,
    "data-preparation-007": _data_preparation_007,
    "data-preparation-015": _data_preparation_015,
    "data-preparation-017": _data_preparation_017,
    "data-preparation-019": _data_preparation_019,
    "data-preparation-020": _data_preparation_020,
    "data-preparation-024": _data_preparation_024,
    "data-preparation-026": _data_preparation_026,
    "data-preparation-027": _data_preparation_027,
    "data-preparation-028": _data_preparation_028,
    "data-preparation-031": _data_preparation_031,
    "data-preparation-032": _data_preparation_032,
}
