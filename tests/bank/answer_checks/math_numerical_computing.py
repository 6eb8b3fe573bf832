"""Answer checks for quizzes/math/numerical-computing.yaml: each computes the keyed answer from first principles."""

import math

import numpy as np


def _nc_004() -> bool:
    product = 1.0
    log_sum = 0.0
    for _ in range(400):
        product *= 0.1
        log_sum += math.log(0.1)
    return product == 0.0 and abs(log_sum - (-921)) < 1


def _nc_005() -> str:
    return f"`{np.broadcast_shapes((3, 1), (4,))}`"


def _nc_006() -> str:
    eps = float(np.finfo(np.float32).eps)
    assert eps == 2.0**-23
    options = {
        "About 1.2 × 10⁻⁷": 1.2e-7,
        "About 2.2 × 10⁻¹⁶": 2.2e-16,
        "About 1.4 × 10⁻⁴⁵": 1.4e-45,
        "About 3.4 × 10³⁸": 3.4e38,
    }
    return min(options, key=lambda t: abs(math.log10(options[t]) - math.log10(eps)))


def _nc_009() -> float:
    return np.zeros((1024, 1024, 64), dtype=np.float32).nbytes / 2**20


def _nc_010() -> bool:
    a, b, c = 0.1, 0.2, 0.3
    return (a + b) + c == a + (b + c)


def _nc_011() -> set:
    options = {
        "`(3,)`": (3,),
        "`(5, 1)`": (5, 1),
        "`(4, 1, 3)`": (4, 1, 3),
        "`(5,)`": (5,),
        "`(3, 5)`": (3, 5),
    }
    ok = set()
    for text, shape in options.items():
        try:
            np.zeros((5, 3)) + np.zeros(shape)
        except ValueError:
            continue
        ok.add(text)
    return ok


def _nc_013() -> float:
    x = np.array([1000.0, 1000.0])
    m = x.max()
    return float(m + np.log(np.sum(np.exp(x - m))))


def _nc_015() -> str:
    return str((np.zeros((6, 1, 4)) * np.zeros((2, 1, 5, 1))).shape)


def _nc_017() -> str:
    x = np.array([1000.0, 0.0, -1000.0])
    exact = np.array(
        [0.0, -1000.0, -2000.0]
    )  # log softmax: x_i - max, since the other terms are negligible
    m = x.max()
    candidates = {
        "`x[i] - (m + log(sum(exp(x - m))))`": lambda: x - (m + np.log(np.sum(np.exp(x - m)))),
        "`log(exp(x[i]) / sum(exp(x)))`": lambda: np.log(np.exp(x) / np.sum(np.exp(x))),
        "`x[i] - log(sum(exp(x)))`": lambda: x - np.log(np.sum(np.exp(x))),
        "`log(exp(x[i] - m) / sum(exp(x - m)))`": lambda: np.log(
            np.exp(x - m) / np.sum(np.exp(x - m))
        ),
    }
    good = []
    with np.errstate(all="ignore"):
        for text, f in candidates.items():
            v = f()
            if np.all(np.isfinite(v)) and np.allclose(v, exact):
                good.append(text)
    assert len(good) == 1
    return good[0]


def _nc_018() -> float:
    with np.errstate(over="ignore"):
        x = 0
        while np.isfinite(np.exp(np.float32(x))):
            x += 1
    return x


def _nc_020() -> str:
    def reference(z):
        # log(1 + e^-z) evaluated piecewise with exact-enough math for each regime
        if z > 30:
            return math.exp(-z)  # log1p(u) = u - u^2/2 + ..., u < 1e-13
        if z < -30:
            return -z + math.exp(z)
        return math.log(1 + math.exp(-z))

    def clip(v, lo, hi):
        return min(max(v, lo), hi)

    def sigmoid(z):
        return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))

    def safe(f):
        def g(z):
            try:
                return f(z)
            except (OverflowError, ValueError, ZeroDivisionError):
                return math.inf

        return g

    candidates = {
        "`max(-z, 0) + log1p(exp(-abs(z)))`": safe(
            lambda z: max(-z, 0) + math.log1p(math.exp(-abs(z)))
        ),
        "`log(1 + exp(-z))`": safe(lambda z: math.log(1 + math.exp(-z))),
        "`-log(1 / (1 + exp(-z)))`": safe(lambda z: -math.log(1 / (1 + math.exp(-z)))),
        "`-log(clip(sigmoid(z), 1e-7, 1))`": safe(lambda z: -math.log(clip(sigmoid(z), 1e-7, 1))),
    }
    zs = [-1000.0, -50.0, -1.0, 0.0, 2.0, 40.0]
    good = [
        text
        for text, f in candidates.items()
        if all(math.isclose(f(z), reference(z), rel_tol=1e-9, abs_tol=0.0) for z in zs)
    ]
    assert len(good) == 1, good
    return good[0]


def _nc_021() -> float:
    shape = np.broadcast_shapes((10000, 1, 128), (1, 10000, 128))
    return math.prod(shape) * np.dtype(np.float32).itemsize / 1e9


def _nc_022() -> float:
    # from the format: 5 exponent bits (bias 15), 10 fraction bits
    exp_bits, frac_bits = 5, 10
    bias = 2 ** (exp_bits - 1) - 1
    largest = (2 - 2.0**-frac_bits) * 2.0 ** ((2**exp_bits - 2) - bias)
    assert largest == float(np.finfo(np.float16).max)
    return largest


def _nc_023() -> bool:
    exp_bits, frac_bits = 8, 7
    bias = 2 ** (exp_bits - 1) - 1
    bf16_max = (2 - 2.0**-frac_bits) * 2.0 ** ((2**exp_bits - 2) - bias)
    f32_max = float(np.finfo(np.float32).max)
    return abs(bf16_max / f32_max - 1) < 0.01 and abs(bf16_max - 3.4e38) / 3.4e38 < 0.01


def _nc_025() -> float:
    x = np.float32(1e8)
    assert float(x) == 1e8
    return float(np.nextafter(x, np.float32(np.inf)) - x)


CHECKS = {
    "numerical-computing-003": lambda: math.log2(8 * 32),
    "numerical-computing-004": _nc_004,
    "numerical-computing-005": _nc_005,
    "numerical-computing-006": _nc_006,
    "numerical-computing-009": _nc_009,
    "numerical-computing-010": _nc_010,
    "numerical-computing-011": _nc_011,
    "numerical-computing-013": _nc_013,
    "numerical-computing-015": _nc_015,
    "numerical-computing-017": _nc_017,
    "numerical-computing-018": _nc_018,
    "numerical-computing-020": _nc_020,
    "numerical-computing-021": _nc_021,
    "numerical-computing-022": _nc_022,
    "numerical-computing-023": _nc_023,
    "numerical-computing-025": _nc_025,
}
