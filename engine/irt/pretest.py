"""Which items are *pretest* items: asked to collect data, not yet counted in estimates.

An item's parameters come from one of five sources (`ParameterSource`). Three
put it on a scale measured from data: ``calibration`` (estimated from the
stored answers), ``shipped`` (calibrated from pooled answers and shipped with
the bank in ``<area>/parameters.csv``) and ``anchor`` (authored ``irt:`` values
the author marked as the scale's anchors). The other two, ``difficulty`` and
plain ``irt``, are an author's guess.

The rule (`pretest_items`): in an area whose scale comes from data, with at
least `MIN_OPERATIONAL_ITEMS` items measured from data (calibrated, shipped or
anchors), every item whose parameters are still a guess is a pretest item: the
quiz may ask it (at a bounded rate, chosen by the selector) but it must not
move the learner's estimate, and calibration estimates it against the
operational items held fixed (`engine.irt.calibration`, fixed-parameter
calibration). An area still below that number is *authored*: every item is
operational on the authors' scale, as for a newly installed bank, because a
quiz cannot be scored from a handful of items.

The rule keeps one scale per quiz: either every counted item is on the data's
scale, or every one is on the authors'.
"""

from __future__ import annotations

import enum

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]

#: An area needs this many items measured from data before guessed items become pretest:
#: a thorough quiz asks up to 25 items per area and exposure control needs choice.
MIN_OPERATIONAL_ITEMS = 40


class ParameterSource(enum.StrEnum):
    """Where an item's parameters came from (stored in ``item_parameter_sets.source``)."""

    DIFFICULTY = "difficulty"  # the author's 1-5 level
    IRT = "irt"  # the author's explicit a, b, c
    ANCHOR = "anchor"  # the author's a, b, c, marked as fixing the scale
    SHIPPED = "shipped"  # calibrated from pooled answers, shipped with the bank
    CALIBRATION = "calibration"  # calibrated from this installation's answers

    @property
    def from_data(self) -> bool:
        """Whether the parameters are on a scale measured from learners' answers."""
        return self in _FROM_DATA

    @property
    def authored(self) -> bool:
        """Whether the parameters come from the bank's files (not this installation)."""
        return self is not ParameterSource.CALIBRATION


_FROM_DATA = frozenset(
    {ParameterSource.ANCHOR, ParameterSource.SHIPPED, ParameterSource.CALIBRATION}
)


def pretest_items(
    from_data: npt.ArrayLike,
    area: npt.ArrayLike,
    *,
    min_operational: int = MIN_OPERATIONAL_ITEMS,
) -> BoolArray:
    """True for every pretest item: a guessed item in an area whose scale comes from data.

    Parameters
    ----------
    from_data : array_like of bool
        Per item, whether its parameters were measured from data
        (`ParameterSource.from_data`); retired items may be left out.
    area : array_like of int
        Per item, its area code.
    min_operational : int
        Items measured from data an area needs before its guessed items
        become pretest items.
    """
    measured = np.asarray(from_data, dtype=bool)
    codes = np.asarray(area, dtype=np.intp)
    if measured.shape != codes.shape:
        raise ValueError("from_data and area must have one value per item")
    if measured.size == 0:
        return np.zeros(0, dtype=bool)
    counts = np.bincount(codes, weights=measured.astype(np.float64), minlength=codes.max() + 1)
    scaled_area = counts[codes] >= min_operational
    return np.asarray(~measured & scaled_area, dtype=bool)


def is_pretest(source: ParameterSource, operational_in_area: int) -> bool:
    """`pretest_items` for one item, given how many items of its area are measured from data."""
    return not source.from_data and operational_in_area >= MIN_OPERATIONAL_ITEMS
