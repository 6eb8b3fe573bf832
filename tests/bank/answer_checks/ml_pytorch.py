"""Answer checks for quizzes/ml/pytorch.yaml.

PyTorch is not installed in CI, so these checks redo each item's arithmetic and shapes with
NumPy, under the semantics the item states (documented PyTorch behaviour):

* ``nn.Linear`` computes ``x @ W.T + b``; reductions drop the reduced dimension; ``permute``
  is NumPy's ``transpose``; ``reshape`` keeps row-major memory order.
* ``backward()`` adds the gradient into ``.grad``; ``zero_grad()`` clears it; ``step()``
  subtracts ``lr * .grad``; ``detach()`` makes a value a constant for differentiation.
* ``CrossEntropyLoss`` takes classes in dimension 1 and averages over every other position.
"""

import math
from collections.abc import Callable

import numpy as np

_STEP = 1e-6


def _derivative(f: Callable[[float], float], x: float) -> float:
    """Central finite difference: independent of the symbolic derivative in the explanation."""
    return (f(x + _STEP) - f(x - _STEP)) / (2 * _STEP)


def _pytorch_001() -> str:
    x = np.ones((32, 20))
    weight, bias = np.ones((5, 20)), np.ones(5)  # nn.Linear stores W as (out, in)
    shape = (x @ weight.T + bias).shape
    return f"`torch.Size([{shape[0]}, {shape[1]}])`"


def _pytorch_004() -> float:
    return round(_derivative(lambda x: x**2 + 2 * x, 3.0), 6)


class _Param:
    """One scalar parameter with PyTorch's grad semantics: backward adds, zero_grad clears."""

    def __init__(self, value: float) -> None:
        self.value, self.grad = value, 0.0


def _run_steps(order: list[str], batches: list[float], lr: float) -> float:
    """Minimise sum over steps of (w - target)^2 with the calls in the given order."""
    w = _Param(0.0)
    for target in batches:
        loss_grad = 0.0
        for call in order:
            if call == "forward":
                loss_grad = 2 * (w.value - target)  # the loss's gradient at the current w
            elif call == "backward":
                w.grad += loss_grad
            elif call == "zero_grad":
                w.grad = 0.0
            elif call == "step":
                w.value -= lr * w.grad
    return w.value


def _pytorch_005() -> str:
    batches, lr = [1.0, 2.0, -1.0], 0.1
    reference = 0.0
    for target in batches:  # plain gradient descent, one fresh gradient per step
        reference -= lr * 2 * (reference - target)
    orders = {
        "`optimizer.zero_grad()` → forward → loss → `loss.backward()` → `optimizer.step()`": [
            "zero_grad",
            "forward",
            "backward",
            "step",
        ],
        "`optimizer.zero_grad()` → forward → loss → `optimizer.step()` → `loss.backward()`": [
            "zero_grad",
            "forward",
            "step",
            "backward",
        ],
        "forward → loss → `loss.backward()` → `optimizer.zero_grad()` → `optimizer.step()`": [
            "forward",
            "backward",
            "zero_grad",
            "step",
        ],
        "forward → loss → `optimizer.step()` → `loss.backward()` → `optimizer.zero_grad()`": [
            "forward",
            "step",
            "backward",
            "zero_grad",
        ],
    }
    (right,) = [
        text
        for text, order in orders.items()
        if math.isclose(_run_steps(order, batches, lr), reference)
    ]
    return right


def _pytorch_006() -> int:
    n, batch = 1000, 64
    return n // batch  # drop_last=True discards the partial batch of n % batch samples


def _pytorch_011() -> set[str]:
    x = np.zeros((8, 3, 5))
    candidates = {
        "`x.sum(dim=1)`": x.sum(axis=1),
        "`x.mean(1)`": x.mean(1),
        "`x[:, 0, :]`": x[:, 0, :],
        "`x.amax(dim=1)`": x.max(axis=1),
        "`x.sum(dim=2)`": x.sum(axis=2),
        "`x[:, :, 0]`": x[:, :, 0],
    }
    return {text for text, value in candidates.items() if value.shape == (8, 5)}


def _pytorch_014() -> float:
    w, grad = 1.5, 0.0
    for _ in range(3):
        grad += _derivative(lambda v: (2 * v - 1) ** 2, w)  # backward() accumulates
    return round(grad, 6)


def _linear_params(fan_in: int, fan_out: int) -> int:
    return fan_in * fan_out + fan_out


def _pytorch_017() -> int:
    batch_norm = 2 * 64  # weight and bias; running mean and variance are buffers
    return _linear_params(20, 64) + batch_norm + _linear_params(64, 1)


def _pytorch_019() -> str:
    s = np.arange(1.0, 17.0).reshape(4, 4)
    p = s / s.sum(axis=1)
    row_sums = s.sum(axis=1)
    assert np.allclose(p, s / row_sums[np.newaxis, :])  # column j divided by row j's sum
    assert not np.allclose(p.sum(axis=1), 1.0)
    assert not np.allclose(p.sum(axis=0), 1.0)
    assert not math.isclose(p.sum(), 1.0)
    return "Entry (i, j) is divided by the sum of row j, so in general no row sums to 1"


def _pytorch_020() -> str:
    """Clip with the call at each position; only one clips the gradient the step uses."""
    lr, max_norm, grads = 0.1, 1.0, [3.0, -4.0, 0.5]

    def clip(g: float) -> float:
        return g * min(1.0, max_norm / abs(g)) if g else g

    reference = 0.0
    for g in grads:
        reference -= lr * clip(g)
    orders = {
        "After `loss.backward()` and before `optimizer.step()`": [
            "zero_grad",
            "backward",
            "clip",
            "step",
        ],
        "After the forward pass and before `loss.backward()`": [
            "zero_grad",
            "clip",
            "backward",
            "step",
        ],
        "After `optimizer.step()`, at the end of the step": [
            "zero_grad",
            "backward",
            "step",
            "clip",
        ],
        "Before `optimizer.zero_grad()`, at the start of the step": [
            "clip",
            "zero_grad",
            "backward",
            "step",
        ],
    }
    right = []
    for text, order in orders.items():
        w, grad = 0.0, 0.0
        for g in grads:
            for call in order:
                if call == "zero_grad":
                    grad = 0.0
                elif call == "backward":
                    grad += g
                elif call == "clip":
                    grad = clip(grad)
                elif call == "step":
                    w -= lr * grad
        if math.isclose(w, reference):
            right.append(text)
    (answer,) = right
    return answer


def _pytorch_021() -> str:
    n, h, w, c = 2, 3, 4, 5
    x = np.arange(n * h * w * c).reshape(n, h, w, c)
    candidates = {
        "`x.permute(0, 3, 1, 2)`": x.transpose(0, 3, 1, 2),
        "`x.reshape(N, C, H, W)`": x.reshape(n, c, h, w),
        "`x.permute(0, 2, 3, 1)`": x.transpose(0, 2, 3, 1),
        "`x.transpose(1, 3)`": x.swapaxes(1, 3),
    }
    expected = np.empty((n, c, h, w), dtype=x.dtype)
    for index in np.ndindex(n, h, w, c):
        i, y, z, k = index
        expected[i, k, y, z] = x[index]
    (right,) = [
        text
        for text, value in candidates.items()
        if value.shape == expected.shape and np.array_equal(value, expected)
    ]
    return right


def _pytorch_022() -> float:
    logits, targets = np.array([2.0, -1.0]), np.array([1.0, 0.0])
    p = 1 / (1 + np.exp(-logits))
    losses = -(targets * np.log(p) + (1 - targets) * np.log(1 - p))
    return float(losses.mean())


def _pytorch_023() -> set[str]:
    ts = [np.zeros((3, 4)) for _ in range(10)]
    candidates = {
        "`torch.cat(ts, dim=0)`": np.concatenate(ts, axis=0),
        "`torch.stack(ts, dim=0)`": np.stack(ts, axis=0),
        "`torch.cat(ts, dim=1)`": np.concatenate(ts, axis=1),
        "`torch.stack(ts, dim=1)`": np.stack(ts, axis=1),
    }
    return {text for text, value in candidates.items() if value.shape == (30, 4)}


def _cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """nn.CrossEntropyLoss: classes in dimension 1, mean over every other position."""
    if logits.ndim != targets.ndim + 1 or logits.shape[:1] + logits.shape[2:] != targets.shape:
        raise ValueError("shape mismatch")
    moved = np.moveaxis(logits, 1, -1)
    log_probs = moved - np.log(np.exp(moved).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, targets[..., np.newaxis], axis=-1)
    return float(-picked.mean())


def _pytorch_025() -> set[str]:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(32, 50, 9))
    targets = rng.integers(0, 9, size=(32, 50))
    # the loss the item asks for: each token's own 9 scores against its own tag
    reference = _cross_entropy(logits.reshape(-1, 9), targets.reshape(-1))
    per_token = [
        -(logits[b, t, targets[b, t]] - np.log(np.exp(logits[b, t]).sum()))
        for b in range(32)
        for t in range(50)
    ]
    assert math.isclose(reference, float(np.mean(per_token)))
    candidates: dict[str, Callable[[], float]] = {
        "`loss_fn(logits.permute(0, 2, 1), targets)`": lambda: _cross_entropy(
            logits.transpose(0, 2, 1), targets
        ),
        "`loss_fn(logits.reshape(-1, 9), targets.reshape(-1))`": lambda: _cross_entropy(
            logits.reshape(-1, 9), targets.reshape(-1)
        ),
        "`loss_fn(logits, targets)`": lambda: _cross_entropy(logits, targets),
        "`loss_fn(logits.reshape(32, 9, 50), targets)`": lambda: _cross_entropy(
            logits.reshape(32, 9, 50), targets
        ),
        "`loss_fn(logits.transpose(1, 2).reshape(-1, 9), targets.reshape(-1))`": lambda: (
            _cross_entropy(logits.transpose(0, 2, 1).reshape(-1, 9), targets.reshape(-1))
        ),
    }
    right = set()
    for text, compute in candidates.items():
        try:
            value = compute()
        except ValueError:
            continue
        if math.isclose(value, reference):
            right.add(text)
    return right


def _pytorch_028() -> float:
    constant = 2.0  # a.detach(): the value of a, frozen
    return round(_derivative(lambda a: constant * a**2, 2.0), 6)


def _pytorch_029() -> float:
    pred = np.array([[1.0], [3.0]])
    target = np.array([1.0, 3.0])
    difference = pred - target
    assert difference.shape == (2, 2)
    return float((difference**2).mean())


def _pytorch_034() -> float:
    rng = np.random.default_rng(1)
    x, y, w = rng.normal(size=(64, 3)), rng.normal(size=64), rng.normal(size=3)
    residual = x @ w - y
    grad_sum = 2 * x.T @ residual  # gradient of the summed squared errors
    grad_mean = grad_sum / len(y)
    lr_sum = 0.1
    lr_mean = lr_sum * len(y)
    assert np.allclose(lr_sum * grad_sum, lr_mean * grad_mean)
    return lr_mean


CHECKS = {
    "pytorch-001": _pytorch_001,
    "pytorch-004": _pytorch_004,
    "pytorch-005": _pytorch_005,
    "pytorch-006": _pytorch_006,
    "pytorch-011": _pytorch_011,
    "pytorch-014": _pytorch_014,
    "pytorch-017": _pytorch_017,
    "pytorch-019": _pytorch_019,
    "pytorch-020": _pytorch_020,
    "pytorch-021": _pytorch_021,
    "pytorch-022": _pytorch_022,
    "pytorch-023": _pytorch_023,
    "pytorch-025": _pytorch_025,
    "pytorch-028": _pytorch_028,
    "pytorch-029": _pytorch_029,
    "pytorch-034": _pytorch_034,
}
