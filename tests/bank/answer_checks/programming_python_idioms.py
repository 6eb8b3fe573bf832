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


CHECKS = {
    "python-idioms-007": _python_idioms_007,
    "python-idioms-009": _python_idioms_009,
    "python-idioms-012": _python_idioms_012,
    "python-idioms-014": _python_idioms_014,
    "python-idioms-015": _python_idioms_015,
    "python-idioms-018": _python_idioms_018,
}
