"""What the report would say about simulated learners, against their true abilities.

Used by ``skillprobe simulate`` and ``benchmarks/bench_report_measurement.py``:
from the final state of each simulated quiz (and the true abilities) these
functions compute how often the named level or run of levels contains the
true level, how many levels are named on average, and how often a report of
a learner with no real topic weakness would call some topic weak.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.irt.item_bank import BoolArray
from engine.irt.levels import (
    NAMING_PROBABILITY,
    composite_posterior,
    level_of,
    level_probabilities,
    named_levels,
)
from engine.irt.model import FloatArray
from engine.irt.posterior import Posterior
from engine.irt.state import AdaptiveTestState
from engine.irt.topics import DEFAULT_FALSE_DISCOVERY_RATE, sessions_from_state, topic_effects

#: No level is named for an area with fewer answers than this (see docs/engine.md).
MIN_ANSWERS_FOR_LEVEL = 4


@dataclass(frozen=True, eq=False)
class LevelOutcomes:
    """Per simulee and area: was the true level named, and how many levels were.

    Attributes
    ----------
    contains : numpy.ndarray
        (simulees, areas) booleans; an area without enough answers names
        every level (so it always contains the truth).
    sizes : numpy.ndarray
        (simulees, areas) number of levels named.
    composite_contains, composite_sizes : numpy.ndarray
        The same for the overall composite (mean of the covered areas).
    """

    contains: BoolArray
    sizes: FloatArray
    composite_contains: BoolArray
    composite_sizes: FloatArray


def level_outcomes(
    states: Sequence[AdaptiveTestState],
    true_theta: FloatArray,
    level_cuts: FloatArray,
    *,
    threshold: float = NAMING_PROBABILITY,
    min_answers: int = MIN_ANSWERS_FOR_LEVEL,
) -> LevelOutcomes:
    """Named levels of every simulee's areas and overall composite, against the truth.

    Parameters
    ----------
    states : sequence of AdaptiveTestState
        Final state of each simulee's quiz.
    true_theta : numpy.ndarray
        (simulees, areas) true abilities.
    level_cuts : numpy.ndarray
        (areas, cuts) increasing cut scores of each area.
    threshold : float
        Probability a named run of levels must hold.
    min_answers : int
        Areas with fewer answers name every level.
    """
    cuts = np.asarray(level_cuts, dtype=np.float64)
    n_simulees, n_areas = len(states), cuts.shape[0]
    n_levels = cuts.shape[1] + 1
    contains = np.zeros((n_simulees, n_areas), dtype=bool)
    sizes = np.zeros((n_simulees, n_areas))
    composite_contains = np.zeros(n_simulees, dtype=bool)
    composite_sizes = np.zeros(n_simulees)
    for simulee, state in enumerate(states):
        covered = [area for area in range(n_areas) if state.active_areas[area]]
        for area in range(n_areas):
            posterior = state.area_posteriors[area]
            truth = level_of(float(true_theta[simulee, area]), cuts[area])
            if state.area_counts[area] < min_answers:
                contains[simulee, area], sizes[simulee, area] = True, n_levels
                continue
            named = named_levels(level_probabilities(posterior, cuts[area]), threshold)
            contains[simulee, area], sizes[simulee, area] = named.contains(truth), named.size
        composite = composite_posterior([state.area_posteriors[area] for area in covered])
        composite_cuts = cuts[covered].mean(axis=0)
        truth = level_of(float(np.mean(true_theta[simulee, covered])), composite_cuts)
        named = named_levels(level_probabilities(composite, composite_cuts), threshold)
        composite_contains[simulee], composite_sizes[simulee] = named.contains(truth), named.size
    return LevelOutcomes(contains, sizes, composite_contains, composite_sizes)


def weak_topic_flags(
    states: Sequence[AdaptiveTestState],
    *,
    priors: Mapping[int, tuple[float, float]] | None = None,
    false_discovery_rate: float = DEFAULT_FALSE_DISCOVERY_RATE,
) -> BoolArray:
    """Per simulated quiz: did the topic model call any topic weak (that quiz alone)."""
    flags = np.zeros(len(states), dtype=bool)
    for index, state in enumerate(states):
        effects = topic_effects(
            sessions_from_state(state, priors),
            state.bank.n_topics,
            false_discovery_rate=false_discovery_rate,
        )
        flags[index] = bool(effects.weak.any())
    return flags


def report_figures(
    states: Sequence[AdaptiveTestState],
    true_theta: FloatArray,
    level_cuts: FloatArray,
    area_labels: Sequence[str],
) -> dict[str, object]:
    """The report-side keys of ``skillprobe simulate --json``.

    ``level_agreement`` (share of learner-areas whose named level or run
    contains the true level), ``mean_levels_named``, both also ``_by_area``
    and for the ``_composite`` overall, and ``weak_topic_rate`` (share of
    quizzes naming any topic weak; the simulated learners have no topic
    effects, so every such call is a false alarm).
    """
    outcomes = level_outcomes(states, true_theta, level_cuts)
    return {
        "level_agreement": float(outcomes.contains.mean()),
        "mean_levels_named": float(outcomes.sizes.mean()),
        "level_agreement_composite": float(outcomes.composite_contains.mean()),
        "mean_levels_named_composite": float(outcomes.composite_sizes.mean()),
        "level_agreement_by_area": {
            label: float(outcomes.contains[:, area].mean())
            for area, label in enumerate(area_labels)
        },
        "mean_levels_named_by_area": {
            label: float(outcomes.sizes[:, area].mean()) for area, label in enumerate(area_labels)
        },
        "weak_topic_rate": float(weak_topic_flags(states).mean()),
    }


def readiness_probabilities(
    posteriors: Sequence[Sequence[Posterior]], cuts: Sequence[float] | FloatArray
) -> FloatArray:
    """(simulees, areas) posterior P(theta >= cut) from each simulee's area posteriors."""
    return np.array(
        [
            [
                posterior.probability_at_or_above(float(cut))
                for posterior, cut in zip(row, cuts, strict=True)
            ]
            for row in posteriors
        ]
    )
