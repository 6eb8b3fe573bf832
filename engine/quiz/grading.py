"""Grading a learner's answer against an item's key: pure functions, no I/O.

Answers arrive already in the item's own terms: option indices (in the
authored order, whatever order they were shown in) for choice items, a bool
for true/false, and text for numeric and short-text items.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection

from engine.bank.model import ItemSpec

# Matches the forms people type for a number: 0.5, .5, -2, 5e-1, 1/2, -3/4.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_EXACT_RELATIVE_TOLERANCE = 1e-9
_EXACT_ABSOLUTE_TOLERANCE = 1e-12


def parse_number(text: str) -> float | None:
    """The number in `text`, or None when it is not one.

    Accepts decimals with or without a leading zero, scientific notation and
    fractions ``p/q``. Thousands separators are refused: ``1,5`` means 1.5 in
    half the world and 15 in the other half.
    """
    cleaned = text.strip().replace("\u2212", "-")  # a typographic minus sign
    if not cleaned:
        return None
    if "/" in cleaned:
        numerator, _, denominator = cleaned.partition("/")
        top, bottom = parse_number(numerator), parse_number(denominator)
        if top is None or bottom is None or bottom == 0 or "/" in denominator:
            return None
        return top / bottom
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def normalise_text(text: str) -> str:
    """Trimmed, case-folded, with runs of white space made single spaces."""
    return " ".join(text.split()).casefold()


def grade_single(item: ItemSpec, chosen: int | None) -> bool:
    return chosen is not None and chosen in item.correct_options and len(item.correct_options) == 1


def grade_multiple(item: ItemSpec, chosen: Collection[int]) -> bool:
    """All-or-nothing: exactly the keyed set."""
    return set(chosen) == set(item.correct_options)


def grade_true_false(item: ItemSpec, answer: bool | None) -> bool:
    return answer is not None and answer is item.answer


def grade_numeric(item: ItemSpec, text: str) -> bool:
    value = parse_number(text)
    if value is None or item.answer is None:
        return False
    return numbers_match(
        value, float(item.answer), item.absolute_tolerance, item.relative_tolerance
    )


def numbers_match(
    value: float, key: float, absolute: float | None = None, relative: float | None = None
) -> bool:
    """Within the item's tolerance; without one, equal up to floating-point noise.

    Tolerance bounds are inclusive, with a little slack for binary rounding:
    0.4 must be accepted for 0.3 +- 0.1 although 0.4 - 0.3 > 0.1 in floats.
    """
    slack = _EXACT_RELATIVE_TOLERANCE * max(1.0, abs(key), abs(value))
    if absolute is not None:
        return abs(value - key) <= absolute + slack
    if relative is not None:
        return abs(value - key) <= relative * abs(key) + slack
    return math.isclose(
        value, key, rel_tol=_EXACT_RELATIVE_TOLERANCE, abs_tol=_EXACT_ABSOLUTE_TOLERANCE
    )


def grade_text(item: ItemSpec, text: str) -> bool:
    answer = normalise_text(text)
    if not answer:
        return False
    if answer in {normalise_text(accepted) for accepted in item.accept}:
        return True
    if item.pattern is not None:
        return re.fullmatch(item.pattern, " ".join(text.split()), re.IGNORECASE) is not None
    return False
