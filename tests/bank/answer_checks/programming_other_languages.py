"""Answer checks for quizzes/programming/other-languages.yaml: each computes the keyed answer from first principles.

The R and C++ items are checked by emulating the relevant language rule in Python
(1-based indexing, element-wise arithmetic with recycling, NA propagation, factor codes,
pass-by-value versus pass-by-reference); the CUDA items by computing launch and
occupancy arithmetic.
"""

import math


def _r_elementwise(op, x: list, y: list) -> list:
    """R arithmetic on vectors: element-wise, the shorter vector recycled."""
    n = max(len(x), len(y))
    return [op(x[i % len(x)], y[i % len(y)]) for i in range(n)]


def _fmt(values) -> str:
    return "`" + " ".join(str(int(v)) if float(v).is_integer() else str(v) for v in values) + "`"


def _other_languages_003() -> str:
    x = [10, 20, 30]
    r_index = 1
    return _fmt([x[r_index - 1]])  # R counts from 1


def _other_languages_006() -> str:
    return _fmt(_r_elementwise(lambda a, b: a * b, [1, 2, 3], [2]))


def _other_languages_009() -> str:
    caller = {"x": 1, "y": 1}
    a = caller["x"]  # int a: a copy of x
    a += 1
    caller["y"] += 1  # int& b: an alias of y
    return _fmt([caller["x"], caller["y"]])


def _other_languages_010() -> str:
    block_dim, grid_dim = 256, 4  # any sizes with block_dim != grid_dim
    formulas = {
        "`blockIdx.x * blockDim.x + threadIdx.x`": lambda b, t: b * block_dim + t,
        "`threadIdx.x`": lambda b, t: t,
        "`blockIdx.x + threadIdx.x`": lambda b, t: b + t,
        "`blockIdx.x * gridDim.x + threadIdx.x`": lambda b, t: b * grid_dim + t,
    }
    good = [
        text
        for text, f in formulas.items()
        if sorted(f(b, t) for b in range(grid_dim) for t in range(block_dim))
        == list(range(grid_dim * block_dim))
    ]
    assert len(good) == 1
    return good[0]


def _other_languages_011() -> float:
    n, threads = 1000, 256
    blocks = math.ceil(n / threads)
    return blocks * threads


def _other_languages_012() -> str:
    scores = [4, None, 8]  # None plays R's NA
    return "`NA`" if any(s is None for s in scores) else _fmt([sum(scores) / len(scores)])


def _other_languages_014() -> float:
    return sum(_r_elementwise(lambda a, b: a * b, [1, 2, 3, 4, 5, 6], [0, 1]))


def _other_languages_023() -> float:
    max_threads, max_blocks, regs, smem_kb = 2048, 32, 65536, 100
    block_threads, regs_per_thread, smem_per_block_kb = 256, 32, 40
    blocks = min(
        max_threads // block_threads,
        max_blocks,
        regs // (regs_per_thread * block_threads),
        smem_kb // smem_per_block_kb,
    )
    return 100 * blocks * block_threads / max_threads


def _other_languages_027() -> str:
    values = ["10", "5", "10", "20"]
    levels = sorted(set(values))  # factor() sorts the distinct strings
    return _fmt([levels.index(v) + 1 for v in values])


def _other_languages_029() -> float:
    length = 5
    valid = range(length)  # Java indices start at 0
    return float(max(valid))


def _other_languages_030() -> float:
    hits, total = 7, 2
    truncated = math.trunc(hits / total)  # int / int truncates toward zero in C++
    return float(truncated)


def _other_languages_032() -> float:
    peak_flops, bandwidth = 100e12, 2e12
    bytes_per_element, flops_per_element = 8 + 4, 1
    attainable = min(peak_flops, bandwidth * flops_per_element / bytes_per_element)  # roofline
    return 100 * attainable / peak_flops


CHECKS = {
    "other-languages-003": _other_languages_003,
    "other-languages-006": _other_languages_006,
    "other-languages-009": _other_languages_009,
    "other-languages-010": _other_languages_010,
    "other-languages-011": _other_languages_011,
    "other-languages-012": _other_languages_012,
    "other-languages-014": _other_languages_014,
    "other-languages-023": _other_languages_023,
    "other-languages-027": _other_languages_027,
    "other-languages-029": _other_languages_029,
    "other-languages-030": _other_languages_030,
    "other-languages-032": _other_languages_032,
}
