"""Stopping rules: when an area is measured well enough, and when the quiz ends.

Every rule answers, per area, "is this area finished?" (`area_finished`); the
quiz stops when every area it covers is finished (`should_stop`). Rules about
the whole quiz (total length) give the same answer for every area, so rules of
both kinds combine freely with `AnyOf` and `AllOf`. A typical rule::

    AnyOf(MaxItems(15, per_area=True),
          AllOf(MinItems(5, per_area=True),
                AnyOf(StandardErrorTarget(0.4), ReadinessClassification(0.0))))

References
----------
Spray, J. A., & Reckase, M. D. (1994). The selection of test items for
decision making with a computer adaptive test. NCME annual meeting.

Eggen, T. J. H. M. (1999). Item selection in adaptive testing with the
sequential probability ratio test. *Applied Psychological Measurement, 23*(3),
249-261.

van der Linden, W. J., & Glas, C. A. W. (Eds.) (2010). *Elements of adaptive
testing*. Springer. (Chapter 1: stopping on a standard error target.)
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from engine.irt.item_bank import BoolArray, PerArea, per_area_values
from engine.irt.state import AdaptiveTestState


class StoppingRule(ABC):
    """Decides, per area and for the quiz, whether to stop."""

    @abstractmethod
    def area_finished(self, state: AdaptiveTestState, area: int) -> bool:
        """True when the area with code ``area`` needs no more items."""

    def should_stop(self, state: AdaptiveTestState) -> bool:
        """True when every area the quiz covers is finished."""
        return all(
            self.area_finished(state, area)
            for area, active in enumerate(state.active_areas)
            if active
        )

    def open_area_flags(self, state: AdaptiveTestState) -> tuple[bool, ...]:
        """Per area: covered by the quiz and not finished (plain tuple)."""
        return tuple(
            active and not self.area_finished(state, area)
            for area, active in enumerate(state.active_areas)
        )

    def open_areas(self, state: AdaptiveTestState) -> BoolArray:
        """Boolean array per area: covered by the quiz and not finished."""
        return np.array(self.open_area_flags(state), dtype=bool)


def _non_negative_count(value: int, name: str) -> int:
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return int(value)


@dataclass(frozen=True)
class MaxItems(StoppingRule):
    """Finished once ``count`` items were given (in the quiz, or in the area if ``per_area``)."""

    count: int
    per_area: bool = False

    def __post_init__(self) -> None:
        _non_negative_count(self.count, "count")

    def area_finished(self, state: AdaptiveTestState, area: int) -> bool:
        given = state.area_counts[area] if self.per_area else state.n_administered
        return given >= self.count


@dataclass(frozen=True)
class FixedLength(MaxItems):
    """A fixed-length quiz: exactly ``count`` items (per area if ``per_area``)."""


@dataclass(frozen=True)
class MinItems(MaxItems):
    """Satisfied once at least ``count`` items were given; combine with `AllOf`.

    The same test as `MaxItems` ("have ``count`` items been given?"), named for
    its role: inside ``AllOf(MinItems(n), other)`` it keeps ``other`` from
    stopping too early; on its own it stops as soon as the minimum is reached.
    """


@dataclass(frozen=True)
class StandardErrorTarget(StoppingRule):
    """An area is finished when its posterior SD is at most ``se``.

    With a N(0, 1) prior the posterior SD is about ``1 / sqrt(1 + sum I)``,
    so a target of 0.3 needs about 10.1 units of information in the area:
    some 41 items at the 2PL maximum of 0.25 per item with ``a = 1``.
    """

    se: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.se) and self.se > 0.0):
            raise ValueError(f"standard error target must be > 0, got {self.se}")

    def area_finished(self, state: AdaptiveTestState, area: int) -> bool:
        return state.area_posteriors[area].sd <= self.se


@dataclass(frozen=True, eq=False)
class ReadinessClassification(StoppingRule):
    """An area is settled when it is clear which side of the cut the learner is on.

    Settled when the posterior probability of ability at or above the cut is at
    least ``upper`` or at most ``lower``, or when the equal-tailed
    ``credible_level`` interval lies wholly on one side of the cut: a Bayesian
    form of the classification decisions of Spray & Reckase (1994) and Eggen
    (1999). With the defaults
    (0.9 / 0.1 and a 90% interval) the interval condition implies the
    probability one; it matters when ``credible_level`` is set below
    ``2 * upper - 1``.

    Attributes
    ----------
    cut_scores : float, mapping or sequence
        The cut: one value for every area, a mapping from area label, or a
        sequence by area code. Areas without a cut (NaN) are never settled by
        this rule.
    upper, lower : float
        Probability thresholds, ``0 <= lower < upper <= 1``.
    credible_level : float
        Level of the interval condition, in (0, 1).
    """

    cut_scores: PerArea
    upper: float = 0.9
    lower: float = 0.1
    credible_level: float = 0.9

    def __post_init__(self) -> None:
        if not 0.0 <= self.lower < self.upper <= 1.0:
            raise ValueError(
                f"need 0 <= lower < upper <= 1, got lower={self.lower}, upper={self.upper}"
            )
        if not 0.0 < self.credible_level < 1.0:
            raise ValueError(f"credible level must be in (0, 1), got {self.credible_level}")

    def cut_for(self, state: AdaptiveTestState, area: int) -> float:
        """The cut score of area ``area`` (NaN when it has none)."""
        return float(per_area_values(state.bank, self.cut_scores, math.nan)[area])

    def decision(self, state: AdaptiveTestState, area: int) -> bool | None:
        """True (at or above the cut), False (below), or None while unsettled."""
        cut = self.cut_for(state, area)
        if math.isnan(cut):
            return None
        posterior = state.area_posteriors[area]
        p_above = posterior.probability_at_or_above(cut)
        if p_above >= self.upper:
            return True
        if p_above <= self.lower:
            return False
        low, high = posterior.credible_interval(self.credible_level)
        if low >= cut:
            return True
        if high < cut:
            return False
        return None

    def area_finished(self, state: AdaptiveTestState, area: int) -> bool:
        return self.decision(state, area) is not None


@dataclass(frozen=True, init=False)
class AnyOf(StoppingRule):
    """Finished when any of the rules says so (none given: never)."""

    rules: tuple[StoppingRule, ...]

    def __init__(self, *rules: StoppingRule) -> None:
        object.__setattr__(self, "rules", tuple(rules))

    def area_finished(self, state: AdaptiveTestState, area: int) -> bool:
        return any(rule.area_finished(state, area) for rule in self.rules)


@dataclass(frozen=True, init=False)
class AllOf(StoppingRule):
    """Finished when all of the rules say so (none given: at once)."""

    rules: tuple[StoppingRule, ...]

    def __init__(self, *rules: StoppingRule) -> None:
        object.__setattr__(self, "rules", tuple(rules))

    def area_finished(self, state: AdaptiveTestState, area: int) -> bool:
        return all(rule.area_finished(state, area) for rule in self.rules)
