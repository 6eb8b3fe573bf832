"""Numeric items accept what a careful learner types at the precision the prompt asks for.

A prompt that says "give two decimal places" (or "three significant figures", or "a whole
number") promises that the correctly rounded value is right. The tolerance must therefore
accept the exact value and its correct rounding; when the exact value lies close to a
rounding boundary, a learner who rounds intermediate results lands on either side, so both
neighbouring roundings must be accepted; and an answer one unit off in the last stated place
is a wrong answer and must be rejected (information-theory-012 once rejected 0.037 for an
exact 0.036453).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.bank import ItemSpec
from engine.quiz.grading import numbers_match
from tests.bank.shipped import ITEMS, load_checks

CHECKS = load_checks()

# A learner who keeps a few extra digits in intermediate steps can still end up this many
# units of the last stated place away from the exact value.
BOUNDARY_MARGIN = 0.1

_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNT = r"(?P<count>one|two|three|four|five|six|\d)"
_PRECISION_PHRASES = re.compile(
    rf"{_COUNT}\s+(?P<kind>decimals?(?:\s+places?)?|significant\s+(?:figures|digits))"
    r"|(?P<whole>nearest\s+(?:whole\s+number|integer)|a\s+whole\s+number)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Precision:
    """What the prompt asks for: so many decimal places, or so many significant figures."""

    decimals: int | None = None
    significant: int | None = None

    def unit(self, value: float) -> Decimal:
        """One unit in the last stated place, for an answer near `value`."""
        if self.decimals is not None:
            return Decimal(1).scaleb(-self.decimals)
        assert self.significant is not None
        exponent = math.floor(math.log10(abs(value))) if value else 0
        return Decimal(1).scaleb(exponent - self.significant + 1)


def stated_precision(prompt: str) -> Precision | None:
    """The last precision instruction in the prompt ("... to two decimal places"), if any."""
    found = None
    for match in _PRECISION_PHRASES.finditer(prompt):
        if match["whole"]:
            found = Precision(decimals=0)
            continue
        count = match["count"].lower()
        number = int(count) if count.isdigit() else _COUNT_WORDS[count]
        if match["kind"].lower().startswith("decimal"):
            found = Precision(decimals=number)
        else:
            found = Precision(significant=number)
    return found


def acceptable_roundings(exact: float, unit: Decimal) -> set[Decimal]:
    """The correctly rounded value, plus its neighbour when `exact` is near the boundary."""
    scaled = Decimal(repr(exact)) / unit
    nearest = scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    accepted = {nearest * unit}
    offset = scaled - nearest  # in [-0.5, 0.5]
    if abs(offset) >= Decimal("0.5") - Decimal(str(BOUNDARY_MARGIN)):
        neighbour = nearest + (1 if offset > 0 else -1)
        accepted.add(neighbour * unit)
    return accepted


def _accepts(item: ItemSpec, value: float) -> bool:
    assert item.answer is not None
    if item.absolute_tolerance is None and item.relative_tolerance is None:
        return numbers_match(value, float(item.answer))
    return numbers_match(
        value, float(item.answer), item.absolute_tolerance, item.relative_tolerance
    )


PRECISION_ITEMS = [
    item
    for item in ITEMS.values()
    if item.type == "numeric" and stated_precision(item.prompt) is not None and item.id in CHECKS
]


@pytest.mark.parametrize("item", PRECISION_ITEMS, ids=lambda item: item.id)
def test_the_tolerance_matches_the_stated_precision(item: ItemSpec) -> None:
    precision = stated_precision(item.prompt)
    assert precision is not None
    computed = CHECKS[item.id][1]()
    assert isinstance(computed, int | float)
    exact = float(computed)
    unit = precision.unit(exact)
    accepted = acceptable_roundings(exact, unit)
    problems = [f"exact value {exact!r} is rejected"] if not _accepts(item, exact) else []
    problems += [f"{v} is rejected" for v in sorted(accepted) if not _accepts(item, float(v))]
    nearest = min(accepted, key=lambda v: abs(v - Decimal(repr(exact))))
    for wrong in (nearest - unit, nearest + unit):
        if wrong not in accepted and _accepts(item, float(wrong)):
            problems.append(f"{wrong}, one unit off in the last stated place, is accepted")
    assert problems == [], (
        f"{item.id} (tolerance abs={item.absolute_tolerance}, rel={item.relative_tolerance}, "
        f"key {item.answer}): " + "; ".join(problems)
    )


def test_an_answer_that_needs_rounding_says_how_to_round() -> None:
    """Without a stated precision a learner cannot know what the key expects."""
    unstated = []
    for item in ITEMS.values():
        if item.type != "numeric" or item.id not in CHECKS or stated_precision(item.prompt):
            continue
        exact = float(CHECKS[item.id][1]())  # type: ignore[arg-type]
        if not math.isclose(exact, round(exact, 3), rel_tol=1e-9, abs_tol=1e-12):
            unstated.append(f"{item.id} ({exact!r})")
    assert unstated == []


def test_the_audited_boundary_case_accepts_both_roundings() -> None:
    # information-theory-012: KL((0.5, 0.3, 0.2) || (0.4, 0.4, 0.2)) = 0.036453 bits.
    assert acceptable_roundings(0.036453, Decimal("0.001")) == {Decimal("0.036"), Decimal("0.037")}
    assert acceptable_roundings(0.0362, Decimal("0.001")) == {Decimal("0.036")}


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Give the answer to two decimal places.", Precision(decimals=2)),
        ("Round to\nthree decimal places.", Precision(decimals=3)),
        ("Answer in GB, to one decimal\nplace.", Precision(decimals=1)),
        ("Give 3 significant figures.", Precision(significant=3)),
        ("Round to the nearest whole number.", Precision(decimals=0)),
        ("Give a whole number.", Precision(decimals=0)),
        ("Use Φ(2) ≈ 0.9772 and give the answer to four decimal places.", Precision(decimals=4)),
        ("Give a decimal.", None),
        ("What is the exact value?", None),
    ],
)
def test_precision_phrases_are_read(prompt: str, expected: Precision | None) -> None:
    assert stated_precision(prompt) == expected


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
)
def test_roundings_are_within_one_unit_and_include_the_nearest(exact: float, decimals: int) -> None:
    unit = Decimal(1).scaleb(-decimals)
    accepted = acceptable_roundings(exact, unit)
    assert 1 <= len(accepted) <= 2
    assert all(abs(v - Decimal(repr(exact))) <= unit for v in accepted)
    assert round(Decimal(repr(exact)), decimals) in accepted
