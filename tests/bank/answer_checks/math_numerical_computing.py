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
    # Build a quiet NaN from its IEEE 754 bit pattern (all exponent bits set, non-zero
    # fraction) and evaluate the three comparisons with NumPy's element-wise ufuncs.
    import struct

    x = np.float64(struct.unpack("<d", struct.pack("<Q", 0x7FF8000000000000))[0])
    eq, ne = bool(np.equal(x, x)), bool(np.not_equal(x, x))
    either = bool(np.greater(x, 0.0)) or bool(np.less_equal(x, 0.0))
    return f"`{eq} {ne} {either}`"


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
    from fractions import Fraction

    def rel_err(computed: float, exact: Fraction) -> float:
        return float(abs(Fraction(computed) - exact) / abs(exact))

    x = 1e-8
    fx = Fraction(x)
    # 1 - cos(x) = x^2/2 - x^4/24 + ...; later terms are below 1e-60 here.
    one_minus_cos = fx**2 / 2 - fx**4 / 24 + fx**6 / 720

    v = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]
    fv = [Fraction(t) for t in v]
    exact_mean = sum(fv) / 4
    exact_var = sum((t - exact_mean) ** 2 for t in fv) / 4
    naive_var = sum(t * t for t in v) / 4 - (sum(v) / 4) ** 2
    naive_var_np = float(np.mean(np.square(v)) - np.mean(v) ** 2)

    errors = {
        "`1 - math.cos(x)` for x = 1e-8": rel_err(1 - math.cos(x), one_minus_cos),
        "`mean(v**2) - mean(v)**2`, a variance of v": min(
            rel_err(naive_var, exact_var), rel_err(naive_var_np, exact_var)
        ),
        "`sum(v) / len(v)`, the mean of the same four values": rel_err(sum(v) / len(v), exact_mean),
        "`x * y` for x = 1e-8 and y = 3e8": rel_err(1e-8 * 3e8, Fraction(1e-8) * Fraction(3e8)),
        "`a + b` for a = 1e-8 and b = 2e-8": rel_err(1e-8 + 2e-8, Fraction(1e-8) + Fraction(2e-8)),
    }
    return {text for text, err in errors.items() if err > 0.01}


def _nc_013() -> float:
    x = np.array([1000.0, 1000.0])
    m = x.max()
    return float(m + np.log(np.sum(np.exp(x - m))))


def _nc_015() -> str:
    # On ill-conditioned systems, solving via LU leaves a far smaller residual than
    # multiplying by the computed inverse.
    rng = np.random.default_rng(0)
    n = 60
    for _ in range(20):
        u, _ = np.linalg.qr(rng.normal(size=(n, n)))
        v, _ = np.linalg.qr(rng.normal(size=(n, n)))
        a = u @ np.diag(np.logspace(0, -12, n)) @ v.T
        b = a @ rng.normal(size=n)
        r_solve = np.linalg.norm(a @ np.linalg.solve(a, b) - b)
        r_inv = np.linalg.norm(a @ (np.linalg.inv(a) @ b) - b)
        assert r_solve < r_inv
    return "np.linalg.solve"


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


def _nc_028() -> float:
    parameters, bytes_per_value = 7e9, np.dtype(np.float16).itemsize
    return parameters * bytes_per_value / 1e9


def _nc_029() -> set:
    from fractions import Fraction

    options = ["0.5", "0.75", "1024.0", "0.1", "0.3", "0.2"]
    return {text for text in options if Fraction(float(text)) == Fraction(text)}


def _nc_030() -> float:
    significand_bits = np.finfo(np.float32).nmant + 1
    return significand_bits * math.log10(2)


def _nc_031() -> float:
    # an SPD matrix with condition number 1e8 and a known solution
    rng = np.random.default_rng(12)
    q, _ = np.linalg.qr(rng.normal(size=(50, 50)))
    a = q @ np.diag(np.geomspace(1.0, 1e-8, 50)) @ q.T
    errors = []
    for _ in range(20):
        x = rng.normal(size=50)
        computed = np.linalg.solve(a, a @ x)
        errors.append(np.linalg.norm(computed - x) / np.linalg.norm(x))
    trusted_digits = -math.log10(1e8 * np.finfo(np.float64).eps / 2)  # kappa times unit roundoff
    assert 1e-12 < np.median(errors) < 1e-6  # observed: errors of order kappa * roundoff
    return round(trusted_digits)


def _nc_033() -> set:
    rng = np.random.default_rng(13)
    x = rng.uniform(0, 1, size=200_000).astype(np.float32)
    exact = math.fsum(x.astype(np.float64))
    naive = np.float32(0.0)
    for v in x:  # left to right, float32 accumulator
        naive = np.float32(naive + v)
    total, compensation = np.float32(0.0), np.float32(0.0)
    for v in x:  # Kahan summation in float32
        y = np.float32(v - compensation)
        t = np.float32(total + y)
        compensation = np.float32((t - total) - y)
        total = t
    np_sum = np.sum(x)
    naive_error = abs(float(naive) - exact)
    facts = {
        "Naive left-to-right summation can make an error growing about linearly with n": (
            naive_error > 10 * abs(float(np_sum) - exact)
        ),
        "Kahan summation carries the lost low-order bits forward in a correction term": (
            abs(float(total) - exact) < naive_error / 10
        ),
        "`np.sum` of a float32 array returns a float32 unless you pass another `dtype`": (
            np_sum.dtype == np.float32 and np.sum(x, dtype=np.float64).dtype == np.float64
        ),
        "`np.sum` on a float32 array adds the values strictly left to right": float(np_sum)
        == float(naive),
        "In float64 the order of the additions never changes the result": (0.1 + 0.2) + 0.3
        == 0.1 + (0.2 + 0.3),
    }
    return {text for text, holds in facts.items() if holds}


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
    "numerical-computing-028": _nc_028,
    "numerical-computing-029": _nc_029,
    "numerical-computing-030": _nc_030,
    "numerical-computing-031": _nc_031,
    "numerical-computing-033": _nc_033,
}
