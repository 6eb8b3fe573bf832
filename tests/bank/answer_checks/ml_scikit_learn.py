"""Answer checks for quizzes/ml/scikit-learn.yaml.

Numeric keys are computed from first principles (counting, the formulas the explanations
state); behaviour keys (what raises, what is fitted, what refits) are checked against the
installed scikit-learn itself, so an upgrade that changes the behaviour fails here.
The items' code-output snippets are run separately by test_answer_keys.py.
"""

import copy
import math
import pickle
from collections.abc import Callable

import numpy as np


def _raises_not_fitted(call: Callable[[], object]) -> bool:
    from sklearn.exceptions import NotFittedError

    try:
        call()
    except NotFittedError:
        return True
    return False


def _tiny_binary() -> tuple[np.ndarray, np.ndarray]:
    return np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]), np.array([0, 0, 1, 0, 1, 1])


def _scikit_learn_008() -> str:
    y_true, y_pred = [0, 0, 0, 1, 1], [0, 1, 1, 1, 1]
    counts = [[0, 0], [0, 0]]
    for t, p in zip(y_true, y_pred, strict=True):
        counts[t][p] += 1  # rows are the truth, columns the prediction
    return f"`{counts}`"


def _scikit_learn_009() -> int:
    n, positives, test_size = 16, 4, 0.25
    n_test = math.ceil(test_size * n)
    return round(n_test * positives / n)


def _scikit_learn_010() -> set[str]:
    from sklearn.decomposition import PCA
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LinearRegression
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    classes = [StandardScaler, SimpleImputer, PCA, LinearRegression, SVC]
    return {f"`{c.__name__}`" for c in classes if hasattr(c(), "transform")}


def _scikit_learn_012() -> bool:
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x_train = np.array([[0.0], [2.0], [4.0]])
    x_test = np.array([[10.0], [20.0]])
    pipe = make_pipeline(StandardScaler(), LinearRegression()).fit(x_train, [0.0, 1.0, 2.0])
    pipe.predict(x_test)
    still_training_mean = pipe[0].mean_[0] == 2.0  # predict did not refit the scaler
    return bool(still_training_mean)


def _scikit_learn_014() -> int:
    numeric = ["age", "income"]
    cities = {"Oslo", "Rome", "Lima"}
    return len(numeric) + len(cities)  # user_id is dropped by remainder="drop"


def _scikit_learn_016() -> str:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    candidates = (
        "logisticregression__C",
        "C",
        "LogisticRegression.C",
        "pipeline__logisticregression__C",
    )
    valid = [k for k in candidates if k in pipe.get_params()]
    (key,) = valid
    return f'`"{key}"`'


def _scikit_learn_023() -> bool:
    from sklearn.linear_model import LogisticRegression

    # unregularised would need an infinite C; the default is finite
    return bool(math.isinf(LogisticRegression().get_params()["C"]))


def _scikit_learn_024() -> float:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    population_sd = math.sqrt(sum((v - x.mean()) ** 2 for v in x) / len(x))
    return (4.0 - x.mean()) / population_sd


def _scikit_learn_029() -> bool:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    x, y = _tiny_binary()
    model = LogisticRegression()
    cross_val_score(model, x, y, cv=2)
    return _raises_not_fitted(lambda: model.predict(x))


def _scikit_learn_030() -> float:
    y_true = ["cat", "cat", "cat", "dog", "dog", "bird"]
    y_pred = ["cat", "cat", "dog", "dog", "bird", "bird"]
    f1s = []
    for label in sorted(set(y_true)):
        tp = sum(t == p == label for t, p in zip(y_true, y_pred, strict=True))
        precision = tp / y_pred.count(label)
        recall = tp / y_true.count(label)
        f1s.append(2 * precision * recall / (precision + recall))
    macro = sum(f1s) / len(f1s)

    from sklearn.metrics import f1_score

    assert math.isclose(macro, f1_score(y_true, y_pred, average="macro"))
    return macro


def _scikit_learn_031() -> bool:
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import TargetEncoder

    x = np.array([["a"], ["a"], ["b"], ["b"], ["a"], ["b"], ["a"], ["b"], ["a"], ["b"]])
    y = np.array([1, 0, 1, 1, 1, 0, 0, 1, 1, 0])
    cv = KFold(n_splits=5)
    crossfitted = TargetEncoder(cv=cv).fit_transform(x, y)
    plain = TargetEncoder(cv=cv).fit(x, y).transform(x)
    return bool(np.allclose(crossfitted, plain))


def _scikit_learn_032() -> set[str]:
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression

    x, y = _tiny_binary()
    model = LogisticRegression().fit(x, y)
    calls: dict[str, Callable[[], object]] = {
        "`clone(model).predict(X)`": lambda: clone(model).predict(x),
        "`copy.deepcopy(model).predict(X)`": lambda: copy.deepcopy(model).predict(x),
        "`model.set_params(C=10.0).predict(X)`": lambda: model.set_params(C=10.0).predict(x),
        "`LogisticRegression(**model.get_params()).predict(X)`": lambda: LogisticRegression(
            **model.get_params()
        ).predict(x),
        "`pickle.loads(pickle.dumps(model)).predict(X)`": lambda: pickle.loads(
            pickle.dumps(model)
        ).predict(x),
    }
    return {text for text, call in calls.items() if _raises_not_fitted(call)}


def _scikit_learn_033() -> float:
    n, k = 10, 4
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]

    from sklearn.model_selection import KFold

    assert sizes == [len(test) for _, test in KFold(n_splits=k).split(np.zeros((n, 1)))]
    fold_accuracy = [2 / 3, 1.0, 0.5, 0.5]
    correct = [round(a * s) for a, s in zip(fold_accuracy, sizes, strict=True)]
    return sum(correct) / n


def _scikit_learn_034() -> bool:
    from sklearn.linear_model import SGDClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2))
    y = (x[:, 0] > 0).astype(int)
    refitted = SGDClassifier(random_state=0).fit(x, y).fit(x[:20], y[:20])
    fresh = SGDClassifier(random_state=0).fit(x[:20], y[:20])
    continued = not np.allclose(refitted.coef_, fresh.coef_)
    return continued


CHECKS = {
    "scikit-learn-008": _scikit_learn_008,
    "scikit-learn-009": _scikit_learn_009,
    "scikit-learn-010": _scikit_learn_010,
    "scikit-learn-012": _scikit_learn_012,
    "scikit-learn-014": _scikit_learn_014,
    "scikit-learn-016": _scikit_learn_016,
    "scikit-learn-023": _scikit_learn_023,
    "scikit-learn-024": _scikit_learn_024,
    "scikit-learn-029": _scikit_learn_029,
    "scikit-learn-030": _scikit_learn_030,
    "scikit-learn-031": _scikit_learn_031,
    "scikit-learn-032": _scikit_learn_032,
    "scikit-learn-033": _scikit_learn_033,
    "scikit-learn-034": _scikit_learn_034,
}
