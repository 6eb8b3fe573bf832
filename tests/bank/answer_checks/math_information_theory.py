"""Answer checks for quizzes/math/information-theory.yaml: each computes the keyed answer from first principles."""

import math

import numpy as np


def _entropy(p, base=2.0) -> float:
    return -sum(x * math.log(x, base) for x in p if x > 0)


def _cross_entropy(p, q, base=2.0) -> float:
    return -sum(a * math.log(b, base) for a, b in zip(p, q) if a > 0)


def _kl(p, q, base=2.0) -> float:
    total = 0.0
    for a, b in zip(p, q):
        if a == 0:
            continue
        if b == 0:
            return math.inf
        total += a * math.log(a / b, base)
    return total


def _softmax(z) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def _it_002() -> str:
    bits = _entropy([1 / 8] * 8)
    return f"{bits:g} bits"


def _it_003() -> bool:
    return _entropy([1.0]) == 0


def _it_007() -> bool:
    p, q = [0.9, 0.1], [0.5, 0.5]
    return math.isclose(_kl(p, q), _kl(q, p))


def _it_008() -> str:
    p = [0.7, 0.2, 0.1]
    factor = _entropy(p, 2) / _entropy(p, math.e)
    options = {
        "H / ln 2, about 1.443 × H": 1.443,
        "H × ln 2, about 0.693 × H": 0.693,
        "H / 2": 0.5,
        "H, because entropy does not depend on the base of the logarithm": 1.0,
    }
    return min(options, key=lambda t: abs(options[t] - factor))


def _it_009() -> set:
    rng = np.random.default_rng(0)
    k = 5
    dists = [rng.dirichlet(np.ones(k) * a) for a in (0.1, 0.5, 1.0, 5.0) for _ in range(200)]
    hs = [_entropy(p) for p in dists]
    logk = math.log2(k)
    facts = {
        "It is never negative.": all(h >= -1e-12 for h in hs),
        "It is largest, equal to log K, when all K outcomes are equally likely.": (
            all(h <= logk + 1e-12 for h in hs) and math.isclose(_entropy([1 / k] * k), logk)
        ),
        'It changes if the outcomes are relabelled, for example by swapping the names "cat" and "dog".': any(
            not math.isclose(_entropy(p), _entropy(p[::-1])) for p in dists
        ),
        "It can exceed log K when some of the probabilities are very small.": any(
            h > logk + 1e-12 for h in hs
        ),
        "Merging two outcomes into a single outcome can increase it.": any(
            _entropy([p[0] + p[1], *p[2:]]) > _entropy(p) + 1e-12 for p in dists
        ),
    }
    return {text for text, holds in facts.items() if holds}


def _it_011() -> float:
    return _cross_entropy([0.5, 0.5], [0.25, 0.75])


def _it_012() -> float:
    return _kl([0.5, 0.3, 0.2], [0.4, 0.4, 0.2])


def _it_014() -> float:
    y = [1, 0, 1, 1]
    p = [0.9, 0.2, 0.6, 0.99]
    losses = [-(t * math.log(a) + (1 - t) * math.log(1 - a)) for t, a in zip(y, p)]
    return sum(losses) / len(losses)


def _it_015() -> float:
    return float(-math.log(_softmax([3.0, 1.0, 0.2])[1]))


def _it_016() -> str:
    loss = -math.log(1 / 1000)
    options = {"About 6.91": 6.91, "About 9.97": 9.97, "About 3.00": 3.00, "About 0.001": 0.001}
    return min(options, key=lambda t: abs(options[t] - loss))


def _it_018() -> bool:
    # Search many random Q for one with H(P, Q) < H(P).
    rng = np.random.default_rng(1)
    p = [0.6, 0.3, 0.1]
    hp = _entropy(p)
    qs = list(rng.dirichlet(np.ones(3), size=5000)) + [
        np.array([0.8, 0.15, 0.05]),
        np.array([0.98, 0.01, 0.01]),
    ]
    return any(_cross_entropy(p, q) < hp - 1e-12 for q in qs)


def _it_019() -> set:
    rng = np.random.default_rng(2)
    pairs = [(rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4))) for _ in range(1000)]
    nonneg = all(_kl(p, q) >= -1e-12 for p, q in pairs) and _kl([0.2, 0.8], [0.2, 0.8]) == 0
    infinite = math.isinf(_kl([0.5, 0.5], [1.0, 0.0]))
    p, q = [0.5, 0.3, 0.2], [0.4, 0.4, 0.2]
    negative_term = any(a * math.log(a / b) < 0 for a, b in zip(p, q))
    big = _kl([0.5, 0.5], [1e-9, 1 - 1e-9])
    bounded = big <= math.log2(2)
    triangle = all(
        _kl(p, r) <= _kl(p, q) + _kl(q, r) + 1e-12
        for p, q, r in [(np.array([0.9, 0.1]), np.array([0.5, 0.5]), np.array([0.1, 0.9]))]
    )
    facts = {
        "It is non-negative, and zero only when P = Q.": nonneg,
        "It is infinite if some x has q(x) = 0 but p(x) > 0.": infinite,
        "Individual terms p(x) log(p(x) / q(x)) of the sum can be negative.": negative_term,
        "It is at most log K for any two distributions over the same K outcomes.": bounded,
        "It satisfies the triangle inequality, so it is a distance metric.": triangle,
    }
    return {text for text, holds in facts.items() if holds}


def _it_021() -> float:
    eps, k = 0.1, 4
    target = [1 - eps + eps / k] + [eps / k] * (k - 1)
    # minimise H(T, Q) numerically over Q = softmax(logits), starting from the one-hot-ish guess
    logits = np.array([5.0, 0.0, 0.0, 0.0])
    for _ in range(5000):
        q = _softmax(logits)
        logits -= 0.5 * (q - np.array(target))
    return _cross_entropy(target, _softmax(logits), base=math.e)


def _it_022() -> bool:
    # Search for a joint distribution with H(Y | X = x) > H(Y) for some x; the stated example
    # (X = 1 w.p. 0.1, Y uniform given X = 1, Y = 0 given X = 0) is one of the candidates.
    rng = np.random.default_rng(3)
    joints = [np.array([[0.9, 0.0], [0.05, 0.05]])] + list(
        rng.dirichlet(np.ones(4), size=500).reshape(-1, 2, 2)
    )
    for joint in joints:
        px, py = joint.sum(axis=1), joint.sum(axis=0)
        h_y = _entropy(py)
        h_y_given_x = [_entropy(row / row.sum()) for row in joint if row.sum() > 0]
        average = sum(p * h for p, h in zip(px[px > 0], h_y_given_x))
        assert average <= h_y + 1e-12  # conditioning reduces entropy on average
        if any(h > h_y + 1e-12 for h in h_y_given_x):
            return True
    return False


def _it_023() -> str:
    chars = 5000
    models = {"A": (1000, 200.0), "B": (1600, 30.0)}  # tokens, per-token perplexity
    total_nats = {name: n * math.log(ppl) for name, (n, ppl) in models.items()}
    assert round(total_nats["A"], -2) == 5300 and round(total_nats["B"], -1) == 5440
    assert total_nats["A"] / chars < total_nats["B"] / chars
    best = min(total_nats, key=total_nats.get)
    return f"Model {best}: its total loss is about 5,300 nats against B's 5,440"


def _it_024() -> float:
    joint = np.array([[0.3, 0.2], [0.1, 0.4]])
    px = joint.sum(axis=1)
    py = joint.sum(axis=0)
    return float(
        sum(
            joint[i, j] * math.log2(joint[i, j] / (px[i] * py[j]))
            for i in range(2)
            for j in range(2)
        )
    )


def _it_025() -> float:
    # numerical integration of q log(q / p) on a fine grid
    mu, sigma = 1.0, 0.5
    x = np.linspace(-10, 10, 400_001)
    q = np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))
    p = np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
    integrand = q * (np.log(q) - np.log(p))
    return float(np.sum(integrand) * (x[1] - x[0]))


def _it_026() -> bool:
    # Uniform on [0, 0.5]: density 2 on an interval of length 0.5
    density, length = 2.0, 0.5
    h = -density * math.log(density) * length
    return h < 0


def _it_027() -> set:
    z = np.array([2.0, 0.5, -1.0, 0.3])
    k = len(z)
    ent = lambda t: _entropy(_softmax(z / t), math.e)
    ts = np.geomspace(0.01, 1000, 400)
    hs = [ent(t) for t in ts]
    facts = {
        "As T → ∞, the entropy of q_T approaches ln K.": abs(ent(1e6) - math.log(k)) < 1e-4,
        "As T → 0⁺, q_T tends to one-hot on the largest logit, so its entropy → 0.": (
            ent(1e-3) < 1e-6 and int(np.argmax(_softmax(z / 1e-3))) == int(np.argmax(z))
        ),
        "For T < 1, q_T is flatter (has higher entropy) than softmax(z).": (
            ent(0.5) > ent(1.0) or not all(b >= a - 1e-12 for a, b in zip(hs, hs[1:]))
        ),
        "Changing T can change which class gets the highest probability under q_T.": len(
            {int(np.argmax(_softmax(z / t))) for t in ts}
        )
        > 1,
        "Adding the same constant c to every logit changes q_T.": not np.allclose(
            _softmax(z / 2), _softmax((z + 7) / 2)
        ),
    }
    return {text for text, holds in facts.items() if holds}


def _it_028() -> float:
    # -log p = 0 has the single solution p = 1 on (0, 1]
    candidates = np.linspace(1e-6, 1.0, 1_000_001)
    return float(candidates[np.argmin(np.abs(-np.log(candidates)))])


def _it_030() -> float:
    return _entropy([0.25, 0.75])


def _it_031() -> float:
    # search joint distributions with the given marginals; the bound min(H(X), H(Y)) is attained
    rng = np.random.default_rng(10)
    best = 0.0
    candidates = [np.array([[0.25, 0], [0.25, 0], [0, 0.25], [0, 0.25]])]
    for _ in range(2000):
        w = rng.dirichlet(np.ones(4))  # share of positives within each feature value
        w = w / w.sum() * 0.5 / 0.25  # P(Y = 1 | X = x), averaging to 0.5
        if np.all(w <= 1):
            candidates.append(np.stack([0.25 * (1 - w), 0.25 * w], axis=1))
    for joint in candidates:
        px, py = joint.sum(axis=1), joint.sum(axis=0)
        assert np.allclose(px, 0.25) and np.allclose(py, 0.5)
        mi = sum(
            joint[i, j] * math.log2(joint[i, j] / (px[i] * py[j]))
            for i in range(4)
            for j in range(2)
            if joint[i, j] > 0
        )
        best = max(best, mi)
    assert best <= min(_entropy([0.25] * 4), _entropy([0.5, 0.5])) + 1e-12
    return best


def _it_032() -> float:
    import heapq

    probabilities = [0.4, 0.3, 0.2, 0.1]
    # Huffman: every merge adds one bit to the codes of all symbols under the merged nodes
    heap = [(p, [i]) for i, p in enumerate(probabilities)]
    heapq.heapify(heap)
    lengths = [0] * len(probabilities)
    while len(heap) > 1:
        p1, s1 = heapq.heappop(heap)
        p2, s2 = heapq.heappop(heap)
        for symbol in s1 + s2:
            lengths[symbol] += 1
        heapq.heappush(heap, (p1 + p2, s1 + s2))
    expected = sum(p * n for p, n in zip(probabilities, lengths))
    assert _entropy(probabilities) <= expected < _entropy(probabilities) + 1
    return expected


def _it_033() -> set:
    rng = np.random.default_rng(11)

    def mi(joint):
        pa, pb = joint.sum(axis=1), joint.sum(axis=0)
        return sum(
            joint[i, j] * math.log2(joint[i, j] / (pa[i] * pb[j]))
            for i in range(joint.shape[0])
            for j in range(joint.shape[1])
            if joint[i, j] > 0
        )

    # random joints of X (6 values) and Y (2), random maps f to 3 values, plus one case where
    # Y depends on X only through f(X), so a many-to-one f keeps all label information
    cases = [
        (rng.dirichlet(np.ones(12)).reshape(6, 2), rng.integers(0, 3, size=6)) for _ in range(300)
    ]
    sufficient = np.array(
        [[0.1, 0.05], [0.2, 0.1], [0.05, 0.15], [0.05, 0.15], [0.1, 0.0], [0.05, 0.0]]
    )
    cases.append((sufficient / sufficient.sum(), np.array([0, 0, 1, 1, 2, 2])))
    dpi = entropy_shrinks = True
    exceeded = equal_without_bijection = False
    positive_conditional_entropy = False
    for joint_xy, f in cases:
        joint_ey = np.zeros((3, 2))
        for x in range(6):
            joint_ey[f[x]] += joint_xy[x]
        joint_ey = joint_ey[joint_ey.sum(axis=1) > 0]
        i_xy, i_ey = mi(joint_xy), mi(joint_ey)
        px = joint_xy.sum(axis=1)
        dpi &= i_ey <= i_xy + 1e-12
        exceeded |= i_ey > i_xy + 1e-12
        entropy_shrinks &= _entropy(joint_ey.sum(axis=1)) <= _entropy(px) + 1e-12
        equal_without_bijection |= math.isclose(i_ey, i_xy, abs_tol=1e-12) and len(set(f)) < 6
        # H(E | X) = sum_x p(x) H(E | X = x), and E | X = x is a point mass at f(x)
        positive_conditional_entropy |= sum(p * _entropy([1.0]) for p in px) > 0
    facts = {
        "I(E; Y) ≤ I(X; Y)": dpi,
        "H(E) ≤ H(X)": entropy_shrinks,
        "If I(E; Y) = I(X; Y), then f must be one-to-one": not equal_without_bijection,
        "H(E | X) > 0 whenever f is not one-to-one": positive_conditional_entropy,
        "A deep enough f can make I(E; Y) exceed I(X; Y)": exceeded,
    }
    return {text for text, holds in facts.items() if holds}


CHECKS = {
    "information-theory-001": lambda: _entropy([0.5, 0.5]),
    "information-theory-002": _it_002,
    "information-theory-003": _it_003,
    "information-theory-005": lambda: _entropy([0.5, 0.25, 0.25]),
    "information-theory-006": lambda: -math.log(0.25),
    "information-theory-007": _it_007,
    "information-theory-008": _it_008,
    "information-theory-009": _it_009,
    "information-theory-011": _it_011,
    "information-theory-012": _it_012,
    "information-theory-014": _it_014,
    "information-theory-015": _it_015,
    "information-theory-016": _it_016,
    "information-theory-018": _it_018,
    "information-theory-019": _it_019,
    "information-theory-021": _it_021,
    "information-theory-022": _it_022,
    "information-theory-023": _it_023,
    "information-theory-024": _it_024,
    "information-theory-025": _it_025,
    "information-theory-026": _it_026,
    "information-theory-027": _it_027,
    "information-theory-028": _it_028,
    "information-theory-030": _it_030,
    "information-theory-031": _it_031,
    "information-theory-032": _it_032,
    "information-theory-033": _it_033,
    "information-theory-029": lambda: "bits",
}
