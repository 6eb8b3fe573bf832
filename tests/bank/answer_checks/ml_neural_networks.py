"""Answer checks for quizzes/ml/neural-networks.yaml: each computes the keyed answer from first principles."""

import math

import numpy as np


def _linear_params(fan_in: int, fan_out: int, bias: bool = True) -> int:
    return fan_in * fan_out + (fan_out if bias else 0)


def _conv_out(n: int, k: int, s: int, p: int) -> int:
    return (n + 2 * p - k) // s + 1


def _neural_networks_005() -> int:
    return _linear_params(128, 64)


def _neural_networks_006() -> int:
    return _conv_out(32, k=5, s=1, p=0)


def _neural_networks_011() -> int:
    in_ch, out_ch, k = 3, 16, 3
    return out_ch * (in_ch * k * k) + out_ch


def _neural_networks_012() -> int:
    # also confirm by counting the window positions explicitly
    n, k, s, p = 64, 3, 2, 1
    positions = [start for start in range(0, n + 2 * p - k + 1, s)]
    assert len(positions) == _conv_out(n, k, s, p)
    return len(positions)


def _neural_networks_016() -> str:
    w, b, lr = 0.5, 0.0, 0.1
    x, target = 2.0, 3.0
    for _ in range(2):
        z = w * x + b
        y = max(0.0, z)
        grad_z = 2 * (y - target) if z > 0 else 0.0
        w -= lr * grad_z * x
        b -= lr * grad_z
    return f"`{round(w, 3)} {round(b, 3)}`"


def _neural_networks_020() -> int:
    d = 512
    return 4 * _linear_params(d, d)


def _neural_networks_021() -> int:
    n_in, hidden = 10, 20
    per_gate = hidden * n_in + hidden * hidden + hidden
    return 4 * per_gate


def _neural_networks_023() -> float:
    z = np.array([2.0, 1.0, 0.0])
    y = np.array([1.0, 0.0, 0.0])

    def loss(logits: np.ndarray) -> float:
        logp = logits - math.log(np.exp(logits).sum())
        return float(-(y * logp).sum())

    # central finite difference, independent of the p - y formula
    h = 1e-6
    e = np.array([h, 0.0, 0.0])
    grad = (loss(z + e) - loss(z - e)) / (2 * h)
    return grad


def _neural_networks_024() -> int:
    d, d_ff = 256, 1024
    attention = 4 * _linear_params(d, d)
    ffn = _linear_params(d, d_ff) + _linear_params(d_ff, d)
    layer_norms = 2 * (2 * d)
    return attention + ffn + layer_norms


def _neural_networks_028() -> float:
    w, b, x = np.array([0.5, -1.0]), 2.0, np.array([4.0, 1.0])
    return float(max(0.0, w @ x + b))


def _neural_networks_030() -> float:
    vocabulary, dimension = 30_000, 256
    table = np.zeros((vocabulary, dimension), dtype=np.float32)  # one row per token, no bias
    return float(table.size)


def _neural_networks_032() -> float:
    # follow one output unit back through the layers: (kernel, stride), last layer first
    layers = [(3, 2), (3, 1), (3, 1)]
    positions = {0}
    for kernel, stride in reversed(layers):
        positions = {stride * p + offset for p in positions for offset in range(kernel)}
    return float(max(positions) - min(positions) + 1)


CHECKS = {
    "neural-networks-005": _neural_networks_005,
    "neural-networks-006": _neural_networks_006,
    "neural-networks-011": _neural_networks_011,
    "neural-networks-012": _neural_networks_012,
    "neural-networks-016": _neural_networks_016,
    "neural-networks-020": _neural_networks_020,
    "neural-networks-021": _neural_networks_021,
    "neural-networks-023": _neural_networks_023,
    "neural-networks-024": _neural_networks_024,
    "neural-networks-028": _neural_networks_028,
    "neural-networks-030": _neural_networks_030,
    "neural-networks-032": _neural_networks_032,
}
