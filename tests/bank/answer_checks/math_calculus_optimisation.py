"""Answer checks for quizzes/math/calculus-optimisation.yaml.

Each function computes the keyed answer from first principles.
"""

import math

import numpy as np


def _central(f, x: float, h: float = 1e-5) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def _grad(f, point, h: float = 1e-5) -> np.ndarray:
    point = np.asarray(point, dtype=float)
    out = np.zeros_like(point)
    for i in range(len(point)):
        e = np.zeros_like(point)
        e[i] = h
        out[i] = (f(point + e) - f(point - e)) / (2 * h)
    return out


def _hessian(f, point, h: float = 1e-4) -> np.ndarray:
    point = np.asarray(point, dtype=float)
    n = len(point)
    out = np.zeros((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = h
        out[:, i] = (_grad(f, point + e) - _grad(f, point - e)) / (2 * h)
    return (out + out.T) / 2


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _calculus_optimisation_001() -> float:
    return _central(lambda x: x**3 - 4 * x + 1, 2.0)


def _calculus_optimisation_002() -> str:
    # A small step along -grad lowers the loss; along +grad raises it.
    def loss(t):
        return (t[0] - 1) ** 2 + 3 * (t[1] + 2) ** 2

    theta = np.array([0.5, 0.5])
    g = _grad(loss, theta)
    assert loss(theta - 1e-3 * g) < loss(theta) < loss(theta + 1e-3 * g)
    return "Opposite to the gradient, along −∇L(θ)"


def _calculus_optimisation_004() -> str:
    # GD on a quadratic with curvature 10: a step above 2/10 diverges, a small one converges.
    def run(lr):
        w = 1.0
        for _ in range(200):
            w -= lr * 10 * w
        return abs(w)

    assert run(0.25) > 1e10 and run(0.01) < 1e-3
    return "The learning rate is too large"


def _calculus_optimisation_005() -> float:
    return float(_grad(lambda p: p[0] ** 2 * p[1] + 3 * p[1] ** 2, [1.0, 2.0])[1])


def _calculus_optimisation_006() -> str:
    candidates = {
        "2x·cos(x²)": lambda x: 2 * x * math.cos(x * x),
        "cos(x²)": lambda x: math.cos(x * x),
        "cos(2x)": lambda x: math.cos(2 * x),
        "−2x·sin(x²)": lambda x: -2 * x * math.sin(x * x),
    }
    points = [-1.7, -0.4, 0.3, 1.3, 2.2]
    matches = [
        t
        for t, d in candidates.items()
        if all(abs(d(x) - _central(lambda u: math.sin(u * u), x)) < 1e-6 for x in points)
    ]
    assert len(matches) == 1
    return matches[0]


def _calculus_optimisation_007() -> float:
    w, lr = 0.0, 0.1
    return w - lr * _central(lambda u: (u - 3) ** 2, w)


def _calculus_optimisation_008() -> str:
    s = _sigmoid
    candidates = {
        "σ(x)·(1 − σ(x))": lambda x: s(x) * (1 - s(x)),
        "1 − σ(x)²": lambda x: 1 - s(x) ** 2,
        "σ(x)²": lambda x: s(x) ** 2,
        "σ(x)·(1 + σ(x))": lambda x: s(x) * (1 + s(x)),
    }
    points = [-3.0, -0.5, 0.0, 0.8, 2.5]
    matches = [
        t for t, d in candidates.items() if all(abs(d(x) - _central(s, x)) < 1e-7 for x in points)
    ]
    assert len(matches) == 1
    return matches[0]


def _calculus_optimisation_009() -> set[str]:
    functions = {
        "f(x) = x²": lambda x: x * x,
        "f(x) = |x|": abs,
        "f(x) = log(1 + eˣ)": lambda x: math.log1p(math.exp(x)),
        "f(x) = max(0, x)": lambda x: max(0.0, x),
        "f(x) = x³": lambda x: x**3,
        "f(x) = sin(x)": math.sin,
        "f(x) = √|x|": lambda x: math.sqrt(abs(x)),
        "f(x) = −log(1 + x²)": lambda x: -math.log1p(x * x),
    }
    grid = np.linspace(-6, 6, 61)

    def convex(f):
        # Chord test: f(t a + (1-t) b) <= t f(a) + (1-t) f(b) on a grid of pairs.
        for a in grid:
            for b in grid:
                for t in (0.25, 0.5, 0.75):
                    if f(t * a + (1 - t) * b) > t * f(a) + (1 - t) * f(b) + 1e-12:
                        return False
        return True

    return {text for text, f in functions.items() if convex(f)}


def _calculus_optimisation_010() -> bool:
    # Random convex differentiable functions: find the stationary point by gradient descent,
    # then test whether any of many other points has a lower value.
    rng = np.random.default_rng(0)
    for _ in range(5):
        m = rng.normal(size=(3, 3))
        a = m @ m.T + 0.1 * np.eye(3)
        b = rng.normal(size=3)

        def f(x, a=a, b=b):
            return 0.5 * x @ a @ x - b @ x + np.log1p(np.exp(x[0]))

        def grad(x, a=a, b=b):
            return a @ x - b + np.array([_sigmoid(x[0]), 0.0, 0.0])

        lr = 1 / (np.max(np.linalg.eigvalsh(a)) + 0.25)
        x = np.zeros(3)
        for _ in range(20_000):
            x = x - lr * grad(x)
        assert np.linalg.norm(grad(x)) < 1e-6
        others = rng.normal(scale=3, size=(2000, 3)) + x
        if any(f(y) < f(x) - 1e-9 for y in others):
            return False
    return True


def _calculus_optimisation_011() -> float:
    x, y = np.array([1.0, 2.0]), 3.0
    return float(_grad(lambda w: (w @ x - y) ** 2, [0.5, -1.0])[1])


def _calculus_optimisation_012() -> str:
    def bce(z, y):
        p = _sigmoid(z)
        return -(y * math.log(p) + (1 - y) * math.log(1 - p))

    candidates = {
        "p − y": lambda p, y: p - y,
        "y − p": lambda p, y: y - p,
        "p(1 − p)": lambda p, y: p * (1 - p),
        "(p − y)·p(1 − p)": lambda p, y: (p - y) * p * (1 - p),
    }
    cases = [(z, y) for z in (-2.0, -0.3, 0.7, 1.9) for y in (0, 1)]
    matches = [
        t
        for t, d in candidates.items()
        if all(
            abs(d(_sigmoid(z), y) - _central(lambda u, y=y: bce(u, y), z)) < 1e-7 for z, y in cases
        )
    ]
    assert len(matches) == 1
    return matches[0]


def _calculus_optimisation_013() -> bool:
    h = _hessian(lambda p: p[0] ** 2 + 3 * p[0] * p[1] + 2 * p[1] ** 2, [0.3, -0.2])
    return bool(np.all(np.linalg.eigvalsh(h) >= -1e-9))


def _calculus_optimisation_014() -> float:
    w = v = 0.0
    for _ in range(3):
        v = 0.9 * v + 2.0
        w -= 0.1 * v
    return w


def _calculus_optimisation_015() -> set[str]:
    # Exact enumeration on a small least-squares problem: all mini-batches of a given size.
    from itertools import combinations

    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(8, 2)), rng.normal(size=8)
    w = np.array([0.3, -0.7])
    per_example = 2 * (x @ w - y)[:, None] * x  # gradient of each example's squared error
    full = per_example.mean(axis=0)

    def batch_grads(size):
        return np.array([per_example[list(c)].mean(axis=0) for c in combinations(range(8), size)])

    unbiased = np.allclose(batch_grads(2).mean(axis=0), full)
    var2, var4 = batch_grads(2).var(axis=0).sum(), batch_grads(4).var(axis=0).sum()
    smaller_noisier = var2 > var4
    doubling_doubles = np.isclose(var4, 2 * var2)
    cheaper = 2 < 8  # a batch of 2 examples touches fewer examples than all 8

    # Constant-step SGD on a strongly convex problem keeps fluctuating around the minimiser.
    w_star = np.linalg.lstsq(x, y, rcond=None)[0]
    wt = np.zeros(2)
    dists = []
    for t in range(4000):
        i = rng.integers(8)
        wt = wt - 0.05 * 2 * (x[i] @ wt - y[i]) * x[i]
        if t > 3000:
            dists.append(np.linalg.norm(wt - w_star))
    converges_exactly = min(dists) < 1e-9

    facts = {
        "A uniformly sampled mini-batch gives an unbiased estimate of the full gradient": unbiased,
        "Smaller mini-batches give noisier gradient estimates": smaller_noisier,
        "One mini-batch step costs less computation than one full-batch step": cheaper,
        "With a constant learning rate, SGD converges exactly to the minimiser of a convex "
        "loss": converges_exactly,
        "Doubling the batch size doubles the variance of the gradient estimate": doubling_doubles,
    }
    return {text for text, holds in facts.items() if holds}


def _calculus_optimisation_016() -> str:
    rng = np.random.default_rng(2)
    w, x, g = rng.normal(size=(3, 5)), rng.normal(size=5), rng.normal(size=3)
    numeric = _grad(lambda v: g @ (w @ v), x)
    candidates = {
        "`W.T @ g`": lambda: w.T @ g,
        "`W @ g`": lambda: w @ g,
        "`np.outer(g, x)`": lambda: np.outer(g, x),
        "`g.sum() * x`": lambda: g.sum() * x,
    }
    matches = []
    for text, f in candidates.items():
        try:
            value = f()
        except ValueError:
            continue
        if value.shape == numeric.shape and np.allclose(value, numeric, atol=1e-6):
            matches.append(text)
    assert len(matches) == 1
    return matches[0]


def _calculus_optimisation_017() -> float:
    h = 0.1
    return ((2 + h) ** 3 - (2 - h) ** 3) / (2 * h)


def _calculus_optimisation_018() -> float:
    h = _hessian(lambda p: 2 * p[0] ** 2 + 10 * p[1] ** 2, [0.0, 0.0])
    return float(2 / np.max(np.linalg.eigvalsh(h)))


def _calculus_optimisation_019() -> str:
    # Adam's sqrt(v) normalisation: two parameters with gradients of very different size
    # (but the same sign pattern) take steps of the same size.
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    m = np.zeros(2)
    v = np.zeros(2)
    steps = []
    for t in range(1, 6):
        g = np.array([100.0, 0.01])
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        steps.append(lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps))
    assert np.allclose(steps[-1][0], steps[-1][1], rtol=1e-4)
    return "It divides each parameter's step by √v̂, giving a per-parameter effective learning rate"


def _calculus_optimisation_020() -> str:
    def f(p):
        return p[0] ** 3 - 3 * p[0] + p[1] ** 2

    point = [-1.0, 0.0]
    if np.linalg.norm(_grad(f, point)) > 1e-6:
        return "Not a critical point"
    eig = np.linalg.eigvalsh(_hessian(f, point))
    if np.all(eig > 0):
        return "A local minimum"
    if np.all(eig < 0):
        return "A local maximum"
    return "A saddle point"


def _calculus_optimisation_021() -> set[str]:
    # Linear regression with one feature in [0, 1] and one in the hundreds. Each variant runs
    # the same budget of full-batch steps; it "speeds up convergence" if its remaining loss gap
    # is less than half that of the baseline (plain GD, float32, step 1/lambda_max).
    rng = np.random.default_rng(3)
    n, budget = 200, 20_000
    x = np.column_stack([rng.uniform(0, 1, n), rng.normal(300, 100, n)])
    y = 2 * x[:, 0] + 0.01 * x[:, 1] + rng.normal(0, 0.1, n)
    x = x - x.mean(axis=0)
    y = y - y.mean()

    def gap_after(xm, method="gd", lr_scale=1.0, dtype=np.float32):
        w_star = np.linalg.lstsq(xm, y, rcond=None)[0]
        loss_star = np.mean((xm @ w_star - y) ** 2)
        lam_max = np.max(np.linalg.eigvalsh(2 * xm.T @ xm / n))
        xd, yd = xm.astype(dtype), y.astype(dtype)
        w = np.zeros(2, dtype=dtype)
        vel = np.zeros(2, dtype=dtype)
        m = np.zeros(2, dtype=dtype)
        v = np.zeros(2, dtype=dtype)
        lr = dtype(lr_scale / lam_max)
        with np.errstate(over="ignore", invalid="ignore"):
            for t in range(1, budget + 1):
                grad = 2 * xd.T @ (xd @ w - yd) / n
                if method == "gd":
                    w = w - lr * grad
                elif method == "momentum":
                    vel = dtype(0.9) * vel + grad
                    w = w - lr * vel
                else:  # adam
                    m = dtype(0.9) * m + dtype(0.1) * grad
                    v = dtype(0.999) * v + dtype(0.001) * grad * grad
                    step = (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
                    w = w - dtype(0.01) * step.astype(dtype)
            loss = float(np.mean((xm @ w.astype(np.float64) - y) ** 2))
        return loss - loss_star if math.isfinite(loss) else math.inf

    base = gap_after(x)
    variants = {
        "Standardise each feature to zero mean and unit variance before fitting": gap_after(
            x / x.std(axis=0)
        ),
        "Add momentum to the updates": gap_after(x, "momentum"),
        "Switch to a per-parameter adaptive method such as RMSProp or Adam": gap_after(x, "adam"),
        "Keep raising the learning rate until the flat direction moves fast enough": gap_after(
            x, lr_scale=2.5
        ),
        "Switch from float32 to float64": gap_after(x, dtype=np.float64),
    }
    return {text for text, gap in variants.items() if gap < base / 2}


def _calculus_optimisation_022() -> float:
    # Solve the Lagrange (KKT) system  [2 0 -1; 0 4 -1; 1 1 0] [x, y, lam] = [0, 0, 3],
    # then confirm by scanning the constraint line.
    kkt = np.array([[2.0, 0.0, -1.0], [0.0, 4.0, -1.0], [1.0, 1.0, 0.0]])
    x, y, _ = np.linalg.solve(kkt, np.array([0.0, 0.0, 3.0]))
    best = x**2 + 2 * y**2
    xs = np.linspace(-10, 10, 200_001)
    scanned = np.min(xs**2 + 2 * (3 - xs) ** 2)
    assert abs(scanned - best) < 1e-6
    return float(best)


def _calculus_optimisation_023() -> float:
    def f(x):
        return x**4 - 4 * x

    x0, h = 2.0, 1e-4
    d1 = _central(f, x0)
    d2 = (f(x0 + h) - 2 * f(x0) + f(x0 - h)) / h**2
    return x0 - d1 / d2


def _calculus_optimisation_024() -> float:
    lr, b1, b2, eps, g = 0.01, 0.9, 0.999, 1e-8, 50.0
    m = (1 - b1) * g
    v = (1 - b2) * g * g
    m_hat, v_hat = m / (1 - b1), v / (1 - b2)
    return abs(lr * m_hat / (math.sqrt(v_hat) + eps))


def _calculus_optimisation_025() -> float:
    a = np.array([[1.0, 2.0], [0.0, 3.0]])
    return float(_grad(lambda x: x @ a @ x, [1.0, 1.0])[1])


def _calculus_optimisation_026() -> str:
    # One Adam step from the same state: the L2 penalty's effect differs between two weights
    # of equal size whose gradient histories differ; decoupled decay treats them equally.
    lam, lr = 0.1, 0.01
    w = np.array([1.0, 1.0])
    v_hist = np.array([100.0, 0.01])  # second-moment estimates from past gradients
    g = np.array([0.0, 0.0])  # no loss gradient this step, only regularisation
    coupled = lr * (g + lam * w) / (np.sqrt(v_hist) + 1e-8)
    decoupled = lr * lam * w
    assert coupled[0] < coupled[1] and np.isclose(decoupled[0], decoupled[1])
    return "Adam divides the L2 gradient λw by √v̂, so weights with large gradients decay less"


def _calculus_optimisation_027() -> float:
    lams = np.array([1.0, 9.0])
    etas = np.linspace(0.001, 0.3, 299_001)
    factors = np.max(np.abs(1 - np.outer(etas, lams)), axis=1)
    return float(np.min(factors))


def _calculus_optimisation_028() -> float:
    grid = np.linspace(-10, 10, 200_001)
    return float(grid[np.argmin((grid - 4) ** 2)])


def _calculus_optimisation_030() -> float:
    return 0.1 * 0.5 ** (20 / 10)


def _calculus_optimisation_031() -> float:
    beta, eta, g = 0.9, 0.01, 1.0
    v = 0.0
    for _ in range(500):
        v = beta * v + g
    return (eta * v) / (eta * g)


def _calculus_optimisation_032() -> float:
    kappa = 100
    factor = (kappa - 1) / (kappa + 1)
    # check the factor itself: best fixed step on eigenvalues 1 and kappa
    eta = 2 / (1 + kappa)
    assert math.isclose(max(abs(1 - eta), abs(1 - eta * kappa)), factor)
    steps, error = 0, 1.0
    while error > 1e-6:
        error *= factor
        steps += 1
    return float(steps)


CHECKS = {
    "calculus-optimisation-001": _calculus_optimisation_001,
    "calculus-optimisation-002": _calculus_optimisation_002,
    "calculus-optimisation-004": _calculus_optimisation_004,
    "calculus-optimisation-005": _calculus_optimisation_005,
    "calculus-optimisation-006": _calculus_optimisation_006,
    "calculus-optimisation-007": _calculus_optimisation_007,
    "calculus-optimisation-008": _calculus_optimisation_008,
    "calculus-optimisation-009": _calculus_optimisation_009,
    "calculus-optimisation-010": _calculus_optimisation_010,
    "calculus-optimisation-011": _calculus_optimisation_011,
    "calculus-optimisation-012": _calculus_optimisation_012,
    "calculus-optimisation-013": _calculus_optimisation_013,
    "calculus-optimisation-014": _calculus_optimisation_014,
    "calculus-optimisation-015": _calculus_optimisation_015,
    "calculus-optimisation-016": _calculus_optimisation_016,
    "calculus-optimisation-017": _calculus_optimisation_017,
    "calculus-optimisation-018": _calculus_optimisation_018,
    "calculus-optimisation-019": _calculus_optimisation_019,
    "calculus-optimisation-020": _calculus_optimisation_020,
    "calculus-optimisation-021": _calculus_optimisation_021,
    "calculus-optimisation-022": _calculus_optimisation_022,
    "calculus-optimisation-023": _calculus_optimisation_023,
    "calculus-optimisation-024": _calculus_optimisation_024,
    "calculus-optimisation-025": _calculus_optimisation_025,
    "calculus-optimisation-026": _calculus_optimisation_026,
    "calculus-optimisation-027": _calculus_optimisation_027,
    "calculus-optimisation-028": _calculus_optimisation_028,
    "calculus-optimisation-030": _calculus_optimisation_030,
    "calculus-optimisation-031": _calculus_optimisation_031,
    "calculus-optimisation-032": _calculus_optimisation_032,
    "calculus-optimisation-029": lambda: "gradient",
}
