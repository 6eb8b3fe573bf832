"""Answer checks for quizzes/ml/scikit-learn.yaml.

Numeric keys are computed from first principles (counting, the formulas the explanations
state); behaviour keys (what raises, what is fitted, what refits) are checked against the
installed scikit-learn itself, so an upgrade that changes the behaviour fails here.
The items' code-output snippets are run separately by test_answer_keys.py.
"""

import copy
import math
import pickle
import warnings
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


def _raised(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except Exception as error:  # the items quote what scikit-learn raises
        return error
    raise AssertionError("expected an exception")


def _scikit_learn_005() -> str:
    from sklearn.linear_model import LogisticRegression

    x = np.array([[0.0], [np.nan], [2.0], [3.0]])
    error = _raised(lambda: LogisticRegression().fit(x, [0, 0, 1, 1]))
    assert str(error).startswith("Input X contains NaN.")
    assert "LogisticRegression does not accept missing values encoded as NaN" in str(error)
    return "Put a `SimpleImputer` before the model in a `Pipeline` and fit it on the training data"


def _scikit_learn_007() -> str:
    from sklearn.exceptions import NotFittedError
    from sklearn.preprocessing import StandardScaler

    def make_scaler() -> StandardScaler:
        return StandardScaler()

    x_train, x_test = np.array([[1.0], [2.0]]), np.array([[3.0]])
    scaler = make_scaler()
    scaler.fit(x_train)
    error = _raised(lambda: make_scaler().transform(x_test))
    assert isinstance(error, NotFittedError)
    assert str(error).startswith("This StandardScaler instance is not fitted yet.")
    scaler.transform(x_test)  # the fitted object works
    return "The last line transforms with a brand-new scaler, not the fitted one"


def _scikit_learn_013() -> str:
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder

    train = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "c", "a"]})
    test = pd.DataFrame({"x": [5.0, 6.0], "c": ["a", "d"]})
    y = [0, 1, 0, 1]
    x_train = pd.get_dummies(train, dtype=float).to_numpy()
    x_test = pd.get_dummies(test, dtype=float).to_numpy()
    model = LogisticRegression().fit(x_train, y)
    error = _raised(lambda: model.predict(x_test))
    expected = "X has 3 features, but LogisticRegression is expecting 4 features as input."
    assert str(error) == expected
    encoder = OneHotEncoder(handle_unknown="ignore").fit(train[["c"]])
    encoded = encoder.transform(test[["c"]]).toarray()
    assert encoded.shape[1] == 3 and encoded[1].sum() == 0  # unseen "d" -> all zeros
    return 'Encode with one `OneHotEncoder(handle_unknown="ignore")` fitted on the training data'


def _scikit_learn_017() -> str:
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import cross_val_score

    x = np.arange(20.0).reshape(10, 2)
    y = np.array([1.0, 3, 2, 5, 4, 6, 8, 7, 9, 12])
    scores = cross_val_score(LinearRegression(), x, y, cv=2, scoring="neg_mean_squared_error")
    assert (scores <= 0).all()  # errors are reported negated, so greater is better
    return "Model B is better; the scores are minus the MSE, so its MSE is 18.7 against 41.2"


def _scikit_learn_018() -> str:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2))
    y = (x[:, 0] + 0.5 * rng.normal(size=40) > 0).astype(int)
    search = GridSearchCV(LogisticRegression(), {"C": [0.01, 1.0]}, cv=5).fit(x, y)
    refitted = LogisticRegression(**search.best_params_).fit(x, y)
    assert np.allclose(search.best_estimator_.coef_, refitted.coef_)
    assert np.array_equal(search.predict(x), refitted.predict(x))
    return "The pipeline with the best parameters, refitted on all of `X_train`"


def _scikit_learn_019() -> str:
    from sklearn.metrics import precision_score

    y_test = ["spam", "ham", "spam", "ham"]
    y_pred = ["spam", "spam", "ham", "ham"]
    error = _raised(lambda: precision_score(y_test, y_pred))
    assert str(error).startswith("pos_label=1 is not a valid label.")
    assert precision_score(y_test, y_pred, pos_label="spam") == 0.5
    return '`precision_score(y_test, y_pred, pos_label="spam")`'


def _scikit_learn_020() -> str:
    from sklearn.metrics import roc_auc_score

    y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.45, 0.9, 0.55, 0.3])
    labels = (scores >= 0.5).astype(int)
    tpr = labels[y == 1].mean()
    tnr = 1 - labels[y == 0].mean()
    assert math.isclose(roc_auc_score(y, labels), (tpr + tnr) / 2)
    assert roc_auc_score(y, scores) != roc_auc_score(y, labels)
    return "Hard 0/1 labels leave a single threshold; pass `predict_proba(X_test)[:, 1]` instead"


def _scikit_learn_021() -> str:
    from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit

    rng = np.random.default_rng(0)
    groups = rng.permutation(np.repeat(np.arange(10), 3))  # 10 customers, 3 rows each
    y = rng.integers(0, 2, size=30)
    x = np.zeros((30, 1))
    splitters = {
        "`GroupKFold(n_splits=5)`": GroupKFold(n_splits=5),
        "`StratifiedKFold(n_splits=5)`": StratifiedKFold(n_splits=5),
        "`KFold(n_splits=5, shuffle=True)`": KFold(n_splits=5, shuffle=True, random_state=0),
        "`TimeSeriesSplit(n_splits=5)`": TimeSeriesSplit(n_splits=5),
    }

    def keeps_groups_whole(splitter: object) -> bool:
        with warnings.catch_warnings():  # the non-group splitters warn that they ignore groups
            warnings.simplefilter("ignore", UserWarning)
            return all(
                not set(groups[train]) & set(groups[test])
                for train, test in splitter.split(x, y, groups)  # type: ignore[attr-defined]
            )

    (right,) = [text for text, s in splitters.items() if keeps_groups_whole(s)]
    return right


def _scikit_learn_025() -> str:
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    onehot = OneHotEncoder().fit_transform([["a"], ["b"], ["a"]])
    error = _raised(lambda: StandardScaler().fit(onehot))
    assert str(error).startswith("Cannot center sparse matrices: pass `with_mean=False` instead.")
    scaled = StandardScaler(with_mean=False).fit_transform(onehot)
    assert scaled.nnz == onehot.nnz  # dividing keeps the zeros, so it stays sparse
    return "Subtracting column means, which would fill a sparse matrix's zeros and make it dense"


def _scikit_learn_026() -> str:
    from sklearn.base import BaseEstimator, TransformerMixin
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    class ClipOutliers(TransformerMixin, BaseEstimator):  # as in the item: fit returns None
        def __init__(self, upper: float = 3.0) -> None:
            self.upper = upper

        def fit(self, x: np.ndarray, y: object = None) -> None:
            self.limit_ = self.upper * np.std(x, axis=0)

        def transform(self, x: np.ndarray) -> np.ndarray:
            return np.clip(x, -self.limit_, self.limit_)

    x, y = _tiny_binary()
    error = _raised(lambda: make_pipeline(ClipOutliers(), LogisticRegression()).fit(x, y))
    assert str(error) == "'NoneType' object has no attribute 'transform'"
    return "`fit` returns `None`, so `fit(X, y).transform(X)` fails"


def _scikit_learn_027() -> str:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = _tiny_binary()
    w = np.array([1.0, 2.0, 1.0, 3.0, 1.0, 1.0])
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    assert isinstance(_raised(lambda: pipe.fit(x, y, sample_weight=w)), ValueError)
    weighted = pipe.fit(x, y, logisticregression__sample_weight=w)[-1].coef_.copy()
    plain = make_pipeline(StandardScaler(), LogisticRegression()).fit(x, y)[-1].coef_
    assert not np.allclose(weighted, plain)
    return "`pipe.fit(X, y, logisticregression__sample_weight=w)`"


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
    "scikit-learn-005": _scikit_learn_005,
    "scikit-learn-007": _scikit_learn_007,
    "scikit-learn-013": _scikit_learn_013,
    "scikit-learn-017": _scikit_learn_017,
    "scikit-learn-018": _scikit_learn_018,
    "scikit-learn-019": _scikit_learn_019,
    "scikit-learn-020": _scikit_learn_020,
    "scikit-learn-021": _scikit_learn_021,
    "scikit-learn-025": _scikit_learn_025,
    "scikit-learn-026": _scikit_learn_026,
    "scikit-learn-027": _scikit_learn_027,
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
