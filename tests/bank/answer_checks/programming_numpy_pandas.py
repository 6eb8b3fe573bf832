"""Answer checks for quizzes/programming/numpy-pandas.yaml: each computes the keyed answer from first principles.

NumPy items are recomputed with NumPy. The pandas items run the snippet of the prompt itself
with pandas (`run_snippet`) and, as a second opinion, recompute the answer with plain Python
that implements the documented semantics (skipna means, inclusive label slices, group
transforms, index alignment, join fan-out); both must agree.
"""

import math

import numpy as np
import pandas as pd

from tests.bank.shipped import run_snippet


def _numpy_pandas_001() -> float:
    a = np.arange(12).reshape(3, 4)
    return float(a[1, 2])


def _numpy_pandas_003() -> bool:
    return np.array([1, 2.5, 3]).dtype.kind == "f"


def _numpy_pandas_004() -> str:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    elementwise = all(
        np.isclose((a * b)[i, j], a[i, j] * b[i, j]) for i in range(3) for j in range(3)
    )
    assert not np.allclose(a * b, a @ b)
    return "The element-wise product: `result[i, j] == a[i, j] * b[i, j]`" if elementwise else "?"


def _numpy_pandas_005() -> str:
    return f"`{(np.ones((3, 4)) @ np.ones(4)).shape}`"


def _numpy_pandas_006() -> str:
    X = np.random.default_rng(0).normal(size=(100, 5))
    column_means = np.array([X[:, j].sum() / 100 for j in range(5)])
    candidates = {
        "`X.mean(axis=0)`": X.mean(axis=0),
        "`X.mean(axis=1)`": X.mean(axis=1),
        "`X.mean()`": X.mean(),
        "`np.mean(X, axis=(0, 1))`": np.mean(X, axis=(0, 1)),
    }
    (text,) = [
        t for t, v in candidates.items() if np.shape(v) == (5,) and np.allclose(v, column_means)
    ]
    return text


def _numpy_pandas_008() -> float:
    a = np.array([5, 1, 7, 2, 9])
    return float((a > 4).sum())


def _numpy_pandas_011() -> str:
    return f"`{(np.zeros((3, 1)) + np.zeros(4)).shape}`"


def _numpy_pandas_012() -> set:
    pairs = {
        "`(5, 3)` and `(3,)`": ((5, 3), (3,)),
        "`(5, 1, 3)` and `(4, 3)`": ((5, 1, 3), (4, 3)),
        "`(8, 1)` and `(1, 6)`": ((8, 1), (1, 6)),
        "`(5, 3)` and `(5,)`": ((5, 3), (5,)),
        "`(2, 3)` and `(3, 2)`": ((2, 3), (3, 2)),
        "`(10, 1, 3)` and `(10, 4)`": ((10, 1, 3), (10, 4)),
    }
    ok = set()
    for text, (sx, sy) in pairs.items():
        try:
            np.zeros(sx) + np.zeros(sy)
        except ValueError:
            continue
        ok.add(text)
    return ok


def _numpy_pandas_013() -> str:
    x = np.array([-1.5, 0.0, 2.0, -0.25])
    expected = np.array([0.0, 0.0, 2.0, 0.0])
    results = {}
    for text, fn in {
        "`np.maximum(x, 0)`": lambda: np.maximum(x, 0),
        "`np.max(x, 0)`": lambda: np.max(x, 0),
        "`max(x, 0)`": lambda: max(x, 0),
    }.items():
        try:
            results[text] = fn()
        except ValueError:
            continue
    (text,) = [
        t for t, v in results.items() if np.shape(v) == x.shape and np.array_equal(v, expected)
    ]
    return text


def _numpy_pandas_009() -> set:
    df = pd.DataFrame(
        {"age": [31, None, 45, None], "city": ["Oslo", "Bergen", None, "Oslo"], "n": [1, 2, 3, 4]}
    )
    expected = pd.Series({"age": 2, "city": 1, "n": 0})
    candidates = {
        "`df.isna().sum()`": lambda: df.isna().sum(),
        "`len(df) - df.count()`": lambda: len(df) - df.count(),
        "`df.isna().sum(axis=1)`": lambda: df.isna().sum(axis=1),
        "`df.count()`": lambda: df.count(),
        "`df.isna().any()`": lambda: df.isna().any(),
    }
    return {
        text
        for text, expression in candidates.items()
        if (result := expression()).index.equals(expected.index)
        and (result.astype(int) == expected).all()
    }


def _numpy_pandas_014() -> float:
    teams = ["a", "b", "a", "b", "a"]
    scores = [3.0, 5.0, math.nan, 1.0, 8.0]
    present = [s for t, s in zip(teams, scores) if t == "a" and not math.isnan(s)]  # skipna=True
    by_hand = sum(present) / len(present)
    assert run_snippet("numpy-pandas-014")["means"]["a"] == by_hand
    return by_hand


def _numpy_pandas_015() -> float:
    index, values = [10, 20, 30, 40], [1, 2, 3, 4]
    # label slice on a sorted index: both endpoints included
    by_hand = float(sum(v for label, v in zip(index, values) if 20 <= label <= 40))
    assert run_snippet("numpy-pandas-015")["total"] == by_hand
    return by_hand


def _numpy_pandas_016() -> set:
    df = pd.DataFrame(
        {"age": [25, 35, 45, 52], "city": ["Oslo", "Oslo", "Bergen", "Oslo"]}, index=[7, 3, 9, 1]
    )
    wanted = [3, 1]  # the rows with age > 30 and city == "Oslo", in their original order
    candidates = {
        "`df[(df['age'] > 30) & (df['city'] == 'Oslo')]`": lambda: df[
            (df["age"] > 30) & (df["city"] == "Oslo")
        ],
        "`df.where((df['age'] > 30) & (df['city'] == 'Oslo'))`": lambda: df.where(
            (df["age"] > 30) & (df["city"] == "Oslo")
        ),
        "`df.query(\"age > 30 and city == 'Oslo'\")`": lambda: df.query(
            "age > 30 and city == 'Oslo'"
        ),
        "`df[(df['age'] > 30) and (df['city'] == 'Oslo')]`": lambda: df[
            (df["age"] > 30) and (df["city"] == "Oslo")
        ],
        "`df[df['age'] > 30 & df['city'] == 'Oslo']`": lambda: df[
            df["age"] > 30 & df["city"] == "Oslo"
        ],
    }
    selecting = set()
    for text, expression in candidates.items():
        try:
            result = expression()
        except (ValueError, TypeError):
            continue
        if list(result.index) == wanted and result.equals(df.loc[wanted]):
            selecting.add(text)
    return selecting


def _numpy_pandas_017() -> str:
    stores = ["north", "south", "north", "north", "south"]
    sales = [12, 30, 7, 20, 25]
    best = {st: max(v for s, v in zip(stores, sales) if s == st) for st in set(stores)}
    by_hand = [best[s] for s in stores]
    assert run_snippet("numpy-pandas-017")["daily"]["store_best"].tolist() == by_hand
    return f"`{by_hand}`"


def _numpy_pandas_018() -> set:
    a = np.arange(6)
    exprs = {
        "`a[1:4]`": lambda: a[1:4],
        "`a[::2]`": lambda: a[::2],
        "`a.reshape(2, 3)`": lambda: a.reshape(2, 3),
        "`a[[0, 2]]`": lambda: a[[0, 2]],
        "`a[a > 2]`": lambda: a[a > 2],
        "`a.copy()`": lambda: a.copy(),
        "`a.astype(a.dtype)`": lambda: a.astype(a.dtype),
    }
    return {text for text, fn in exprs.items() if np.shares_memory(a, fn())}


def _numpy_pandas_019() -> str:
    img = np.array([200, 100, 30], dtype=np.uint8)
    out = img + 100
    assert out.dtype == np.uint8
    assert out.tolist() == [(v + 100) % 256 for v in (200, 100, 30)]
    return f"`{out.tolist()}` (dtype `uint8`)"


def _numpy_pandas_020() -> str:
    err = np.zeros(100) - np.zeros((100, 1))
    return f"`{err.shape}`, so `mse` is silently wrong"


def _numpy_pandas_021() -> float:
    a = {"x": 1, "y": 2, "z": 3}
    b = {"y": 10, "z": 20, "w": 30}
    # label alignment: the union of the labels, NaN where one side is missing; sum skips NaN
    aligned = [a[k] + b[k] if k in a and k in b else math.nan for k in sorted(a.keys() | b.keys())]
    by_hand = float(sum(v for v in aligned if not math.isnan(v)))
    assert run_snippet("numpy-pandas-021")["total"] == by_hand
    return by_hand


def _numpy_pandas_022() -> str:
    import warnings

    df = pd.DataFrame({"score": [3, -1, 4, -2]})
    before = df.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SettingWithCopyWarning / ChainedAssignmentError
        df[df["score"] < 0]["score"] = 0
    assert df.equals(before)
    return "Nothing; the assignment lands in a temporary copy"


def _numpy_pandas_023() -> str:
    E = np.exp(np.random.default_rng(0).normal(size=(4, 3)))
    try:
        E / E.sum(axis=1)
    except ValueError:
        return "It raises a broadcasting `ValueError`"
    return "?"


def _numpy_pandas_024() -> str:
    a = np.zeros(3)
    a[[0, 0, 1]] += 1
    return f"`{a}`"


def _numpy_pandas_025() -> str:
    x = np.array([30, 10, 20])
    return f"`{np.argsort(np.argsort(x))}`"


def _numpy_pandas_026() -> float:
    pts = [(0.0, 0.0), (3.0, 4.0), (6.0, 8.0)]
    return sum(math.dist(p, q) for p in pts for q in pts)


def _numpy_pandas_027() -> float:
    orders = [(1, 10), (1, 20), (2, 5), (3, 7)]
    customers = [1, 1, 2]
    # inner join: one output row per (order, matching customer row)
    by_hand = float(sum(amount for cid, amount in orders for c in customers if c == cid))
    assert run_snippet("numpy-pandas-027")["total"] == by_hand
    return by_hand


def _numpy_pandas_028() -> float:
    start, stop, num = 0.0, 1.0, 5
    step = (stop - start) / (num - 1)  # endpoint included
    assert np.isclose(np.linspace(start, stop, num)[1], start + step)
    return start + step


def _numpy_pandas_030() -> float:
    labels = ["cat", "dog", "cat", None, "cat"]
    present = [v for v in labels if v is not None]  # value_counts drops missing values
    by_hand = present.count("cat") / len(present)
    counts = run_snippet("numpy-pandas-030")["counts"]
    assert counts["cat"] / counts.sum() == by_hand
    return by_hand


def _numpy_pandas_032() -> float:
    A = [[0, 1, 2], [3, 4, 5]]
    B = [[0, 1], [2, 3], [4, 5]]
    # every index summed: sum over i, j, k of A[i][j] * B[j][k]
    total = sum(A[i][j] * B[j][k] for i in range(2) for j in range(3) for k in range(2))
    assert total == np.einsum("ij,jk->", np.array(A), np.array(B))
    return float(total)


def _numpy_pandas_033() -> float:
    cities = ["Oslo", None, "Oslo", None]
    sales = [1, 2, 3, 4]
    # rows with a missing group key are dropped by groupby (dropna=True)
    by_hand = float(sum(v for c, v in zip(cities, sales) if c is not None))
    df = run_snippet("numpy-pandas-033")["df"]
    assert df.groupby("city")["sales"].sum().sum() == by_hand
    return by_hand


CHECKS = {
    "numpy-pandas-001": _numpy_pandas_001,
    "numpy-pandas-003": _numpy_pandas_003,
    "numpy-pandas-004": _numpy_pandas_004,
    "numpy-pandas-005": _numpy_pandas_005,
    "numpy-pandas-006": _numpy_pandas_006,
    "numpy-pandas-008": _numpy_pandas_008,
    "numpy-pandas-009": _numpy_pandas_009,
    "numpy-pandas-011": _numpy_pandas_011,
    "numpy-pandas-012": _numpy_pandas_012,
    "numpy-pandas-013": _numpy_pandas_013,
    "numpy-pandas-014": _numpy_pandas_014,
    "numpy-pandas-015": _numpy_pandas_015,
    "numpy-pandas-016": _numpy_pandas_016,
    "numpy-pandas-017": _numpy_pandas_017,
    "numpy-pandas-018": _numpy_pandas_018,
    "numpy-pandas-019": _numpy_pandas_019,
    "numpy-pandas-020": _numpy_pandas_020,
    "numpy-pandas-021": _numpy_pandas_021,
    "numpy-pandas-022": _numpy_pandas_022,
    "numpy-pandas-023": _numpy_pandas_023,
    "numpy-pandas-024": _numpy_pandas_024,
    "numpy-pandas-025": _numpy_pandas_025,
    "numpy-pandas-026": _numpy_pandas_026,
    "numpy-pandas-027": _numpy_pandas_027,
    "numpy-pandas-028": _numpy_pandas_028,
    "numpy-pandas-030": _numpy_pandas_030,
    "numpy-pandas-032": _numpy_pandas_032,
    "numpy-pandas-033": _numpy_pandas_033,
}
