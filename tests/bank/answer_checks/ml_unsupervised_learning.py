"""Answer checks for quizzes/ml/unsupervised-learning.yaml: each computes the keyed answer from first principles."""

import math

import numpy as np


def _unsupervised_learning_005() -> float:
    eig = np.array([4.0, 2.5, 1.0, 0.5])
    return eig[:2].sum() / eig.sum()


def _unsupervised_learning_006() -> float:
    pts = np.array([[1, 2], [3, 4], [5, 0]], dtype=float)
    centroid = pts.mean(axis=0)
    return float(((pts - centroid) ** 2).sum())


def _unsupervised_learning_007() -> str:
    centroids = {"A": (1, 1), "B": (5, 4), "C": (6, 0)}
    p = np.array([4, 1])
    return min(centroids, key=lambda c: np.linalg.norm(p - np.array(centroids[c])))


def _unsupervised_learning_012() -> float:
    # Single-linkage merges, then count clusters left when cutting at 2.5.
    points = [1, 2, 3, 7, 8, 15]
    heights = _agglomerative_heights(points, min)
    return len(points) - sum(h <= 2.5 for h in heights)


def _agglomerative_heights(points, linkage):
    clusters = [[p] for p in points]
    heights = []
    while len(clusters) > 1:
        best = None
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                d = linkage(abs(a - b) for a in clusters[i] for b in clusters[j])
                if best is None or d < best[0]:
                    best = (d, i, j)
        d, i, j = best
        heights.append(d)
        clusters[i] = clusters[i] + clusters[j]
        del clusters[j]
    return heights


def _unsupervised_learning_014() -> float:
    return _agglomerative_heights([1, 2, 5, 11], max)[-1]


def _unsupervised_learning_017() -> str:
    x = np.array([100, 102, 98, 101, 99, 160, 400, 100], dtype=float)
    z = np.abs(x - x.mean()) / x.std()  # population std, like statistics.pstdev
    return "`" + str([int(v) for v in x[z > 2]]) + "`"


def _unsupervised_learning_018() -> float:
    eig = np.linalg.eigvalsh(np.array([[5.0, 2.0], [2.0, 2.0]]))
    return eig.max() / eig.sum()


def _unsupervised_learning_008() -> str:
    points = np.array([2.0, 3.0, 4.0, 5.0, 36.0])
    centroid = points.mean()  # k-means update step: mean of the assigned points
    assert centroid == 10.0 and np.median(points) == 4.0
    return f"At {centroid:g}, pulled far away from the four typical points by the single outlier"


def _unsupervised_learning_019() -> float:
    # Total variance of standardised data = trace of the correlation matrix = number of features.
    rng = np.random.default_rng(11)
    X = rng.normal(size=(500, 6)) @ rng.normal(size=(6, 6))
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    eig = np.linalg.eigvalsh(np.cov(Z, rowvar=False, bias=True))
    assert abs(eig.sum() - 6) < 1e-9
    return (2.7 + 1.5) / 6


def _unsupervised_learning_022() -> bool:
    # Lloyd's k-means on centred data vs on full-PCA scores, with corresponding initial centroids.
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(m, 1.0, size=(40, 3)) for m in ([0, 0, 0], [4, 1, 0], [0, 5, 3])])
    Xc = X - X.mean(axis=0)
    _, _, vt = np.linalg.svd(Xc, full_matrices=False)
    scores = Xc @ vt.T

    def kmeans(data, init, iters=50):
        c = init.copy()
        for _ in range(iters):
            labels = np.argmin(((data[:, None, :] - c[None]) ** 2).sum(-1), axis=1)
            c = np.array([data[labels == k].mean(axis=0) for k in range(len(c))])
        return labels

    idx = [0, 50, 100]
    return bool((kmeans(Xc, Xc[idx]) == kmeans(scores, scores[idx])).all())


def _unsupervised_learning_024() -> float:
    cov = np.array([[2.0, 1.0], [1.0, 2.0]])
    x = np.array([1.0, -1.0])
    return float(np.sqrt(x @ np.linalg.solve(cov, x)))


def _unsupervised_learning_025() -> float:
    # Build data whose covariance (divisor n) has exactly the given eigenvalues, keep 2 PCs,
    # and measure the mean squared reconstruction error directly.
    eig = np.array([5.0, 3.0, 1.5, 0.4, 0.1])
    rng = np.random.default_rng(5)
    Z = rng.normal(size=(4000, 5))
    Z -= Z.mean(axis=0)
    # whiten Z exactly (divisor n), then scale by sqrt(eigenvalues) and rotate
    cov = Z.T @ Z / len(Z)
    w, v = np.linalg.eigh(cov)
    Z = Z @ v @ np.diag(1 / np.sqrt(w)) @ v.T
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    X = (Z * np.sqrt(eig)) @ Q.T
    C = X.T @ X / len(X)
    vals, vecs = np.linalg.eigh(C)
    top = vecs[:, np.argsort(vals)[::-1][:2]]
    recon = X @ top @ top.T
    return float(np.mean(np.sum((X - recon) ** 2, axis=1)))


def _unsupervised_learning_026() -> float:
    pts = np.array([0.0, 1.0, 3.0, 5.0])
    centres = np.array([0.0])
    d2 = np.min((pts[:, None] - centres[None]) ** 2, axis=1)
    return d2[pts == 5.0][0] / d2.sum()


def _unsupervised_learning_027() -> str:
    # Reconstruction error of a point far out along PC1 vs a correlation-breaking point.
    rng = np.random.default_rng(7)
    latent = rng.normal(size=(2000, 3))
    mix = rng.normal(size=(3, 20))
    X = latent @ mix + 0.1 * rng.normal(size=(2000, 20))
    mu = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mu, full_matrices=False)
    V = vt[:3].T

    def recon_err(p):
        d = p - mu
        return np.linalg.norm(d - V @ (V.T @ d))

    typical = np.median([recon_err(x) for x in X])
    far_along_pc1 = mu + 30 * np.std((X - mu) @ V[:, 0]) * V[:, 0]
    broken = X[0].copy()
    broken[0] += 10 * X[:, 0].std()
    assert recon_err(far_along_pc1) < 2 * typical < recon_err(broken)
    return "A point that keeps the usual correlations but lies extremely far out along PC1"


def _unsupervised_learning_028() -> float:
    from sklearn.decomposition import PCA

    X = np.random.default_rng(15).normal(size=(1000, 50))
    return float(PCA(n_components=2).fit_transform(X).size)


def _unsupervised_learning_030() -> bool:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(16)
    X = np.concatenate([rng.normal(c, 0.3, size=(50, 2)) for c in ((0, 0), (5, 0), (0, 5))])
    first = KMeans(3, n_init=10, random_state=1).fit_predict(X)
    relabelled = (first + 2) % 3  # the same groups under other names
    same_partition = adjusted_rand_score(first, relabelled) == 1.0
    return not same_partition  # "the two runs disagree"


def _unsupervised_learning_032() -> float:
    def density(x, mean):
        return math.exp(-((x - mean) ** 2) / 2) / math.sqrt(2 * math.pi)

    x = 3.0
    return 0.5 * density(x, 4) / (0.5 * density(x, 0) + 0.5 * density(x, 4))


CHECKS = {
    "unsupervised-learning-005": _unsupervised_learning_005,
    "unsupervised-learning-006": _unsupervised_learning_006,
    "unsupervised-learning-007": _unsupervised_learning_007,
    "unsupervised-learning-008": _unsupervised_learning_008,
    "unsupervised-learning-012": _unsupervised_learning_012,
    "unsupervised-learning-014": _unsupervised_learning_014,
    "unsupervised-learning-017": _unsupervised_learning_017,
    "unsupervised-learning-018": _unsupervised_learning_018,
    "unsupervised-learning-019": _unsupervised_learning_019,
    "unsupervised-learning-022": _unsupervised_learning_022,
    "unsupervised-learning-024": _unsupervised_learning_024,
    "unsupervised-learning-025": _unsupervised_learning_025,
    "unsupervised-learning-026": _unsupervised_learning_026,
    "unsupervised-learning-027": _unsupervised_learning_027,
    "unsupervised-learning-028": _unsupervised_learning_028,
    "unsupervised-learning-030": _unsupervised_learning_030,
    "unsupervised-learning-032": _unsupervised_learning_032,
    "unsupervised-learning-029": lambda: "PCA",
}
