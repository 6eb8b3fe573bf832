"""Content balancing: which area, then which topic, the next item comes from.

Across areas the quiz follows target proportions with the constrained-CAT rule
of Kingsbury & Zara (1989): take the area whose share of the items given so
far is furthest below its target share. Within an area it takes the topic with
the fewest items so far, so that the report has evidence for every topic
before any topic gets a second item.

References
----------
Kingsbury, G. G., & Zara, A. R. (1989). Procedures for selecting items for
computerized adaptive tests. *Applied Measurement in Education, 2*(4), 359-375.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.irt.item_bank import BoolArray
from engine.irt.model import ArrayLike


def _random_among(tied: np.ndarray, rng: np.random.Generator) -> int:
    """One of the true positions of ``tied``, uniformly (deterministic when only one)."""
    positions = np.flatnonzero(tied)
    if positions.size == 1:
        return int(positions[0])
    return int(positions[int(rng.integers(positions.size))])


def choose_area(
    area_counts: Sequence[int] | ArrayLike,
    available: BoolArray,
    rng: np.random.Generator,
    targets: ArrayLike | None = None,
) -> int:
    """The available area furthest below its target share (Kingsbury & Zara, 1989).

    Parameters
    ----------
    area_counts : sequence of int
        Items given so far per area.
    available : numpy.ndarray
        Boolean per area: still open and with candidate items. At least one true.
    rng : numpy.random.Generator
        Breaks exact ties (after preferring the area with fewer items).
    targets : array_like, optional
        Target proportion per area (any non-negative weights; renormalised over
        the available areas). Default: equal shares. An available area with
        weight 0 is only chosen when no weighted area is available.

    Returns
    -------
    int
        Area code.
    """
    counts = np.asarray(area_counts, dtype=np.float64)
    available = np.asarray(available, dtype=bool)
    weights = (
        np.ones(counts.size)
        if targets is None
        else np.nan_to_num(np.clip(np.asarray(targets, dtype=np.float64), 0.0, None))
    )
    weights = np.where(available, weights, 0.0)
    if weights.sum() <= 0.0:
        weights = available.astype(np.float64)
    target_share = weights / weights.sum()
    given = counts[available].sum()
    share = counts / given if given > 0 else np.zeros_like(counts)
    deficit = np.where(available & (weights > 0), target_share - share, -np.inf)
    tied = np.isclose(deficit, deficit.max(), rtol=0.0, atol=1e-12)
    fewest = tied & (counts == counts[tied].min())
    return _random_among(fewest, rng)


def choose_topic(
    topic_counts: Sequence[int] | ArrayLike,
    available: BoolArray,
    rng: np.random.Generator,
) -> int:
    """The available topic with the fewest items so far (ties broken at random).

    Parameters
    ----------
    topic_counts : sequence of int
        Items given so far per topic code.
    available : numpy.ndarray
        Boolean per topic: has candidate items in the chosen area. At least one true.
    rng : numpy.random.Generator
        Breaks ties, so quizzes do not always start with the same topic.

    Returns
    -------
    int
        Topic code.
    """
    counts = np.where(
        np.asarray(available, dtype=bool), np.asarray(topic_counts), np.iinfo(np.int64).max
    )
    return _random_among(counts == counts.min(), rng)
