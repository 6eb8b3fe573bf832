"""Item selection: which item the quiz gives next.

A selector works in three steps:

1. **Hard constraints** (`available_items`): never an item already given in
   this quiz; only items in the caller's ``eligible`` mask; only areas still
   open (not yet finished by the stopping rule); and never an item the learner
   has **seen** before (in earlier quizzes or practice) while the area still
   has unseen items. Only when an area's unseen items are exhausted may it
   repeat one, and then items whose answer key was shown come last (their
   answers must be recorded unscored).
2. **Where to aim** (`selection_points`): per area, the nearest of the level
   cuts while the estimate is within about one posterior SD of it (the
   classification is then in doubt and items at the cut settle it fastest:
   Spray & Reckase, 1994; Eggen & Straetmans, 2000), otherwise the estimate
   itself, so the items follow the learner.
3. **Priority**: Fisher information at that point (Lord, 1980) times the
   content factors of `engine.irt.content` (the maximum priority index of
   Cheng & Chang, 2009), with exposure control choosing among the best
   (`engine.irt.exposure`).

References
----------
Cheng, Y., & Chang, H.-H. (2009). The maximum priority index method for
severely constrained item selection in computerized adaptive testing. *British
Journal of Mathematical and Statistical Psychology, 62*(2), 369-383.

Eggen, T. J. H. M., & Straetmans, G. J. J. M. (2000). Computerized adaptive
testing for classifying examinees into three categories. *Educational and
Psychological Measurement, 60*(5), 713-734.

Lord, F. M. (1980). *Applications of item response theory to practical testing
problems*. Erlbaum.

Spray, J. A., & Reckase, M. D. (1994). The selection of test items for
decision making with a computer adaptive test. Paper presented at the annual
meeting of the National Council on Measurement in Education, New Orleans.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from engine.irt.content import DEFAULT_ITEMS_PER_AREA, ContentBalance, priority_weights
from engine.irt.exposure import ExposureControl, Progressive, Randomesque
from engine.irt.item_bank import BoolArray, ItemBank, PerArea, per_area_values
from engine.irt.model import FloatArray, information_from_terms
from engine.irt.state import AdaptiveTestState

#: Level cuts: one cut or several for every area, or a mapping from area label
#: to its cut(s). NaN entries are ignored.
LevelCuts = float | Sequence[float] | Mapping[str, float | Sequence[float]] | np.ndarray

#: Aim at a cut while the estimate is within this many posterior SDs of it.
DEFAULT_AIM_WIDTH = 1.0
#: Share of the prior's precision kept in the estimate items are aimed at
#: (`aim_estimates`): 0.05 is the estimate under a prior about 4.5 times as
#: wide, close to the likelihood's centre but finite from the first answer.
#: Chosen by simulation (docs/engine.md).
DEFAULT_AIM_PRIOR_WEIGHT = 0.05
#: Aim estimates are clipped to +/- this (the quadrature grid reaches 6).
AIM_LIMIT = 4.0
#: Below this SD a posterior or prior is treated as a point (aim = its mean).
_MIN_AIM_SD = 1.0e-6


def _restrict_by_area(bank: ItemBank, mask: BoolArray, preferred: BoolArray) -> BoolArray:
    """``mask`` narrowed to ``preferred`` items in every area that still has some."""
    kept = mask & preferred
    if np.array_equal(kept, mask):
        return mask
    areas_with_kept = np.bincount(bank.area[kept], minlength=bank.n_areas) > 0
    return kept | (mask & ~areas_with_kept[bank.area])


def available_items(
    state: AdaptiveTestState,
    *,
    eligible: BoolArray | None = None,
    seen: BoolArray | None = None,
    key_shown: BoolArray | None = None,
    open_areas: BoolArray | None = None,
) -> BoolArray:
    """Boolean mask of the items the next selection may choose from.

    Parameters
    ----------
    state : AdaptiveTestState
        The quiz so far; its administered items are excluded.
    eligible : numpy.ndarray, optional
        Boolean per bank item; false items are never chosen.
    seen : numpy.ndarray, optional
        Boolean per bank item: seen by the learner before. Excluded in every
        area that still has unseen candidates.
    key_shown : numpy.ndarray, optional
        Boolean per bank item: the learner was shown its answer key. Among
        repeats, these come last (same per-area rule).
    open_areas : numpy.ndarray, optional
        Boolean per area (default: the quiz's active areas).

    Returns
    -------
    numpy.ndarray
        Boolean mask over the bank.
    """
    bank = state.bank
    mask = ~state.administered_mask
    if open_areas is None:
        if not all(state.active_areas):
            mask &= np.asarray(state.active_areas, dtype=bool)[bank.area]
    else:
        areas = np.asarray(open_areas, dtype=bool)
        if not areas.all():
            mask &= areas[bank.area]
    if eligible is not None:
        mask &= np.asarray(eligible, dtype=bool)
    unseen = None if seen is None else ~np.asarray(seen, dtype=bool)
    if unseen is not None:
        mask = _restrict_by_area(bank, mask, unseen)
    if key_shown is not None:
        # Only repeats are left where this matters: among them, keys not shown first.
        preferred = ~np.asarray(key_shown, dtype=bool)
        mask = _restrict_by_area(bank, mask, preferred if unseen is None else preferred | unseen)
    return mask


def level_cut_matrix(bank: ItemBank, level_cuts: LevelCuts | None) -> FloatArray:
    """Level cuts as an (areas, cuts) array padded with NaN (no columns for None).

    Raises
    ------
    ValueError
        For an area label not in the bank.
    """
    if level_cuts is None:
        return np.empty((bank.n_areas, 0))
    if isinstance(level_cuts, Mapping):
        unknown = set(level_cuts) - set(bank.area_labels)
        if unknown:
            raise ValueError(f"cuts given for areas not in the bank: {sorted(unknown)}")
        rows = [np.atleast_1d(np.asarray(level_cuts.get(label, ()), dtype=np.float64))
                for label in bank.area_labels]  # fmt: skip
        width = max((row.size for row in rows), default=0)
        matrix = np.full((bank.n_areas, width), np.nan)
        for area, row in enumerate(rows):
            matrix[area, : row.size] = row
        return matrix
    cuts = np.atleast_1d(np.asarray(level_cuts, dtype=np.float64)).reshape(-1)
    return np.repeat(cuts[None, :], bank.n_areas, axis=0)


def aim_estimates(
    state: AdaptiveTestState, prior_weight: float = DEFAULT_AIM_PRIOR_WEIGHT
) -> FloatArray:
    """Per area, the estimate the answers would give under a vaguer prior.

    The quiz prior (population or carried over) is right for reporting, but
    it pulls every early estimate towards its mean: after four answers the EAP
    of a strong and of a weak learner are both near the middle, and items aimed
    there lag behind the learner. For aiming items, the prior keeps only
    ``prior_weight`` of its precision (0 = the maximum-likelihood estimate,
    1 = the EAP). In the normal approximation the posterior precision is the
    prior's plus the answers' information, so with prior N(m0, s0^2) and
    posterior mean m and SD s::

        aim = (m / s^2 - (1 - w) m0 / s0^2) / (1 / s^2 - (1 - w) / s0^2)

    (the denominator never below ``w / s0^2``), clipped to +/-`AIM_LIMIT`.
    Before any answer this is the prior mean, as the EAP is.
    """
    if prior_weight >= 1.0:
        return state.area_means()
    removed_share = 1.0 - prior_weight
    aims = []
    for (prior_mean, prior_sd), posterior in zip(
        state.prior_moments, state.area_posteriors, strict=True
    ):
        mean, sd = posterior.mean, posterior.sd
        if sd < _MIN_AIM_SD or prior_sd < _MIN_AIM_SD:
            aims.append(mean)
            continue
        precision = 1.0 / (sd * sd)
        prior_precision = 1.0 / (prior_sd * prior_sd)
        removed = removed_share * prior_precision
        remaining = precision - removed
        if remaining < prior_weight * prior_precision:
            remaining = prior_weight * prior_precision
        aim = (mean * precision - prior_mean * removed) / remaining
        aims.append(AIM_LIMIT if aim > AIM_LIMIT else -AIM_LIMIT if aim < -AIM_LIMIT else aim)
    return np.array(aims)


def selection_points(
    state: AdaptiveTestState,
    level_cuts: LevelCuts | None = None,
    width: float = DEFAULT_AIM_WIDTH,
    prior_weight: float = DEFAULT_AIM_PRIOR_WEIGHT,
    decision_cuts: PerArea | None = None,
) -> FloatArray:
    """Ability per area at which the next item's information is taken.

    Per area, with ``e`` the aim estimate (`aim_estimates`) and ``s`` the
    posterior SD: the decision cut (the one the stopping rule classifies
    against, e.g. job-ready) if it lies within ``width * s`` of ``e``; else
    the nearest level cut within ``width * s``; else ``e`` itself. Near a cut
    the classification is in doubt and items at the cut settle it fastest
    (Spray & Reckase, 1994; Eggen & Straetmans, 2000); away from every cut the
    items follow the learner. With ``width = inf`` this is always a cut (the
    whole quiz aimed at it); with ``width = 0`` or no cuts, always ``e``.

    Parameters
    ----------
    state : AdaptiveTestState
        The quiz so far.
    level_cuts : float, sequence or mapping, optional
        Every level cut per area (see `level_cut_matrix`).
    width : float
        The window, in posterior SDs.
    prior_weight : float
        See `aim_estimates`.
    decision_cuts : float, mapping or sequence, optional
        Per area, the cut that takes precedence within the window (NaN: none).
    """
    means = aim_estimates(state, prior_weight)
    if width <= 0.0 or (level_cuts is None and decision_cuts is None):
        return means
    cuts = level_cut_matrix(state.bank, level_cuts)
    if decision_cuts is not None:
        first = per_area_values(state.bank, decision_cuts, math.nan)
        cuts = np.column_stack((first, cuts))
    if cuts.shape[1] == 0:
        return means
    window = width * np.array([posterior.sd for posterior in state.area_posteriors])
    distance = np.abs(cuts - means[:, None])
    distance[~np.isfinite(distance)] = np.inf
    if decision_cuts is not None:
        # Within the window, the decision cut counts as the nearest.
        distance[:, 0] = np.where(distance[:, 0] <= window, -1.0, np.inf)
    nearest = np.argmin(distance, axis=1)
    rows = np.arange(cuts.shape[0])
    close = distance[rows, nearest] <= window
    return np.where(close, cuts[rows, nearest], means)


@dataclass(frozen=True)
class ItemSelector(ABC):
    """Base of selectors: applies the hard constraints and content factors, then `_choose`.

    Attributes
    ----------
    content : ContentBalance
        How content constraints (area, topic, format) are weighed.
    """

    content: ContentBalance = field(default_factory=ContentBalance)

    def select(
        self,
        state: AdaptiveTestState,
        rng: np.random.Generator,
        *,
        eligible: BoolArray | None = None,
        seen: BoolArray | None = None,
        key_shown: BoolArray | None = None,
        area_targets: PerArea | None = None,
        open_areas: BoolArray | None = None,
        points: FloatArray | None = None,
        items_per_area: float | None = None,
    ) -> int | None:
        """Bank index of the next item, or None when no item is available.

        Parameters
        ----------
        state : AdaptiveTestState
            The quiz so far.
        rng : numpy.random.Generator
            Source of randomness (ties, exposure control).
        eligible, seen, key_shown : numpy.ndarray, optional
            Boolean masks over the bank (see `available_items`).
        area_targets : mapping or sequence, optional
            Target share per area (default equal).
        open_areas : numpy.ndarray, optional
            Areas still being measured (default: the quiz's active areas).
        points : numpy.ndarray, optional
            Ability per area at which to take information (default: the
            estimates; see `selection_points`).
        items_per_area : float, optional
            Planned scored items per area, for the content quotas.
        """
        mask = available_items(
            state, eligible=eligible, seen=seen, key_shown=key_shown, open_areas=open_areas
        )
        weights = (
            priority_weights(
                state, self.content, items_per_area=items_per_area, area_targets=area_targets
            )
            if state.bank.has_content_categories
            else None
        )
        return self._choose(state, mask, weights, points, rng)

    @abstractmethod
    def _choose(
        self,
        state: AdaptiveTestState,
        mask: BoolArray,
        weights: FloatArray | None,
        points: FloatArray | None,
        rng: np.random.Generator,
    ) -> int | None:
        """Pick one item where ``mask`` is true (None if there is none)."""


#: Above 1/_DENSE_FRACTION of the bank available, information is computed for
#: the whole bank and masked instead of gathering the candidates first.
_DENSE_FRACTION = 3


@dataclass(frozen=True)
class MaxInfoSelector(ItemSelector):
    """Maximum priority index: information times content factors, with exposure control.

    With `engine.irt.content.NO_BALANCE` this is plain maximum information.

    Attributes
    ----------
    exposure : ExposureControl
        How to choose among the candidates with the highest priority.
    """

    exposure: ExposureControl = field(default_factory=Randomesque)

    def _choose(
        self,
        state: AdaptiveTestState,
        mask: BoolArray,
        weights: FloatArray | None,
        points: FloatArray | None,
        rng: np.random.Generator,
    ) -> int | None:
        bank = state.bank
        count = np.count_nonzero(mask)
        if count == 0:
            return None
        aim: FloatArray = state.area_means() if points is None else points
        terms = bank.information_terms
        single_area = len(bank.area_labels) == 1
        # usable: which entries of `priority` may be chosen (None: all of them).
        usable: BoolArray | None
        if count * _DENSE_FRACTION >= bank.n_items:
            # Most of the bank is available: evaluating every item and masking
            # is cheaper than gathering the candidates' parameters.
            items = bank.indices
            priority = information_from_terms(
                float(aim[0]) if single_area else aim[bank.area], terms
            )
            usable = mask
        else:
            items = np.flatnonzero(mask)
            theta = float(aim[0]) if single_area else aim[bank.area[items]]
            priority = information_from_terms(theta, terms.subset(items))
            usable = None
            if weights is not None:
                weights = weights[items]
        if weights is not None:
            weighted = weights > 0.0 if usable is None else usable & (weights > 0.0)
            # Items whose quota is full are passed over while any other remains.
            if weighted.any():
                priority *= weights
                usable = weighted
        if usable is not None:
            np.copyto(priority, -np.inf, where=~usable)
        return self.exposure.choose(priority, items, rng)


@dataclass(frozen=True)
class ProgressiveSelector(MaxInfoSelector):
    """The priority index with a progressive calibration phase (Revuelta & Ponsoda, 1998).

    The candidates' priorities are as in `MaxInfoSelector`, but the choice is
    `engine.irt.exposure.Progressive` with ``s`` the share of the quiz's planned
    scored items already given: the first items are nearly random among the
    candidates, the last ones the most informative. Meant for a calibration
    phase, while most of the bank has too few answers: it spreads answers over
    the bank at a small cost in precision (docs/engine.md). The ``exposure``
    field is not used.

    Attributes
    ----------
    items_per_area : float
        Planned scored items per area (the plan's), for the progress ``s``.
    """

    items_per_area: float = DEFAULT_ITEMS_PER_AREA

    def _choose(
        self,
        state: AdaptiveTestState,
        mask: BoolArray,
        weights: FloatArray | None,
        points: FloatArray | None,
        rng: np.random.Generator,
    ) -> int | None:
        planned = max(sum(state.active_areas) * self.items_per_area, 1.0)
        choice = Progressive(min(state.n_scored / planned, 1.0))
        inner = MaxInfoSelector(content=self.content, exposure=choice)
        return inner._choose(state, mask, weights, points, rng)


@dataclass(frozen=True)
class RandomSelector(ItemSelector):
    """A random candidate, drawn in proportion to its content factors: a baseline.

    The same hard constraints and content quotas as `MaxInfoSelector`, without
    information.
    """

    def _choose(
        self,
        state: AdaptiveTestState,
        mask: BoolArray,
        weights: FloatArray | None,
        points: FloatArray | None,
        rng: np.random.Generator,
    ) -> int | None:
        items = np.flatnonzero(mask)
        if items.size == 0:
            return None
        if weights is not None:
            chances = weights[items]
            total = chances.sum()
            if total > 0.0:
                position = int(np.searchsorted(np.cumsum(chances), rng.random() * total, "right"))
                return int(items[min(position, items.size - 1)])
        return int(items[int(rng.integers(items.size))])
