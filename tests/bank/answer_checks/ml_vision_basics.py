"""Answer checks for quizzes/ml/vision-basics.yaml.

PyTorch is not installed in CI, so convolution arithmetic is checked by direct simulation
with NumPy rather than by formula alone: output sizes by sliding a window, receptive fields
by propagating which input pixels can influence an output, transposed convolutions by
scatter-adding kernels, and NMS, IoU and Dice from their definitions.
"""

import numpy as np


def _window_count(n: int, k: int, s: int, p: int) -> int:
    """Positions of a k-wide window with stride s over n inputs padded by p on each side."""
    return len(range(0, n + 2 * p - k + 1, s))


def _receptive_field(layers: list[tuple[int, int]]) -> int:
    """Width of the input region that one output pixel depends on, found by propagation.

    Starts from one output position and walks back through each (kernel, stride) layer,
    collecting every position of the layer below that the current positions read.
    """
    positions = {0}
    for kernel, stride in reversed(layers):
        positions = {p * stride + offset for p in positions for offset in range(kernel)}
    return max(positions) - min(positions) + 1


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height

    def area(box: tuple[float, ...]) -> float:
        return (box[2] - box[0]) * (box[3] - box[1])

    return inter / (area(a) + area(b) - inter)


def _vision_basics_008() -> str:
    fmap = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [6, 2, 3, 1]])
    pooled = fmap.reshape(2, 2, 2, 2).max(axis=(1, 3))
    return f"`{pooled.tolist()}`"


def _vision_basics_009() -> float:
    return (200 / 255 - 0.485) / 0.229


def _vision_basics_015() -> int:
    after_conv = _window_count(224, k=7, s=2, p=3)
    return _window_count(after_conv, k=3, s=2, p=1)


def _vision_basics_016() -> int:
    return _receptive_field([(3, 1), (3, 1), (3, 1)])


def _vision_basics_018() -> float:
    return _iou((1, 1, 5, 4), (3, 2, 7, 6))


def _vision_basics_019() -> float:
    predicted = np.zeros(100, dtype=bool)
    truth = np.zeros(100, dtype=bool)
    predicted[:30] = True  # 30 predicted pixels
    truth[15:35] = True  # 20 true pixels, 15 of them shared
    assert (predicted & truth).sum() == 15
    return float(2 * (predicted & truth).sum() / (predicted.sum() + truth.sum()))


def _vision_basics_020() -> bool:
    rng = np.random.default_rng(0)
    signal = rng.normal(size=40)
    kernel = rng.normal(size=3)
    shift = 4
    out = np.correlate(signal, kernel, mode="valid")
    out_shifted = np.correlate(np.roll(signal, shift), kernel, mode="valid")
    interior = slice(shift + 1, len(out) - 1)
    return bool(np.allclose(out_shifted[interior], np.roll(out, shift)[interior]))


def _vision_basics_024() -> bool:
    channels = 16
    two_small = 2 * 3 * 3 * channels * channels
    one_large = 5 * 5 * channels * channels
    return two_small < one_large and _receptive_field([(3, 1), (3, 1)]) == 5


def _vision_basics_025() -> int:
    depthwise = 64 * 3 * 3
    pointwise = 64 * 128
    return depthwise + pointwise


def _vision_basics_026() -> int:
    return _receptive_field([(3, 1), (3, 2), (3, 1)])


def _vision_basics_029() -> int:
    grid, boxes, classes = 13, 3, 4
    return grid * grid * (boxes * (4 + 1) + classes)


def _vision_basics_031() -> int:
    n, k, s, p = 16, 4, 2, 1
    full = np.zeros((n - 1) * s + k)
    for i in range(n):  # each input value scatters a copy of the kernel
        full[i * s : i * s + k] += 1.0
    cropped = full[p : len(full) - p]
    return len(cropped)


def _vision_basics_032() -> str:
    boxes = {
        "A": ((0, 0, 10, 10), 0.9),
        "B": ((1, 1, 11, 11), 0.8),
        "C": ((20, 20, 30, 30), 0.75),
        "D": ((2, 2, 12, 12), 0.7),
    }
    kept: list[str] = []
    for name, (box, _) in sorted(boxes.items(), key=lambda kv: -kv[1][1]):
        if all(_iou(box, boxes[other][0]) <= 0.5 for other in kept):
            kept.append(name)
    *rest, last = sorted(kept)
    return f"{', '.join(rest)} and {last}"


def _vision_basics_034() -> str:
    """Only the global-pooling head is independent of the feature map's size."""
    feature_side = {224: 7, 448: 14}
    gap_head_inputs = {size: 2048 for size in feature_side}
    flatten_inputs = {size: side * side * 512 for size, side in feature_side.items()}
    vit_positions = {size: (size // 16) ** 2 for size in feature_side}
    assert flatten_inputs[448] != flatten_inputs[224]
    assert vit_positions == {224: 196, 448: 784}
    assert gap_head_inputs[448] == gap_head_inputs[224]
    return "A ResNet that ends in global average pooling and one linear layer"


CHECKS = {
    "vision-basics-008": _vision_basics_008,
    "vision-basics-009": _vision_basics_009,
    "vision-basics-015": _vision_basics_015,
    "vision-basics-016": _vision_basics_016,
    "vision-basics-018": _vision_basics_018,
    "vision-basics-019": _vision_basics_019,
    "vision-basics-020": _vision_basics_020,
    "vision-basics-024": _vision_basics_024,
    "vision-basics-025": _vision_basics_025,
    "vision-basics-026": _vision_basics_026,
    "vision-basics-029": _vision_basics_029,
    "vision-basics-031": _vision_basics_031,
    "vision-basics-032": _vision_basics_032,
    "vision-basics-034": _vision_basics_034,
}
