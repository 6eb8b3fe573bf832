"""A quiz plan: selector + stopping rule + content targets, and the quiz presets.

`AdaptiveTestPlan.next_item` is the one call a quiz loop needs::

    plan = QUIZ_PRESETS["standard"].plan(
        cut_scores={"math": 0.0, ...}, level_cuts={"math": (-1.0, 0.0, 1.2), ...}
    )
    state = start_test(bank)
    while (item := plan.next_item(state, rng, seen=seen, pretest=pretest)) is not None:
        scored = counts_toward_estimates(item, pretest=pretest, key_shown=key_shown)
        state = record_response(state, item, ask(item), scored=scored)

The presets are data (`StoppingConfig`); docs/engine.md explains the
arithmetic and the simulations they were chosen from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from engine.irt.item_bank import BoolArray, IntArray, PerArea
from engine.irt.model import FloatArray
from engine.irt.seeding import PretestPolicy
from engine.irt.selection import (
    DEFAULT_AIM_PRIOR_WEIGHT,
    DEFAULT_AIM_WIDTH,
    ItemSelector,
    LevelCuts,
    MaxInfoSelector,
    available_items,
    selection_points,
)
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


def counts_toward_estimates(
    item: int, *, pretest: BoolArray | None = None, key_shown: BoolArray | None = None
) -> bool:
    """Whether the answer to ``item`` is scored (`record_response`'s ``scored``).

    Not scored: a pretest item, or a repeat whose answer key the learner was shown.
    """
    return not (
        (pretest is not None and bool(pretest[item]))
        or (key_shown is not None and bool(key_shown[item]))
    )


@dataclass(frozen=True, eq=False)
class AdaptiveTestPlan:
    """How a quiz chooses items and when it stops.

    Attributes
    ----------
    stopping : StoppingRule
        Decides which areas are finished and when the quiz ends.
    selector : ItemSelector
        Chooses the next scored item (default `MaxInfoSelector()`: maximum
        priority index with randomesque exposure control).
    area_targets : float, mapping or sequence, optional
        Target share of items per area (default equal).
    classification : ReadinessClassification, optional
        The readiness rule of the stopping; while the estimate is within
        ``aim_width`` posterior SDs of its cut, items are aimed at that cut.
    level_cuts : float, sequence or mapping, optional
        Every level cut per area (e.g. developing, job-ready, strong):
        otherwise items are aimed at the nearest of these within the window,
        and away from every cut at the estimate (`selection_points`).
    aim_width : float
        See ``level_cuts`` (default 1 SD).
    aim_prior_weight : float
        Share of the prior's precision kept in the estimate items are aimed at
        (`engine.irt.selection.aim_estimates`; 1 = the EAP).
    items_per_area : float, optional
        Planned scored items per area, for content quotas (default: the
        content module's `DEFAULT_ITEMS_PER_AREA`).
    pretest : PretestPolicy
        Rate and choice of pretest items (used when ``next_item`` gets a
        ``pretest`` mask).
    """

    stopping: StoppingRule
    selector: ItemSelector = field(default_factory=MaxInfoSelector)
    area_targets: PerArea | None = None
    classification: ReadinessClassification | None = None
    level_cuts: LevelCuts | None = None
    aim_width: float = DEFAULT_AIM_WIDTH
    aim_prior_weight: float = DEFAULT_AIM_PRIOR_WEIGHT
    items_per_area: float | None = None
    pretest: PretestPolicy = field(default_factory=PretestPolicy)

    def open_areas(self, state: AdaptiveTestState) -> BoolArray:
        """Areas the quiz covers that are not finished yet."""
        return self.stopping.open_areas(state)

    def should_stop(self, state: AdaptiveTestState) -> bool:
        """True when the stopping rule ends the quiz."""
        return self.stopping.should_stop(state)

    def aim_points(self, state: AdaptiveTestState) -> FloatArray:
        """Ability per area where information is taken (`selection_points`).

        The readiness classification's cut, when there is one, takes precedence
        over the other level cuts within the window.
        """
        decision = None if self.classification is None else self.classification.cut_scores
        return selection_points(
            state, self.level_cuts, self.aim_width, self.aim_prior_weight, decision
        )

    def next_item(
        self,
        state: AdaptiveTestState,
        rng: np.random.Generator,
        *,
        eligible: BoolArray | None = None,
        seen: BoolArray | None = None,
        recently_seen: BoolArray | None = None,
        key_shown: BoolArray | None = None,
        pretest: BoolArray | None = None,
        answer_counts: IntArray | FloatArray | None = None,
    ) -> int | None:
        """Bank index of the next item, or None when the quiz should end.

        The quiz ends when every covered area is finished or when no item
        remains available in the open areas.

        Parameters
        ----------
        state : AdaptiveTestState
            The quiz so far.
        rng : numpy.random.Generator
            Source of randomness.
        eligible : numpy.ndarray, optional
            Boolean per bank item: askable at all.
        seen : numpy.ndarray, optional
            Boolean per bank item: seen by this learner before (any quiz or
            practice). Never repeated while the area has unseen items.
        recently_seen : numpy.ndarray, optional
            Older name of ``seen`` (used when ``seen`` is not given).
        key_shown : numpy.ndarray, optional
            Boolean per bank item: the learner was shown the key. Repeated
            last; an answer to one must be recorded unscored.
        pretest : numpy.ndarray, optional
            Boolean per bank item: pretest items. They are never chosen as
            scored items; the `pretest` policy seeds them, to be recorded
            unscored (see `counts_toward_estimates`).
        answer_counts : numpy.ndarray, optional
            Answers per bank item over all learners, so that pretest items that
            need answers most go first.
        """
        flags = self.stopping.open_area_flags(state)
        if not any(flags):
            return None
        # None = every covered area is open, which lets the selector skip a mask.
        open_areas = None if flags == state.active_areas else np.array(flags, dtype=bool)
        if seen is None:
            seen = recently_seen
        if pretest is not None:
            pretest = np.asarray(pretest, dtype=bool)
            item = self._pretest_item(
                state, rng, pretest, eligible, seen, open_areas, answer_counts
            )
            if item is not None:
                return item
            eligible = ~pretest if eligible is None else np.asarray(eligible, dtype=bool) & ~pretest
        return self.selector.select(
            state,
            rng,
            eligible=eligible,
            seen=seen,
            key_shown=key_shown,
            area_targets=self.area_targets,
            open_areas=open_areas,
            points=self.aim_points(state),
            items_per_area=self.items_per_area,
        )

    def _pretest_item(
        self,
        state: AdaptiveTestState,
        rng: np.random.Generator,
        pretest: BoolArray,
        eligible: BoolArray | None,
        seen: BoolArray | None,
        open_areas: BoolArray | None,
        answer_counts: IntArray | FloatArray | None,
    ) -> int | None:
        """A pretest item for the next question, when the policy seeds one now."""
        if not pretest.any() or not self.pretest.wants_slot(state, rng):
            return None
        candidates = available_items(state, eligible=eligible, open_areas=open_areas) & pretest
        if seen is not None:
            # A repeat gives calibration nothing new: only pretest items never seen.
            candidates &= ~np.asarray(seen, dtype=bool)
        return self.pretest.choose(state, candidates, rng, answer_counts=answer_counts)


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
        level_cuts: LevelCuts | None = None,
        area_targets: PerArea | None = None,
        selector: ItemSelector | None = None,
        pretest: PretestPolicy | None = None,
    ) -> AdaptiveTestPlan:
        """An `AdaptiveTestPlan` following this config.

        Parameters
        ----------
        cut_scores : float, mapping or sequence, optional
            The job-ready cut per area (classification and stopping).
        level_cuts : float, sequence or mapping, optional
            Every level cut per area, for aiming items (default: ``cut_scores``).
        area_targets : float, mapping or sequence, optional
            Target share of items per area.
        selector : ItemSelector, optional
            Default `MaxInfoSelector()`.
        pretest : PretestPolicy, optional
            Default `PretestPolicy()`.
        """
        return AdaptiveTestPlan(
            stopping=self.stopping_rule(cut_scores),
            selector=MaxInfoSelector() if selector is None else selector,
            area_targets=area_targets,
            classification=(
                self.classification(cut_scores)
                if self.classify and cut_scores is not None
                else None
            ),
            level_cuts=cut_scores if level_cuts is None else level_cuts,
            items_per_area=float(self.max_items_per_area),
            pretest=PretestPolicy() if pretest is None else pretest,
        )


#: Quiz length presets, per area (a quiz covering all four areas multiplies the
#: item counts by four). See docs/engine.md for the arithmetic and simulations.
QUIZ_PRESETS: dict[str, StoppingConfig] = {
    "quick": StoppingConfig(min_items_per_area=4, max_items_per_area=6, classify=True),
    "standard": StoppingConfig(
        min_items_per_area=8, max_items_per_area=13, se_target=0.5, classify=True
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
