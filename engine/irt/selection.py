"""Item selection: which item the quiz gives next.

A selector narrows the bank in a fixed order of precedence:

1. **Hard constraints**: never an item already given in this quiz; only items
   in the caller's ``eligible`` mask; only areas still open (not yet settled by
   the stopping rule).
2. **Freshness**: prefer items not in the ``recently_seen`` mask (items from
   the learner's recent quizzes); the mask is ignored only when it would leave
   no candidate at all.
3. **Content balance**: the area furthest below its target share
   (Kingsbury & Zara, 1989), then that area's topic with the fewest items so
   far (`engine.irt.content`).
4. **Criterion**: maximum Fisher information at the area's current EAP
   estimate (Lord, 1980) or, while the area is being classified against a cut
   score, at the cut (Spray & Reckase, 1994; Eggen, 1999), with exposure
   control choosing among the best (`engine.irt.exposure`).

References
----------
Lord, F. M. (1980). *Applications of item response theory to practical testing
problems*. Erlbaum.

Spray, J. A., & Reckase, M. D. (1994). The selection of test items for
decision making with a computer adaptive test. Paper presented at the annual
meeting of the National Council on Measurement in Education, New Orleans.

Eggen, T. J. H. M. (1999). Item selection in adaptive testing with the
sequential probability ratio test. *Applied Psychological Measurement, 23*(3),
249-261.

van der Linden, W. J., & Glas, C. A. W. (Eds.) (2010). *Elements of adaptive
testing*. Springer.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from engine.irt.content import choose_area, choose_topic
from engine.irt.exposure import ExposureControl, Randomesque
from engine.irt.item_bank import BoolArray, PerArea, per_area_values
from engine.irt.model import FloatArray, information_from_terms
from engine.irt.state import AdaptiveTestState


def available_items(
    state: AdaptiveTestState,
    *,
    eligible: BoolArray | None = None,
    recently_seen: BoolArray | None = None,
    open_areas: BoolArray | None = None,
) -> BoolArray:
    """Boolean mask of the items the next selection may choose from.

    Parameters
    ----------
    state : AdaptiveTestState
        The quiz so far; its administered items are excluded.
    eligible : numpy.ndarray, optional
        Boolean per bank item; false items are never chosen.
    recently_seen : numpy.ndarray, optional
        Boolean per bank item; these are excluded unless that leaves nothing.
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
    if recently_seen is not None:
        fresh = mask & ~np.asarray(recently_seen, dtype=bool)
        if fresh.any():
            mask = fresh
    return mask


@dataclass(frozen=True)
class ItemSelector(ABC):
    """Base of selectors: applies the constraints and content balance, then `_choose`.

    Attributes
    ----------
    balance_areas : bool
        Follow area target shares (Kingsbury & Zara, 1989).
    balance_topics : bool
        Within the area, take the topic with the fewest items so far.
    balance_formats : bool
        Keep every response format (single choice, numeric, ...) at no less
        than ``1 - format_tolerance`` of its share of the topic's items, so the
        most informative format (typed answers, which cannot be guessed) does
        not crowd out the rest of the bank.
    format_tolerance : float
        How far below its share a format may fall before it is imposed; 0
        follows the shares exactly, 1 never imposes a format.
    """

    balance_areas: bool = True
    balance_topics: bool = True
    balance_formats: bool = True
    format_tolerance: float = 0.5

    def select(
        self,
        state: AdaptiveTestState,
        rng: np.random.Generator,
        *,
        eligible: BoolArray | None = None,
        recently_seen: BoolArray | None = None,
        area_targets: PerArea | None = None,
        open_areas: BoolArray | None = None,
        cut_scores: PerArea | None = None,
    ) -> int | None:
        """Bank index of the next item, or None when no item is available.

        Parameters
        ----------
        state : AdaptiveTestState
            The quiz so far.
        rng : numpy.random.Generator
            Source of randomness (ties, exposure control).
        eligible, recently_seen : numpy.ndarray, optional
            Boolean masks over the bank (see `available_items`).
        area_targets : mapping or sequence, optional
            Target proportion per area (default equal).
        open_areas : numpy.ndarray, optional
            Areas still being measured (default: the quiz's active areas).
        cut_scores : mapping or sequence, optional
            Per area, the cut score to aim information at while the area is
            being classified; NaN or missing = aim at the current estimate.
        """
        bank = state.bank
        mask = available_items(
            state, eligible=eligible, recently_seen=recently_seen, open_areas=open_areas
        )
        if self.balance_areas and bank.n_areas > 1:
            areas_with_items = np.bincount(bank.area[mask], minlength=bank.n_areas) > 0
            if not areas_with_items.any():
                return None
            targets = None if area_targets is None else per_area_values(bank, area_targets, 0.0)
            area = choose_area(state.area_counts, areas_with_items, rng, targets)
            mask &= bank.area == area
        if self.balance_topics and bank.n_topics > 1:
            topics_with_items = np.bincount(bank.topic[mask], minlength=bank.n_topics) > 0
            if not topics_with_items.any():
                return None
            topic = choose_topic(state.topic_counts, topics_with_items, rng)
            mask &= bank.topic == topic
        if self.balance_formats and bank.n_formats > 1:
            short = _format_falling_short(state, mask, rng, self.format_tolerance)
            if short is not None:
                mask &= bank.format == short
        return self._choose(state, mask, rng, cut_scores)

    @abstractmethod
    def _choose(
        self,
        state: AdaptiveTestState,
        mask: BoolArray,
        rng: np.random.Generator,
        cut_scores: PerArea | None,
    ) -> int | None:
        """Pick one item where ``mask`` is true (None if there is none)."""


def _format_falling_short(
    state: AdaptiveTestState, mask: BoolArray, rng: np.random.Generator, tolerance: float
) -> int | None:
    """The candidates' format furthest below its share, if below by more than `tolerance`.

    Constrained CAT (Kingsbury & Zara, 1989) applied to response formats, as a
    soft constraint: the target shares are the formats' shares among all items
    of the candidates' topics; a format is imposed only once this quiz has given
    it less than ``(1 - tolerance)`` of its share, otherwise information decides.
    """
    bank = state.bank
    available = np.bincount(bank.format[mask], minlength=bank.n_formats) > 0
    topics = np.zeros(bank.n_topics, dtype=bool)
    topics[bank.topic[mask]] = True
    targets = np.bincount(bank.format[topics[bank.topic]], minlength=bank.n_formats)
    given = np.bincount(
        bank.format[np.asarray(state.administered, dtype=np.intp)], minlength=bank.n_formats
    )
    share = targets[available] / max(targets[available].sum(), 1)
    expected = share * (given.sum() + 1)
    if not np.any(given[available] < (1.0 - tolerance) * expected):
        return None
    return choose_area(given, available, rng, targets)


#: Above 1/_DENSE_FRACTION of the bank available, information is computed for
#: the whole bank and masked instead of gathering the candidates first.
_DENSE_FRACTION = 3


def selection_points(state: AdaptiveTestState, cut_scores: PerArea | None = None) -> FloatArray:
    """Ability per area at which information is maximised.

    The area's EAP estimate, or its cut score where one is given (finite):
    when the question is "above or below the cut?", information at the cut
    decides it fastest (Spray & Reckase, 1994; Eggen, 1999).
    """
    points = state.area_means()
    if cut_scores is not None:
        if isinstance(cut_scores, float | int):
            return np.full_like(points, float(cut_scores)) if math.isfinite(cut_scores) else points
        cuts = per_area_values(state.bank, cut_scores, np.nan)
        points = np.where(np.isfinite(cuts), cuts, points)
    return points


@dataclass(frozen=True)
class MaxInfoSelector(ItemSelector):
    """Maximum Fisher information, with exposure control (default randomesque).

    Attributes
    ----------
    exposure : ExposureControl
        How to choose among the most informative candidates.
    """

    exposure: ExposureControl = field(default_factory=Randomesque)

    def _choose(
        self,
        state: AdaptiveTestState,
        mask: BoolArray,
        rng: np.random.Generator,
        cut_scores: PerArea | None,
    ) -> int | None:
        bank = state.bank
        count = np.count_nonzero(mask)
        if count == 0:
            return None
        if bank.n_areas == 1 and cut_scores is None:
            points = [state.area_posteriors[0].mean]  # the common case, without arrays
        else:
            points = selection_points(state, cut_scores)
        terms = bank.information_terms
        if count * _DENSE_FRACTION >= bank.n_items:
            # Most of the bank is available: evaluating every item and masking
            # is cheaper than gathering the candidates' parameters.
            theta = points[0] if bank.n_areas == 1 else points[bank.area]
            info = information_from_terms(theta, terms)
            np.copyto(info, -np.inf, where=~mask)
            return self.exposure.choose(info, bank.indices, rng)
        items = np.flatnonzero(mask)
        theta = points[0] if bank.n_areas == 1 else points[bank.area[items]]
        info = information_from_terms(theta, terms.subset(items))
        return self.exposure.choose(info, items, rng)


@dataclass(frozen=True)
class RandomSelector(ItemSelector):
    """A uniformly random candidate (after the same constraints and balance): a baseline."""

    def _choose(
        self,
        state: AdaptiveTestState,
        mask: BoolArray,
        rng: np.random.Generator,
        cut_scores: PerArea | None,
    ) -> int | None:
        items = np.flatnonzero(mask)
        if items.size == 0:
            return None
        return int(items[int(rng.integers(items.size))])
