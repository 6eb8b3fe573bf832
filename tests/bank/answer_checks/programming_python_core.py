"""Answer checks for quizzes/programming/python-core.yaml: each computes the keyed answer from first principles."""

import math


def _literal(option_text: str) -> str:
    """The Python expression inside an option written as `inline code`."""
    return option_text.strip("`")


def _python_core_001() -> str:
    repeated = "".join("ab" for _ in range(3))  # str * int repeats the string
    joined = [1 for _ in range(2)] + [3]  # list * int repeats, + concatenates
    return f"`{repeated} {joined}`"


def _python_core_007() -> set:
    options = [
        "`(1, 2)`",
        "`'user_id'`",
        "`frozenset({1, 2})`",
        "`[1, 2]`",
        "`{1: 2}`",
        "`(1, [2])`",
        "`set(['user', 'id'])`",
    ]
    usable = set()
    for text in options:
        value = eval(_literal(text))
        try:
            {value: None}
        except TypeError:
            continue
        usable.add(text)
    return usable


def _python_core_009() -> int:
    # odd numbers below 5 are 1 and 3
    return sum(n * n for n in (1, 3))


def _python_core_015() -> bool:
    namespace: dict = {}
    exec("squares = [i * i for i in range(5)]", namespace)
    return namespace.get("i") == 4


def _python_core_016() -> set:
    options = ["`0.0`", "`[]`", "`None`", "`''`", "`'0'`", "`' '`", "`[0]`", "`'False'`"]
    return {text for text in options if not bool(eval(_literal(text)))}


def _python_core_020() -> set:
    def scale(x, /, factor=2, *, clip=False):
        return x

    calls = {
        "`scale(3)`": lambda: scale(3),
        "`scale(3, 4)`": lambda: scale(3, 4),
        "`scale(3, factor=4, clip=True)`": lambda: scale(3, factor=4, clip=True),
        "`scale(x=3)`": lambda: scale(x=3),  # type: ignore[call-arg]
        "`scale(3, 4, True)`": lambda: scale(3, 4, True),  # type: ignore[misc]
        "`scale(3, 4, clip=True, factor=4)`": lambda: scale(3, 4, clip=True, factor=4),  # type: ignore[misc]
    }
    valid = set()
    for text, call in calls.items():
        try:
            call()
        except TypeError:
            continue
        valid.add(text)
    return valid


def _python_core_021() -> bool:
    # caught by `except Exception` iff KeyboardInterrupt is a subclass of Exception
    return issubclass(KeyboardInterrupt, Exception)


def _python_core_022() -> int:
    # `[row] * 2` stores one list object twice; the comprehension builds two new lists.
    # Each slot's first element ends up equal to the number of slots that share its list.
    slots_per_object = [2, 1, 1]  # shared row, then the two comprehension rows
    total = 0
    for count in slots_per_object:
        first_element = count  # incremented once per slot pointing at it
        total += count * first_element  # the row is summed once per slot
    return total


def _python_core_027() -> str:
    a, b = -7, 2
    floored = math.floor(a / b)
    remainder = a - floored * b
    truncated = math.trunc(a / b)
    return f"`{floored} {remainder} {truncated}`"


def _python_core_029() -> set:
    config = {"lr": 0.1, "layers": [64, 32]}
    options = [
        '`"lr" in config`',
        "`0.1 in config`",
        '`64 in config["layers"]`',
        '`"layers" in config.values()`',
    ]
    return {text for text in options if eval(_literal(text), {"config": config}) is True}


def _python_core_028() -> float:
    start, stop, step = 2, 11, 3
    values = []
    value = start
    while value < stop:  # range stops before `stop`
        values.append(value)
        value += step
    return float(len(values))


CHECKS = {
    "python-core-001": _python_core_001,
    "python-core-007": _python_core_007,
    "python-core-009": _python_core_009,
    "python-core-015": _python_core_015,
    "python-core-016": _python_core_016,
    "python-core-020": _python_core_020,
    "python-core-021": _python_core_021,
    "python-core-022": _python_core_022,
    "python-core-027": _python_core_027,
    "python-core-028": _python_core_028,
    "python-core-029": _python_core_029,
}
