"""Answer checks for quizzes/programming/python-idioms.yaml: each computes the keyed answer from first principles."""

import typing


def _python_idioms_007() -> bool:
    # Statement: ", ".join([1, 2, 3]) returns "1, 2, 3".
    epochs = [1, 2, 3]
    try:
        result = ", ".join(epochs)  # type: ignore[arg-type]
    except TypeError:
        return False
    return result == "1, 2, 3"


def _python_idioms_009() -> bool:
    def scale(x: float) -> float:
        return x * 2

    try:
        scale("ab")  # type: ignore[arg-type]
    except TypeError:
        return True
    return False


def _python_idioms_012() -> set:
    options = [
        "`map(str, [1, 2])`",
        "`(c for c in 'ab')`",
        "`enumerate('ab')`",
        "`[c for c in 'ab']`",
        "`range(0, 3)`",
        "`{'a': 1}.keys()`",
    ]
    iterators = set()
    for text in options:
        obj = eval(text.strip("`"))
        try:
            next(obj)
        except TypeError:
            continue
        iterators.add(text)
    return iterators


def _python_idioms_014() -> int:
    digits = [3, 0, 7]
    # positional value of each digit
    return sum(d * 10 ** (len(digits) - 1 - i) for i, d in enumerate(digits))


def _python_idioms_015() -> str:
    same = typing.Optional[int] == typing.Union[int, None] == (int | None)
    return "The value is either an `int` or `None`; it is the same as `int | None`" if same else "?"


def _python_idioms_018() -> set:
    options = {
        "`tags: list = []`": ["tags: list = []"],
        "`name: str = 'x'`, then `size: int`": ["name: str = 'x'", "size: int"],
        "`tags: tuple = ()`": ["tags: tuple = ()"],
        "`tags: list = field(default_factory=list)`": ["tags: list = field(default_factory=list)"],
        "`size: int`, then `name: str = 'x'`": ["size: int", "name: str = 'x'"],
    }
    failing = set()
    for text, fields in options.items():
        source = "from dataclasses import dataclass, field\n@dataclass\nclass C:\n" + "".join(
            f"    {line}\n" for line in fields
        )
        try:
            exec(source, {})
        except (TypeError, ValueError):
            failing.add(text)
    return failing


def _python_idioms_029() -> set:
    options = [
        "`list(range(0, 8, 2))`",
        "`[2 * i for i in range(4)]`",
        "`[i for i in range(7) if i % 2 == 0]`",
        "`list(range(7))[::2]`",
        "`list(range(0, 6, 2))`",
        "`[2 * i for i in range(1, 5)]`",
    ]
    return {text for text in options if eval(text.strip("`")) == [0, 2, 4, 6]}


def _python_idioms_033() -> bool:
    import functools
    import gc
    import weakref

    class Wrapper:
        @functools.cache  # noqa: B019 - the leak this item asks about
        def predict(self, x):
            return 2 * x

    wrapper = Wrapper()
    wrapper.predict(3)
    alive = weakref.ref(wrapper)
    del wrapper
    gc.collect()
    kept_by_cache = alive() is not None
    Wrapper.predict.cache_clear()
    gc.collect()
    assert alive() is None  # once the entry is gone, the instance is freed
    return kept_by_cache


def _python_idioms_031() -> float:
    a = {"cat": 3, "dog": 1}
    b = {"cat": 1, "dog": 2, "eel": 1}
    difference = {k: a.get(k, 0) - b.get(k, 0) for k in a.keys() | b.keys()}
    kept = {k: v for k, v in difference.items() if v > 0}  # Counter subtraction drops <= 0
    return float(sum(kept.values()))


CHECKS = {
    "python-idioms-007": _python_idioms_007,
    "python-idioms-009": _python_idioms_009,
    "python-idioms-012": _python_idioms_012,
    "python-idioms-014": _python_idioms_014,
    "python-idioms-015": _python_idioms_015,
    "python-idioms-018": _python_idioms_018,
    "python-idioms-029": _python_idioms_029,
    "python-idioms-031": _python_idioms_031,
    "python-idioms-033": _python_idioms_033,
}
