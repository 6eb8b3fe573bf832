"""Answer checks for quizzes/math/probability.yaml.

Each function computes the keyed answer from first principles.
"""

import math
from fractions import Fraction
from itertools import permutations, product

import numpy as np


def _probability_001() -> str:
    outcomes = list(product("HT", repeat=2))
    return str(Fraction(sum(o == ("H", "H") for o in outcomes), len(outcomes)))


def _probability_002() -> float:
    # Enumerate the joint distribution of two independent Bernoulli flags.
    pa, pb = 0.5, 0.4
    return sum(
        (pa if a else 1 - pa) * (pb if b else 1 - pb)
        for a, b in product((0, 1), repeat=2)
        if a and b
    )


def _probability_003() -> float:
    return float(Fraction(sum(range(1, 7)), 6))


def _probability_005() -> bool:
    faces = range(1, 7)
    a, b = {1}, {2}
    p = {f: Fraction(1, 6) for f in faces}
    pa, pb = sum(p[f] for f in a), sum(p[f] for f in b)
    pab = sum(p[f] for f in a & b)
    return pab == pa * pb


def _probability_006() -> float:
    # Fractions of a population of 100 users laid out explicitly.
    users = [("app", "web")] * 30 + [("app",)] * 30 + [("web",)] * 20 + [()] * 20
    assert sum("app" in u for u in users) == 60 and sum("web" in u for u in users) == 50
    return sum(bool(u) for u in users) / len(users)


def _probability_007() -> str:
    clicked_bought, not_clicked_bought = 30, 10
    buyers = clicked_bought + not_clicked_bought
    return f"{clicked_bought / buyers:g}"


def _probability_008() -> float:
    # X = +-2 with probability 1/2 has variance 4; compute Var(3X + 2) exactly.
    xs = [Fraction(-2), Fraction(2)]
    assert sum(x * x for x in xs) / 2 - (sum(xs) / 2) ** 2 == 4
    ys = [3 * x + 2 for x in xs]
    mean = sum(ys) / 2
    return float(sum((y - mean) ** 2 for y in ys) / 2)


def _probability_009() -> str:
    lam = 2.0
    return f"{lam**0 * math.exp(-lam) / math.factorial(0):.3f}"


def _probability_010() -> str:
    seqs = list(product("HT", repeat=4))
    return str(Fraction(sum(s.count("H") == 2 for s in seqs), len(seqs)))


def _probability_011() -> float:
    prior, tpr, fpr = 0.01, 0.95, 0.04
    return prior * tpr / (prior * tpr + (1 - prior) * fpr)


def _probability_012() -> set[str]:
    # A dependent pair (Y = X) with X uniform on {1, 2, 3}: identities that fail here are not
    # always true; the others are general identities (linearity, algebra of variance).
    xs = [Fraction(v) for v in (1, 2, 3)]
    pairs = [(x, x) for x in xs]

    def e(f):
        return sum(f(x, y) for x, y in pairs) / len(pairs)

    def var(f):
        return e(lambda x, y: f(x, y) ** 2) - e(f) ** 2

    facts = {
        "E[X + Y] = E[X] + E[Y]": e(lambda x, y: x + y) == e(lambda x, y: x) + e(lambda x, y: y),
        "Var(X) = E[X²] − (E[X])²": e(lambda x, y: (x - e(lambda a, b: a)) ** 2)
        == e(lambda x, y: x * x) - e(lambda x, y: x) ** 2,
        "Var(−X) = Var(X)": var(lambda x, y: -x) == var(lambda x, y: x),
        "Var(X + Y) = Var(X) + Var(Y)": var(lambda x, y: x + y)
        == var(lambda x, y: x) + var(lambda x, y: y),
        "E[XY] = E[X]·E[Y]": e(lambda x, y: x * y) == e(lambda x, y: x) * e(lambda x, y: y),
        "Cov(X, Y) = E[XY] − E[X]·E[Y]": e(
            lambda x, y: (x - e(lambda a, b: a)) * (y - e(lambda a, b: b))
        )
        == e(lambda x, y: x * y) - e(lambda x, y: x) * e(lambda x, y: y),
    }
    return {text for text, holds in facts.items() if holds}


def _probability_013() -> str:
    p = 0.2
    expected = sum(k * p * (1 - p) ** (k - 1) for k in range(1, 2000))
    return f"{expected:.10g}"


def _probability_014() -> float:
    # Enumerate all 2^3 failure patterns.
    total = 0.0
    for pattern in product((0, 1), repeat=3):
        prob = math.prod(0.1 if f else 0.9 for f in pattern)
        if any(pattern):
            total += prob
    return total


def _probability_015() -> str:
    # E[T - 5 | T > 5] for T ~ Exponential(mean 10), by numerical integration.
    rate = 1 / 10
    t = np.linspace(5, 400, 2_000_001)
    density = rate * np.exp(-rate * t)
    y = (t - 5) * density
    numerator = float(np.sum((y[1:] + y[:-1]) / 2 * np.diff(t)))
    expected = numerator / math.exp(-rate * 5)
    return f"{round(expected):d} minutes"


def _probability_016() -> float:
    cov = np.array([[4.0, -2.0], [-2.0, 9.0]])
    ones = np.ones(2)
    return float(ones @ cov @ ones)


def _probability_017() -> bool:
    xs = [Fraction(v) for v in (-1, 0, 1)]
    joint = {(x, x * x): Fraction(1, 3) for x in xs}
    ex = sum(p * x for (x, _), p in joint.items())
    ey = sum(p * y for (_, y), p in joint.items())
    exy = sum(p * x * y for (x, y), p in joint.items())
    assert exy - ex * ey == 0  # zero covariance
    px = {x: sum(p for (a, _), p in joint.items() if a == x) for x in xs}
    py = {y: sum(p for (_, b), p in joint.items() if b == y) for y in {0, 1}}
    return all(joint.get((x, y), 0) == px[x] * py[y] for x in xs for y in py)


def _probability_018() -> float:
    mean = 1 + 2
    sd = math.sqrt(3**2 + 4**2)
    z = (13 - mean) / sd
    return 0.5 * math.erfc(z / math.sqrt(2))


def _probability_019() -> float:
    prior, sens, fpr = 0.02, 0.90, 0.05
    posterior = prior
    for _ in range(2):  # sequential updating, one positive result at a time
        posterior = posterior * sens / (posterior * sens + (1 - posterior) * fpr)
    return posterior


def _probability_020() -> float:
    # Exact count over all 12^5 month assignments, via distinct tuples.
    distinct = sum(1 for _ in permutations(range(12), 5))
    return 1 - distinct / 12**5


def _probability_021() -> set[str]:
    # Uniform on [0, 0.5]: density 2, integrates to 1; point probabilities are zero.
    x = np.linspace(-1, 1, 400_001)
    f = np.where((x >= 0) & (x <= 0.5), 2.0, 0.0)
    integral = float(np.sum((f[1:] + f[:-1]) / 2 * np.diff(x)))
    facts = {
        "f(x) ≥ 0 for every x": bool(np.all(f >= 0)),
        "f integrates to 1 over the real line": abs(integral - 1) < 1e-4,
        # P(a - h <= X <= a + h) <= 2 h max(f), which vanishes as h -> 0.
        "P(X = a) = 0 for every single value a": 2 * 1e-12 * float(f.max()) < 1e-9,
        "f(x) ≤ 1 for every x": bool(np.all(f <= 1)),
        # Point probabilities are all zero, so f(a) = P(X = a) would force f = 0 everywhere.
        "f(a) is the probability that X equals a": bool(np.all(f == 0.0)),
    }
    return {text for text, holds in facts.items() if holds}


def _probability_022() -> str:
    # E[max] = sum over k of P(max >= k) = sum of 1 - ((k-1)/6)^2.
    e = sum(1 - Fraction(k - 1, 6) ** 2 for k in range(1, 7))
    return f"`{e}`"


def _probability_023() -> bool:
    # Check the implication over a grid of joint distributions of two events.
    grid = [Fraction(i, 20) for i in range(21)]
    for p11, p10, p01 in product(grid, repeat=3):
        p00 = 1 - p11 - p10 - p01
        if p00 < 0:
            continue
        pa, pb = p11 + p10, p11 + p01
        if not (0 < pa < 1 and 0 < pb < 1):
            continue
        if p11 / pb > pa and not p11 / pa > pb:
            return False
    return True


def _probability_024() -> float:
    # Exact distribution of the summed output, enumerating all 2^4 keep/drop patterns.
    acts, keep = [1, 2, 3, 4], Fraction(4, 5)
    mean = Fraction(0)
    second = Fraction(0)
    for pattern in product((0, 1), repeat=len(acts)):
        p = Fraction(1)
        total = Fraction(0)
        for a, kept in zip(acts, pattern):
            p *= keep if kept else 1 - keep
            total += Fraction(a) / keep if kept else 0
        mean += p * total
        second += p * total * total
    return float(second - mean**2)


def _probability_025() -> float:
    # Expected steps to finish from each number of shards read: E[k] = 1 + (k/6) E[k] + ... solved
    # by value iteration on the Markov chain.
    e = [0.0] * 7
    for _ in range(5000):
        e = [0.0 if k == 6 else 1 + (k / 6) * e[k] + ((6 - k) / 6) * e[k + 1] for k in range(7)]
    return e[0]


def _probability_026() -> float:
    x = np.linspace(-12, 16, 1_000_001)

    def normal_pdf(m):
        return np.exp(-((x - m) ** 2) / 2) / math.sqrt(2 * math.pi)

    f = 0.5 * normal_pdf(0) + 0.5 * normal_pdf(4)
    dx = x[1] - x[0]
    mean = float(np.sum(x * f) * dx)
    return float(np.sum((x - mean) ** 2 * f) * dx)


def _probability_027() -> float:
    prevalence, recall, precision = 0.10, 0.90, 0.80
    tp = prevalence * recall
    fp = tp / precision - tp
    fpr = fp / (1 - prevalence)
    new_prevalence = 0.01
    tp_new = new_prevalence * recall
    fp_new = (1 - new_prevalence) * fpr
    return tp_new / (tp_new + fp_new)


def _probability_028() -> float:
    return 200 / (200 + 800)


def _probability_029() -> float:
    return 0.1 * 50 + 0.9 * 0


def _probability_030() -> str:
    spam_free, ham_free = 120, 30
    posterior = Fraction(spam_free, spam_free + ham_free)
    return str(float(posterior))


def _probability_031() -> float:
    P = np.array([[0.8, 0.2], [0.4, 0.6]])  # rows: from active, from idle
    eigenvalues, eigenvectors = np.linalg.eig(P.T)
    stationary = np.real(eigenvectors[:, np.argmin(abs(eigenvalues - 1))])
    stationary = stationary / stationary.sum()
    return float(stationary[0])


def _probability_032() -> float:
    perms = list(permutations(range(5)))
    none_fixed = sum(all(p[i] != i for i in range(5)) for p in perms)
    return none_fixed / len(perms)


def _probability_033() -> set[str]:
    from scipy import integrate, stats

    def expect(f):
        return integrate.quad(lambda x: f(x) * stats.norm.pdf(x), -40, 40, points=[0.0])[0]

    grid = np.linspace(0.01, 9, 50)
    # P(X² <= t) = P(|X| <= √t) must equal the chi-squared(1) CDF everywhere
    chi2_1 = np.allclose(2 * stats.norm.cdf(np.sqrt(grid)) - 1, stats.chi2(1).cdf(grid))
    p_big_square = 2 * stats.norm.sf(1)  # P(X² > 1)
    p_both = stats.norm.sf(1)  # P(X² > 1 and X > 1) = P(X > 1)
    facts = {
        "X² follows a chi-squared distribution with 1 degree of freedom": chi2_1,
        "E[|X|] = √(2/π), about 0.80": math.isclose(expect(abs), math.sqrt(2 / math.pi)),
        "X and X² are uncorrelated": abs(expect(lambda x: x**3)) < 1e-9,
        "P(X > 3) is below 0.01": stats.norm.sf(3) < 0.01,
        "X and X² are independent": math.isclose(p_both, p_big_square * stats.norm.sf(1)),
        "E[eˣ] = 1, because E[X] = 0": math.isclose(expect(np.exp), 1.0),
    }
    return {text for text, holds in facts.items() if holds}


CHECKS = {
    "probability-001": _probability_001,
    "probability-002": _probability_002,
    "probability-003": _probability_003,
    "probability-005": _probability_005,
    "probability-006": _probability_006,
    "probability-007": _probability_007,
    "probability-008": _probability_008,
    "probability-009": _probability_009,
    "probability-010": _probability_010,
    "probability-011": _probability_011,
    "probability-012": _probability_012,
    "probability-013": _probability_013,
    "probability-014": _probability_014,
    "probability-015": _probability_015,
    "probability-016": _probability_016,
    "probability-017": _probability_017,
    "probability-018": _probability_018,
    "probability-019": _probability_019,
    "probability-020": _probability_020,
    "probability-021": _probability_021,
    "probability-022": _probability_022,
    "probability-023": _probability_023,
    "probability-024": _probability_024,
    "probability-025": _probability_025,
    "probability-026": _probability_026,
    "probability-027": _probability_027,
    "probability-028": _probability_028,
    "probability-029": _probability_029,
    "probability-030": _probability_030,
    "probability-031": _probability_031,
    "probability-032": _probability_032,
    "probability-033": _probability_033,
}
