"""Answer checks for quizzes/ml/supervised-learning.yaml: each computes the keyed answer from first principles."""

import math
from collections import Counter

import numpy as np


def _supervised_learning_003() -> float:
    intercept, slope, area = 40, 2.5, 80
    return intercept + slope * area


def _gini(counts) -> float:
    n = sum(counts)
    return 1 - sum((c / n) ** 2 for c in counts)


def _entropy(counts) -> float:
    n = sum(counts)
    return -sum(c / n * math.log2(c / n) for c in counts if c)


def _supervised_learning_005() -> float:
    return _gini([6, 4])


def _supervised_learning_006() -> str:
    points = {
        "P1": ((1, 0), "blue"),
        "P2": ((0, 2), "red"),
        "P3": ((-2, 1), "red"),
        "P4": ((3, 0), "blue"),
        "P5": ((0, -4), "blue"),
    }
    query = np.array([0, 0])
    ranked = sorted(points.values(), key=lambda p: np.linalg.norm(np.array(p[0]) - query))
    dists = sorted(np.linalg.norm(np.array(p[0]) - query) for p in points.values())
    assert len(set(np.round(dists, 9))) == len(dists)  # no ties
    vote = lambda k: Counter(label for _, label in ranked[:k]).most_common(1)[0][0]
    return f"k = 1: {vote(1)}; k = 3: {vote(3)}"


def _supervised_learning_011() -> float:
    parent, left, right = [8, 8], [6, 2], [2, 6]
    n = sum(parent)
    weighted = sum(sum(c) / n * _entropy(c) for c in (left, right))
    return _entropy(parent) - weighted


def _supervised_learning_012() -> float:
    coef, delta = 0.35, 2
    # odds(x + delta) / odds(x) for an arbitrary base log-odds
    z0 = -0.3
    odds = lambda z: math.exp(z)  # p / (1 - p) = e^z
    return odds(z0 + coef * delta) / odds(z0)


def _supervised_learning_018() -> str:
    x = np.array([1.0, 2.0, 3.0])
    y = 2 * x
    w = 0.0
    for _ in range(2):
        w -= 0.1 * np.mean(2 * (w * x - y) * x)
    return f"`{round(w, 3)}`"


def _supervised_learning_019() -> float:
    prior = {"spam": 0.3, "ham": 0.7}
    lik = {"spam": [0.4, 0.1], "ham": [0.05, 0.3]}
    joint = {c: prior[c] * math.prod(lik[c]) for c in prior}
    return joint["spam"] / sum(joint.values())


def _supervised_learning_023() -> float:
    # Ridge through the origin: minimise sum (y - b x)^2 + lam b^2, solved numerically.
    x = np.array([1.0, 2.0, 3.0])
    y = np.array([2.0, 3.0, 5.0])
    lam = 2.0
    A = np.vstack([x[:, None], np.sqrt(lam) * np.eye(1)])  # augmented least squares
    b = np.concatenate([y, [0.0]])
    beta, *_ = np.linalg.lstsq(A, b, rcond=None)
    return float(beta[0])


def _supervised_learning_024() -> bool:
    # 1-D two-class Gaussian NB with different variances: is log p1(x)/p0(x) linear in x?
    mu0, s0, mu1, s1 = 0.0, 1.0, 1.0, 2.0
    logpdf = lambda x, m, s: -0.5 * math.log(2 * math.pi * s * s) - (x - m) ** 2 / (2 * s * s)
    f = lambda x: logpdf(x, mu1, s1) - logpdf(x, mu0, s0)
    second_difference = f(1.0) - 2 * f(0.0) + f(-1.0)  # zero for any linear function
    return abs(second_difference) < 1e-12


def _supervised_learning_025() -> float:
    residuals = np.array([2.0, 3.0, -1.0, 4.0])  # y - y_hat
    lam = 1.0
    g = -residuals  # d/dy_hat of 0.5 * (y - y_hat)^2
    h = np.ones_like(residuals)
    return -g.sum() / (h.sum() + lam)


def _supervised_learning_027() -> float:
    # Smallest z with sigmoid(z) >= 0.8, found by bisection.
    lo, hi = -20.0, 20.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 1 / (1 + math.exp(-mid)) >= 0.8:
            hi = mid
        else:
            lo = mid
    return hi


def _supervised_learning_028() -> float:
    return float(np.mean([10, 14, 12]))


def _supervised_learning_030() -> set:
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import LinearSVC
    from sklearn.tree import DecisionTreeClassifier

    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])

    def mlp(inputs):  # one hidden layer of two ReLU units, weights set by hand
        hidden = np.maximum(0, inputs @ np.array([[1.0, -1.0], [-1.0, 1.0]]))
        return (hidden.sum(axis=1) > 0.5).astype(int)

    with_product = np.column_stack([X, X[:, 0] * X[:, 1]])
    predictions = {
        "A decision tree of depth 2": DecisionTreeClassifier(max_depth=2, random_state=0)
        .fit(X, y)
        .predict(X),
        "A 1-nearest-neighbour classifier trained on the four points": KNeighborsClassifier(1)
        .fit(X, y)
        .predict(X),
        "An MLP with one hidden layer of two ReLU units": mlp(X),
        "Logistic regression on x₁, x₂ and the product x₁·x₂": LogisticRegression(C=1e6)
        .fit(with_product, y)
        .predict(with_product),
        "Logistic regression on x₁ and x₂ only": LogisticRegression(C=1e6).fit(X, y).predict(X),
        "A linear SVM on x₁ and x₂": LinearSVC(C=1e3, max_iter=100_000).fit(X, y).predict(X),
    }
    return {text for text, predicted in predictions.items() if np.array_equal(predicted, y)}


def _supervised_learning_031() -> str:
    from sklearn.linear_model import Lasso, Ridge

    rng = np.random.default_rng(14)
    base = rng.normal(size=500)
    X = np.column_stack([base, base + 0.14 * rng.normal(size=500)])
    assert np.corrcoef(X.T)[0, 1] > 0.98
    y = 2 * base + 0.5 * rng.normal(size=500)  # the target depends on the shared quantity
    lasso = Lasso(alpha=0.5).fit(X, y).coef_
    ridge = Ridge(alpha=500.0).fit(X, y).coef_
    lasso_picks_one = min(abs(lasso)) < 0.05 * max(abs(lasso)) and max(abs(lasso)) > 0.5
    ridge_splits = min(abs(ridge)) > 0.7 * max(abs(ridge))
    return (
        "Lasso keeps one and sets the other near or exactly 0; ridge splits the weight between them"
        if lasso_picks_one and ridge_splits
        else "?"
    )


def _supervised_learning_032() -> float:
    error = 0.2
    alpha = 0.5 * math.log((1 - error) / error)
    assert math.isclose(math.exp(alpha), 2.0)  # the factor applied to misclassified weights
    return alpha


CHECKS = {
    "supervised-learning-003": _supervised_learning_003,
    "supervised-learning-005": _supervised_learning_005,
    "supervised-learning-006": _supervised_learning_006,
    "supervised-learning-011": _supervised_learning_011,
    "supervised-learning-012": _supervised_learning_012,
    "supervised-learning-018": _supervised_learning_018,
    "supervised-learning-019": _supervised_learning_019,
    "supervised-learning-023": _supervised_learning_023,
    "supervised-learning-024": _supervised_learning_024,
    "supervised-learning-025": _supervised_learning_025,
    "supervised-learning-027": _supervised_learning_027,
    "supervised-learning-028": _supervised_learning_028,
    "supervised-learning-030": _supervised_learning_030,
    "supervised-learning-031": _supervised_learning_031,
    "supervised-learning-032": _supervised_learning_032,
}
