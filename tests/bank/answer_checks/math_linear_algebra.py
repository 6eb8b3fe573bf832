"""Answer checks for quizzes/math/linear-algebra.yaml.

Each function computes the keyed answer from first principles.
"""

import numpy as np


def _linear_algebra_001() -> str:
    rows, cols = (np.zeros((3, 4)) @ np.zeros((4, 2))).shape
    return f"{rows} × {cols}"


def _linear_algebra_002() -> float:
    return float(np.dot([2, -1, 3], [4, 5, -2]))


def _linear_algebra_003() -> bool:
    # The claim is "for all"; one counterexample makes it false.
    a = np.array([[1, 1], [0, 1]])
    b = np.array([[1, 0], [1, 1]])
    return bool(np.array_equal(a @ b, b @ a))


def _linear_algebra_004() -> float:
    return float(np.linalg.norm([3, 4, 12]))


def _linear_algebra_005() -> str:
    return str(round(np.linalg.det(np.array([[4, 7], [2, 5]]))))


def _linear_algebra_006() -> set[str]:
    # A property is equivalent to invertibility iff it agrees with invertibility on every test
    # matrix; the test set includes the counterexamples that separate the wrong options.
    tests = [
        np.array(m, dtype=float)
        for m in (
            [[1, 1], [1, 1]],
            [[1, 0], [0, -1]],
            [[1, 0], [0, 0]],
            [[1, 1], [0, 1]],
            [[2, 1], [1, 2]],
            [[0, 1], [0, 0]],
            [[3, 1, 2], [1, 0, 1], [4, 1, 3]],
        )
    ]

    def invertible(m):
        return abs(np.linalg.det(m)) > 1e-12

    def trivial_null_space(m):
        s = np.linalg.svd(m, compute_uv=False)
        return int(np.sum(s > 1e-10)) == m.shape[1]

    props = {
        "det(A) ≠ 0": lambda m: abs(np.linalg.det(m)) > 1e-12,
        "The only solution of Ax = 0 is x = 0": trivial_null_space,
        "rank(A) = n": lambda m: np.linalg.matrix_rank(m) == m.shape[0],
        "Every column of A is a non-zero vector": lambda m: bool(np.all(np.any(m != 0, axis=0))),
        "trace(A) ≠ 0": lambda m: np.trace(m) != 0,
        "A is symmetric": lambda m: bool(np.array_equal(m, m.T)),
    }
    return {text for text, p in props.items() if all(bool(p(m)) == invertible(m) for m in tests)}


def _linear_algebra_007() -> float:
    a, b = np.array([1, 2, 2.0]), np.array([4, 0, 3.0])
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def _linear_algebra_008() -> str:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    target = (a @ b).T
    candidates = {
        "`B.T @ A.T`": lambda: b.T @ a.T,
        "`A.T @ B.T`": lambda: a.T @ b.T,
        "`B @ A`": lambda: b @ a,
        "`A @ B`": lambda: a @ b,
    }
    matches = []
    for text, f in candidates.items():
        try:
            value = f()
        except ValueError:
            continue
        if value.shape == target.shape and np.allclose(value, target):
            matches.append(text)
    assert len(matches) == 1
    return matches[0]


def _linear_algebra_009() -> str:
    c = np.array([[1, 2], [3, 4]]) @ np.array([[0, 1], [5, -2]])
    return f"`{c.tolist()}`"


def _linear_algebra_010() -> str:
    a, b = np.array([1.0, 1.0]), np.array([2.0, 3.0])
    p = (a @ b) / (a @ a) * a
    return f"({p[0]:g}, {p[1]:g})"


def _linear_algebra_011() -> str:
    return str(np.linalg.matrix_rank(np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]])))


def _linear_algebra_012() -> float:
    return float(np.max(np.linalg.eigvals(np.array([[4, 1], [2, 3]])).real))


def _linear_algebra_013() -> str:
    # Build a matrix with these eigenvalues (non-orthogonal basis) and take its determinant.
    p = np.array([[1.0, 2, 0], [0, 1, 3], [1, 0, 1]])
    m = p @ np.diag([2.0, -1.0, 5.0]) @ np.linalg.inv(p)
    return str(round(np.linalg.det(m)))


def _linear_algebra_014() -> float:
    # A random 5 x 8 matrix of rank 3; count the directions it sends to zero.
    rng = np.random.default_rng(1)
    a = rng.normal(size=(5, 3)) @ rng.normal(size=(3, 8))
    assert np.linalg.matrix_rank(a) == 3
    s = np.linalg.svd(a, compute_uv=False)
    return float(a.shape[1] - np.sum(s > 1e-10))


def _linear_algebra_015() -> set[str]:
    # A symmetric matrix that is singular and indefinite, with distinct eigenvalues.
    s = np.array([[1.0, 2, 0], [2, 1, 0], [0, 0, 0]])
    w_general = np.linalg.eigvals(s)
    w, q = np.linalg.eigh(s)
    facts = {
        "All eigenvalues of S are real": bool(np.allclose(np.imag(w_general), 0)),
        "Eigenvectors of S belonging to different eigenvalues are orthogonal": bool(
            np.allclose(q.T @ q, np.eye(3))
        ),
        "S = QΛQᵀ for some orthogonal Q and diagonal Λ": bool(np.allclose(q @ np.diag(w) @ q.T, s)),
        "S is invertible": bool(abs(np.linalg.det(s)) > 1e-12),
        "All eigenvalues of S are positive": bool(np.all(w > 0)),
        # the identity is symmetric with one eigenvalue repeated n times
        "The n eigenvalues of S are always distinct from each other": len(
            set(np.round(np.linalg.eigvalsh(np.eye(3)), 9))
        )
        == 3,
    }
    return {text for text, holds in facts.items() if holds}


def _linear_algebra_016() -> str:
    rng = np.random.default_rng(2)
    a = rng.normal(size=(6, 2)) @ rng.normal(size=(2, 5))
    s = np.linalg.svd(a, compute_uv=False)
    assert int(np.sum(s > 1e-10)) == np.linalg.matrix_rank(a) == 2
    return "rank"


def _linear_algebra_017() -> float:
    b = np.zeros((1024, 16))
    a = np.zeros((16, 768))
    return float(b.size + a.size)


def _linear_algebra_018() -> str:
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    best = np.linalg.lstsq(x, y, rcond=None)[0]
    inv = np.linalg.inv
    candidates = {
        "`inv(X.T @ X) @ X.T @ y`": lambda: inv(x.T @ x) @ x.T @ y,
        "`inv(X) @ y`": lambda: inv(x) @ y,
        "`X.T @ inv(X @ X.T) @ y`": lambda: x.T @ inv(x @ x.T) @ y,
        "`inv(X.T @ X) @ y`": lambda: inv(x.T @ x) @ y,
    }
    matches = []
    for text, f in candidates.items():
        try:
            w = f()
        except (ValueError, np.linalg.LinAlgError):
            continue
        if w.shape == best.shape and np.allclose(w, best, atol=1e-8):
            matches.append(text)
    assert len(matches) == 1
    return matches[0]


def _linear_algebra_019() -> str:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(200, 3)) @ np.array([[3.0, 0, 0], [1, 1, 0], [0, 0.5, 0.2]])
    x = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    w, q = np.linalg.eigh(np.cov(x, rowvar=False))
    top = q[:, np.argmax(w)]
    assert np.isclose(abs(top @ vt[0]), 1.0)  # first column of V = top covariance eigenvector
    assert np.allclose(w[::-1], s**2 / (len(x) - 1))
    return "The columns of V"


def _linear_algebra_020() -> float:
    # Build centred data with exactly these singular values and measure variance directly.
    rng = np.random.default_rng(5)
    u, _ = np.linalg.qr(rng.normal(size=(30, 4)))
    ones = np.ones(30) / np.sqrt(30)
    u = u - np.outer(ones, ones @ u)  # make columns orthogonal to the all-ones vector (centred)
    u, _ = np.linalg.qr(u)
    v, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    x = u @ np.diag([6.0, 3, 2, 1]) @ v.T
    assert np.allclose(x.mean(axis=0), 0)
    w = np.sort(np.linalg.eigvalsh(np.cov(x, rowvar=False)))[::-1]
    return float(w[:2].sum() / w.sum())


def _linear_algebra_021() -> bool:
    a = np.array([[1.0, 4], [0, 1]])
    assert np.all(np.linalg.eigvals(a).real > 0)
    x = np.array([1.0, -1])
    return bool(x @ a @ x > 0)


def _linear_algebra_022() -> set[str]:
    mats = {
        "`[[2, 1], [1, 2]]`": [[2, 1], [1, 2]],
        "`[[4, -2], [-2, 3]]`": [[4, -2], [-2, 3]],
        "`[[5, 4], [4, 4]]`": [[5, 4], [4, 4]],
        "`[[3, -4], [-4, 5]]`": [[3, -4], [-4, 5]],
        "`[[1, 1], [1, 1]]`": [[1, 1], [1, 1]],
    }
    return {t for t, m in mats.items() if np.all(np.linalg.eigvalsh(np.array(m, float)) > 1e-12)}


def _linear_algebra_023() -> float:
    return float(np.linalg.cond(np.array([[5.0, 3], [3, 5]]), 2))


def _linear_algebra_024() -> float:
    rng = np.random.default_rng(6)
    u, _ = np.linalg.qr(rng.normal(size=(4, 3)))
    v, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    a = u @ np.diag([5.0, 3, 1]) @ v.T
    uu, s, vt = np.linalg.svd(a)
    a1 = s[0] * np.outer(uu[:, 0], vt[0])
    return float(np.linalg.norm(a - a1, "fro"))


def _linear_algebra_025() -> float:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(50, 4))
    h = x @ np.linalg.inv(x.T @ x) @ x.T
    return float(np.trace(h))


def _linear_algebra_026() -> float:
    rng = np.random.default_rng(8)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    a = q @ np.diag([10.0, 9, 1]) @ q.T
    top = q[:, 0]
    x = rng.normal(size=3)
    tangents = []
    for _ in range(80):
        x = a @ x
        x /= np.linalg.norm(x)
        along = x @ top
        tangents.append(np.linalg.norm(x - along * top) / abs(along))
    return float(tangents[79] / tangents[78])


def _linear_algebra_027() -> float:
    u = np.array([1.0, 2, 2, 4])
    return float(np.linalg.det(np.eye(4) + np.outer(u, u)))


def _linear_algebra_028() -> float:
    W = np.array([[2, 0], [1, 3]])
    x = np.array([4, -1])
    return float((W @ x)[1])


def _linear_algebra_029() -> set[str]:
    arrays = {"A": np.ones((2, 3)), "B": np.ones((3, 3)), "v": np.ones(3)}
    products = ["`A @ B`", "`B @ v`", "`A @ v`", "`A.T @ A`", "`B @ A`", "`v @ A`"]
    defined = set()
    for text in products:
        try:
            eval(text.strip("`"), {}, arrays)
        except ValueError:
            continue
        defined.add(text)
    return defined


def _linear_algebra_030() -> float:
    rng = np.random.default_rng(4)
    u, v = rng.normal(size=5), rng.normal(size=4)
    return float(np.linalg.matrix_rank(np.outer(u, v)))


def _linear_algebra_031() -> str:
    eigenvalues = np.linalg.eigvals(np.array([[0.0, -1.0], [1.0, 0.0]]))
    assert np.allclose(sorted(eigenvalues, key=lambda z: z.imag), [-1j, 1j])
    return "i and −i, so R has no real eigenvector"


def _linear_algebra_032() -> float:
    singular_values, lam = np.array([3.0, 2.0, 1.0]), 2.0
    # the same number as trace of the ridge hat matrix X (XᵀX + λI)⁻¹ Xᵀ
    rng = np.random.default_rng(5)
    U, _ = np.linalg.qr(rng.normal(size=(6, 3)))
    V, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    X = U @ np.diag(singular_values) @ V.T
    hat = X @ np.linalg.inv(X.T @ X + lam * np.eye(3)) @ X.T
    by_formula = float(np.sum(singular_values**2 / (singular_values**2 + lam)))
    assert np.isclose(np.trace(hat), by_formula)
    return by_formula


def _linear_algebra_033() -> set[str]:
    rng = np.random.default_rng(6)
    samples = [rng.normal(size=(4, 3)) for _ in range(50)] + [
        np.array([[1.0, 2.0], [1.0, 2.0]]),
        np.array([[0.0, 1.0], [0.0, 0.0]]),
        rng.normal(size=(2, 5)),
    ]

    def nonzero_eigs(m):
        return np.sort([e for e in np.linalg.eigvalsh(m) if abs(e) > 1e-9])

    facts = {
        "AᵀA is positive semi-definite": all(
            np.linalg.eigvalsh(a.T @ a).min() >= -1e-9 for a in samples
        ),
        "rank(AᵀA) = rank(A)": all(
            np.linalg.matrix_rank(a.T @ a) == np.linalg.matrix_rank(a) for a in samples
        ),
        "AᵀA and AAᵀ have the same non-zero eigenvalues": all(
            np.allclose(nonzero_eigs(a.T @ a), nonzero_eigs(a @ a.T)) for a in samples
        ),
        "The eigenvalues of AᵀA are the squares of A's singular values": all(
            np.allclose(
                np.sort(np.linalg.eigvalsh(a.T @ a))[::-1][: min(a.shape)],
                np.linalg.svd(a, compute_uv=False) ** 2,
            )
            for a in samples
        ),
        "AᵀA is invertible whenever A has no zero column": all(
            abs(np.linalg.det(a.T @ a)) > 1e-9 for a in samples if np.all(np.any(a != 0, axis=0))
        ),
        "AᵀA = AAᵀ whenever A is square": all(
            np.allclose(a.T @ a, a @ a.T) for a in samples if a.shape[0] == a.shape[1]
        ),
    }
    return {text for text, holds in facts.items() if holds}


CHECKS = {
    "linear-algebra-001": _linear_algebra_001,
    "linear-algebra-002": _linear_algebra_002,
    "linear-algebra-003": _linear_algebra_003,
    "linear-algebra-004": _linear_algebra_004,
    "linear-algebra-005": _linear_algebra_005,
    "linear-algebra-006": _linear_algebra_006,
    "linear-algebra-007": _linear_algebra_007,
    "linear-algebra-008": _linear_algebra_008,
    "linear-algebra-009": _linear_algebra_009,
    "linear-algebra-010": _linear_algebra_010,
    "linear-algebra-011": _linear_algebra_011,
    "linear-algebra-012": _linear_algebra_012,
    "linear-algebra-013": _linear_algebra_013,
    "linear-algebra-014": _linear_algebra_014,
    "linear-algebra-015": _linear_algebra_015,
    "linear-algebra-016": _linear_algebra_016,
    "linear-algebra-017": _linear_algebra_017,
    "linear-algebra-018": _linear_algebra_018,
    "linear-algebra-019": _linear_algebra_019,
    "linear-algebra-020": _linear_algebra_020,
    "linear-algebra-021": _linear_algebra_021,
    "linear-algebra-022": _linear_algebra_022,
    "linear-algebra-023": _linear_algebra_023,
    "linear-algebra-024": _linear_algebra_024,
    "linear-algebra-025": _linear_algebra_025,
    "linear-algebra-026": _linear_algebra_026,
    "linear-algebra-027": _linear_algebra_027,
    "linear-algebra-028": _linear_algebra_028,
    "linear-algebra-029": _linear_algebra_029,
    "linear-algebra-030": _linear_algebra_030,
    "linear-algebra-031": _linear_algebra_031,
    "linear-algebra-032": _linear_algebra_032,
    "linear-algebra-033": _linear_algebra_033,
}
