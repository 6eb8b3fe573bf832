"""The state of one adaptive quiz: one ability posterior per area, plus overall.

Each item belongs to one area, and each area has its own ability (a learner can
be strong in programming and weak in statistics), so the state keeps one
`Posterior` per area of the bank, updated only by that area's items, and an
overall posterior updated by every answer. `record_response` is the only way
the state changes, and it returns a new state.

An answer can be recorded *unscored*: stored in the state (the item counts as
given, so it is never asked again in the quiz) but left out of every posterior
and of the per-area, per-topic and per-format counts that stopping and content
balancing read. Pretest items (online calibration) and repeats whose answer key
the learner has already been shown are recorded this way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from engine.irt.estimation import AbilityEstimate
from engine.irt.item_bank import BoolArray, ItemBank
from engine.irt.model import FloatArray
from engine.irt.posterior import Posterior

PriorSpec = tuple[float, float] | Posterior


@dataclass(frozen=True, eq=False, slots=True)
class AdaptiveTestState:
    """What has happened so far in one quiz.

    Attributes
    ----------
    bank : ItemBank
        The bank the item indices refer to.
    area_posteriors : tuple of Posterior
        One posterior per bank area (by area code), updated by that area's items.
    overall : Posterior
        Posterior of a single ability fitted to every answered item.
    administered : tuple of int
        Bank indices of the items given, in order.
    responses : tuple of float
        1.0 (correct), 0.0 (wrong) or NaN (skipped), aligned with ``administered``.
    administered_mask : numpy.ndarray
        Boolean per bank item: already given in this quiz (read-only).
    area_counts : tuple of int
        Scored items given per area (skipped ones included).
    topic_counts : tuple of int
        Scored items given per topic code (skipped ones included).
    active_areas : tuple of bool
        Areas this quiz covers; the others are never selected or waited for.
    scored : tuple of bool
        Aligned with ``administered``: False for an answer recorded but not
        counted (a pretest item, or a repeat whose key was shown).
    area_format_counts : tuple of int
        Scored items given per (area, format) pair, by `ItemBank.area_format` code.
    prior_moments : tuple of (float, float)
        Mean and SD of each area's prior (before any answer), by area code.
    """

    bank: ItemBank
    area_posteriors: tuple[Posterior, ...]
    overall: Posterior
    administered: tuple[int, ...]
    responses: tuple[float, ...]
    administered_mask: BoolArray
    area_counts: tuple[int, ...]
    topic_counts: tuple[int, ...]
    active_areas: tuple[bool, ...]
    scored: tuple[bool, ...] = ()
    area_format_counts: tuple[int, ...] = ()
    prior_moments: tuple[tuple[float, float], ...] = ()

    @property
    def n_administered(self) -> int:
        """Questions given so far (skipped and unscored ones included)."""
        return len(self.administered)

    @property
    def n_scored(self) -> int:
        """Items that count towards the estimates (skipped ones included)."""
        return sum(self.area_counts)

    def questions_since_unscored(self) -> int | None:
        """Questions given after the latest unscored one (None if there was none)."""
        for back, counted in enumerate(reversed(self.scored)):
            if not counted:
                return back
        return None

    def area_estimate(self, area: int) -> AbilityEstimate:
        """EAP estimate and posterior SD for the area with code ``area``."""
        posterior = self.area_posteriors[area]
        return AbilityEstimate(posterior.mean, posterior.sd)

    def overall_estimate(self) -> AbilityEstimate:
        """EAP estimate and posterior SD over every answered item."""
        return AbilityEstimate(self.overall.mean, self.overall.sd)

    def area_means(self) -> FloatArray:
        """EAP estimate of every area, by area code."""
        return np.array([posterior.mean for posterior in self.area_posteriors])


def _prior(spec: PriorSpec | None, grid: FloatArray | None) -> Posterior:
    if spec is None:
        return Posterior.normal(0.0, 1.0, grid)
    if isinstance(spec, Posterior):
        return spec
    mean, sd = spec
    return Posterior.normal(mean, sd, grid)


def start_test(
    bank: ItemBank,
    *,
    priors: Mapping[str, PriorSpec] | None = None,
    overall_prior: PriorSpec | None = None,
    areas: Iterable[str] | None = None,
    grid: FloatArray | None = None,
) -> AdaptiveTestState:
    """A fresh quiz state.

    Parameters
    ----------
    bank : ItemBank
        The item bank.
    priors : mapping of area label to (mean, sd) or Posterior, optional
        Prior per area; missing areas get N(0, 1). For a returning learner pass
        ``carry_over_prior(previous_mean, previous_se)``.
    overall_prior : (mean, sd) or Posterior, optional
        Prior of the overall ability (default N(0, 1)).
    areas : iterable of str, optional
        Areas this quiz covers (default: all areas of the bank).
    grid : numpy.ndarray, optional
        Quadrature grid for priors given as (mean, sd).

    Returns
    -------
    AdaptiveTestState
    """
    priors = priors or {}
    unknown = set(priors) - set(bank.area_labels)
    if unknown:
        raise ValueError(f"priors given for areas not in the bank: {sorted(unknown)}")
    covered = set(bank.area_labels) if areas is None else set(areas)
    missing = covered - set(bank.area_labels)
    if missing:
        raise ValueError(f"areas not in the bank: {sorted(missing)}")
    mask = np.zeros(bank.n_items, dtype=bool)
    mask.setflags(write=False)
    area_posteriors = tuple(_prior(priors.get(label), grid) for label in bank.area_labels)
    if bank.n_areas == 1 and not priors and overall_prior is None:
        # One area with the same prior as the overall ability: the two
        # posteriors stay identical, so share one object (record_response
        # then updates it once instead of twice).
        overall = area_posteriors[0]
    else:
        overall = _prior(overall_prior, grid)
    return AdaptiveTestState(
        bank=bank,
        area_posteriors=area_posteriors,
        overall=overall,
        administered=(),
        responses=(),
        administered_mask=mask,
        area_counts=(0,) * bank.n_areas,
        topic_counts=(0,) * bank.n_topics,
        active_areas=tuple(label in covered for label in bank.area_labels),
        scored=(),
        area_format_counts=(0,) * (bank.n_areas * bank.n_formats),
        prior_moments=tuple((prior.mean, prior.sd) for prior in area_posteriors),
    )


def _increment(counts: tuple[int, ...], index: int) -> tuple[int, ...]:
    return (*counts[:index], counts[index] + 1, *counts[index + 1 :])


def record_response(
    state: AdaptiveTestState,
    item_index: int,
    correct: bool | float | None,
    *,
    scored: bool = True,
) -> AdaptiveTestState:
    """The state after item ``item_index`` was answered.

    Updates the item's area posterior and the overall posterior by one
    log-likelihood term each (a skipped item, ``correct`` None or NaN, is
    recorded as given but changes no posterior). With ``scored=False`` the
    answer is recorded and the item marked as given, but no posterior and no
    count changes: the answer does not count (pretest items, repeats whose key
    was shown).

    Raises
    ------
    ValueError
        If the index is outside the bank or the item was already given: an
        item is never repeated within a quiz.
    """
    bank = state.bank
    index = int(item_index)
    if not 0 <= index < bank.n_items:
        raise ValueError(f"item index {index} is outside the bank (0..{bank.n_items - 1})")
    if state.administered_mask[index]:
        raise ValueError(f"item {bank.ids[index]} was already given in this quiz")
    response = math.nan if correct is None else float(correct)
    mask = state.administered_mask.copy()
    mask[index] = True
    mask.setflags(write=False)
    if not scored:
        return AdaptiveTestState(
            bank,
            state.area_posteriors,
            state.overall,
            (*state.administered, index),
            (*state.responses, response),
            mask,
            state.area_counts,
            state.topic_counts,
            state.active_areas,
            (*state.scored, False),
            state.area_format_counts,
            state.prior_moments,
        )
    a, b, c, area, topic, area_format = bank.rows[index]
    posteriors = list(state.area_posteriors)
    shared = state.overall is posteriors[area]
    posteriors[area] = posteriors[area].update(a, b, c, response)
    overall = posteriors[area] if shared else state.overall.update(a, b, c, response)
    return AdaptiveTestState(
        bank,
        tuple(posteriors),
        overall,
        (*state.administered, index),
        (*state.responses, response),
        mask,
        _increment(state.area_counts, area),
        _increment(state.topic_counts, topic),
        state.active_areas,
        (*state.scored, True),
        _increment(state.area_format_counts, area_format),
        state.prior_moments,
    )
