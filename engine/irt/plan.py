"""A quiz plan: selector + stopping rule + content targets, and the quiz presets.

`AdaptiveTestPlan.next_item` is the one call a quiz loop needs::

    plan = QUIZ_PRESETS["standard"].plan(cut_scores={"math": 0.0, ...})
    state = start_test(bank)
    while (item := plan.next_item(state, rng, recently_seen=seen)) is not None:
        state = record_response(state, item, ask(item))

The presets are data (`StoppingConfig`); docs/engine.md explains the
arithmetic and the simulations they were chosen from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from engine.irt.item_bank import BoolArray, PerArea
from engine.irt.selection import ItemSelector, MaxInfoSelector
from engine.irt.state import AdaptiveTestState
from engine.irt.stopping import (
    AllOf,
    AnyOf,
    MaxItems,
    MinItems,
    ReadinessClassification,
    StandardErrorTarget,
    StoppingRule,
)


@dataclass(frozen=True, eq=False)
class AdaptiveTestPlan:
    """How a quiz chooses items and when it stops.

    Attributes
    ----------
    stopping : StoppingRule
        Decides which areas are finished and when the quiz ends.
    selector : ItemSelector
        Chooses the next item (default `MaxInfoSelector()`: maximum information,
        randomesque exposure control, area and topic balancing).
    area_targets : float, mapping or sequence, optional
        Target share of items per area (default equal).
    classification : ReadinessClassification, optional
        When given, items in an area that is still unsettled are chosen for
        information at that area's cut score instead of at its estimate.
    """

    stopping: StoppingRule
    selector: ItemSelector = field(default_factory=MaxInfoSelector)
    area_targets: PerArea | None = None
    classification: ReadinessClassification | None = None

    def open_areas(self, state: AdaptiveTestState) -> BoolArray:
        """Areas the quiz covers that are not finished yet."""
        return self.stopping.open_areas(state)

    def should_stop(self, state: AdaptiveTestState) -> bool:
        """True when the stopping rule ends the quiz."""
        return self.stopping.should_stop(state)

    def next_item(
        self,
        state: AdaptiveTestState,
        rng: np.random.Generator,
        *,
        eligible: BoolArray | None = None,
        recently_seen: BoolArray | None = None,
    ) -> int | None:
        """Bank index of the next item, or None when the quiz should end.

        The quiz ends when every covered area is finished or when no item
        remains available in the open areas.
        """
        flags = self.stopping.open_area_flags(state)
        if not any(flags):
            return None
        cut_scores = None if self.classification is None else self.classification.cut_scores
        return self.selector.select(
            state,
            rng,
            eligible=eligible,
            recently_seen=recently_seen,
            area_targets=self.area_targets,
            # None = every covered area is open, which lets the selector skip a mask.
            open_areas=None if flags == state.active_areas else np.array(flags, dtype=bool),
            cut_scores=cut_scores,
        )


@dataclass(frozen=True)
class StoppingConfig:
    """The numbers that define a quiz length policy, per area.

    An area is finished when it has ``max_items_per_area`` items, or when it has
    at least ``min_items_per_area`` and either its posterior SD is at most
    ``se_target`` or (with ``classify``) its readiness is settled: posterior
    P(theta >= cut) >= ``upper_probability`` or <= ``lower_probability``, or the
    ``credible_level`` interval is wholly on one side of the cut.

    Attributes
    ----------
    min_items_per_area, max_items_per_area : int
        Bounds on the items per area.
    se_target : float or None
        Posterior-SD target per area; None for no SE stopping.
    classify : bool
        Stop an area once its readiness classification is settled, and choose
        its items for information at the cut meanwhile.
    upper_probability, lower_probability, credible_level : float
        Classification thresholds (see `ReadinessClassification`).
    """

    min_items_per_area: int
    max_items_per_area: int
    se_target: float | None = None
    classify: bool = False
    upper_probability: float = 0.9
    lower_probability: float = 0.1
    credible_level: float = 0.9

    def __post_init__(self) -> None:
        if not 0 <= self.min_items_per_area <= self.max_items_per_area:
            raise ValueError(
                "need 0 <= min_items_per_area <= max_items_per_area, got "
                f"{self.min_items_per_area} and {self.max_items_per_area}"
            )
        if self.se_target is not None and not (
            math.isfinite(self.se_target) and self.se_target > 0.0
        ):
            raise ValueError(f"se_target must be > 0, got {self.se_target}")

    def classification(self, cut_scores: PerArea) -> ReadinessClassification:
        """The readiness rule with this config's thresholds."""
        return ReadinessClassification(
            cut_scores,
            upper=self.upper_probability,
            lower=self.lower_probability,
            credible_level=self.credible_level,
        )

    def stopping_rule(self, cut_scores: PerArea | None = None) -> StoppingRule:
        """The combined rule; ``cut_scores`` is required when ``classify`` is set."""
        criteria: list[StoppingRule] = []
        if self.se_target is not None:
            criteria.append(StandardErrorTarget(self.se_target))
        if self.classify:
            if cut_scores is None:
                raise ValueError("a classifying quiz needs cut scores")
            criteria.append(self.classification(cut_scores))
        return AnyOf(
            MaxItems(self.max_items_per_area, per_area=True),
            AllOf(MinItems(self.min_items_per_area, per_area=True), AnyOf(*criteria)),
        )

    def plan(
        self,
        *,
        cut_scores: PerArea | None = None,
        area_targets: PerArea | None = None,
        selector: ItemSelector | None = None,
    ) -> AdaptiveTestPlan:
        """An `AdaptiveTestPlan` following this config."""
        return AdaptiveTestPlan(
            stopping=self.stopping_rule(cut_scores),
            selector=MaxInfoSelector() if selector is None else selector,
            area_targets=area_targets,
            classification=(
                self.classification(cut_scores)
                if self.classify and cut_scores is not None
                else None
            ),
        )


#: Quiz length presets, per area (a quiz covering all four areas multiplies the
#: item counts by four). See docs/engine.md for the arithmetic and simulations.
QUIZ_PRESETS: dict[str, StoppingConfig] = {
    "quick": StoppingConfig(min_items_per_area=4, max_items_per_area=6, classify=True),
    "standard": StoppingConfig(
        min_items_per_area=8, max_items_per_area=12, se_target=0.5, classify=True
    ),
    "thorough": StoppingConfig(
        min_items_per_area=15,
        max_items_per_area=25,
        se_target=0.4,
        classify=True,
        upper_probability=0.95,
        lower_probability=0.05,
    ),
}
