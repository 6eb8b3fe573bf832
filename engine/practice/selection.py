"""Which question a practice session asks next: pure functions over the bank's arrays.

1. **Due reviews first**: items with a card due today (`engine.practice.scheduling`)
   that the session has not asked yet, the most overdue first.
2. **Then new questions from the target topics** (the weakest ones): items without a
   card, not answered in the last `recent_days` days, in the target topic that has had
   the fewest new questions this session (ties: the weakest topic). Within it, a
   *desirable difficulty* (Bjork, 1994): the item whose predicted chance of success,
   the 3PL probability at the learner's area estimate, is nearest the target (0.7 by
   default), chosen at random among the `randomesque` nearest so that two sessions do
   not always ask the same items (Kingsbury & Zara's randomesque, 1989).

Times are POSIX seconds (floats) so that every step is a vectorised comparison.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from engine.irt.model import probability
from engine.practice.model import DEFAULT_TARGET_SUCCESS, QuestionKind

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

RANDOMESQUE = 3
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class PracticePool:
    """The bank as one practice session sees it.

    Attributes
    ----------
    a, b, c : numpy.ndarray
        3PL parameters per item.
    area, topic : numpy.ndarray
        Area and topic code per item.
    in_scope : numpy.ndarray
        May be asked in this session (not retired; in the areas or topics asked for).
    focus_rank : numpy.ndarray
        Per topic code: 0 for the weakest target topic, 1 for the next, ...; -1 when
        new questions never come from the topic.
    theta : numpy.ndarray
        Per area code: the ability predictions use (the latest quiz estimate).
    has_card, due_at : numpy.ndarray
        Per item: whether the learner has a card for it, and when it is due (POSIX
        seconds; +inf without a card).
    last_seen : numpy.ndarray
        Per item: when the learner last answered it (POSIX seconds; -inf never).
    """

    a: FloatArray
    b: FloatArray
    c: FloatArray
    area: IntArray
    topic: IntArray
    in_scope: BoolArray
    focus_rank: IntArray
    theta: FloatArray
    has_card: BoolArray
    due_at: FloatArray
    last_seen: FloatArray

    @property
    def size(self) -> int:
        return int(self.a.size)


@dataclass(frozen=True)
class Choice:
    """The item to ask (its position in the pool), why, and its predicted chance of success."""

    item: int
    kind: QuestionKind
    predicted: float


def item_times(
    index: Mapping[str, int], size: int, times: Mapping[str, float], missing: float
) -> FloatArray:
    """Per item, the time given for its id (ids not in `index` are ignored), else `missing`."""
    values = np.full(size, missing, dtype=np.float64)
    if times:
        positions = [index.get(item_id, -1) for item_id in times]
        known = np.array([p >= 0 for p in positions], dtype=bool)
        values[np.array(positions, dtype=np.intp)[known]] = np.fromiter(
            times.values(), dtype=np.float64, count=len(times)
        )[known]
    return values


def predicted_success(pool: PracticePool, items: IntArray | None = None) -> FloatArray:
    """The 3PL chance of success at the learner's area estimate, per item (or for `items`)."""
    chosen = np.arange(pool.size) if items is None else items
    return probability(
        pool.theta[pool.area[chosen]], pool.a[chosen], pool.b[chosen], pool.c[chosen]
    )


def due_reviews(pool: PracticePool, asked: BoolArray, day_end: float) -> IntArray:
    """Items due today and not asked yet in the session, most overdue first."""
    mask = pool.has_card & pool.in_scope & ~asked & (pool.due_at < day_end)
    items = np.flatnonzero(mask)
    return items[np.argsort(pool.due_at[items], kind="stable")]


def new_candidates(
    pool: PracticePool, asked: BoolArray, now: float, recent_days: float
) -> BoolArray:
    """Items that may come as new: in a target topic, no card, not seen in `recent_days`."""
    fresh = pool.last_seen < now - recent_days * SECONDS_PER_DAY
    targeted = pool.focus_rank[pool.topic] >= 0
    return pool.in_scope & targeted & ~pool.has_card & ~asked & fresh


def next_practice_item(
    pool: PracticePool,
    *,
    asked: BoolArray,
    new_per_topic: IntArray,
    now: float,
    day_end: float,
    rng: np.random.Generator,
    target: float = DEFAULT_TARGET_SUCCESS,
    recent_days: float = 7.0,
    randomesque: int = RANDOMESQUE,
) -> Choice | None:
    """The next question of a session, or None when nothing is due and nothing new is left.

    Parameters
    ----------
    asked : numpy.ndarray
        Per item: already asked in this session.
    new_per_topic : numpy.ndarray
        Per topic code: new questions asked in this session so far.
    now, day_end : float
        The current time and the end of the learner's day (POSIX seconds).
    rng : numpy.random.Generator
        Draws among the `randomesque` items nearest the target.
    """
    reviews = due_reviews(pool, asked, day_end)
    if reviews.size:
        item = int(reviews[0])
        return Choice(item, "review", float(predicted_success(pool, reviews[:1])[0]))
    candidates = np.flatnonzero(new_candidates(pool, asked, now, recent_days))
    if candidates.size == 0:
        return None
    topics = np.unique(pool.topic[candidates])
    order = np.lexsort((pool.focus_rank[topics], new_per_topic[topics]))
    topic = topics[order[0]]
    in_topic = candidates[pool.topic[candidates] == topic]
    success = predicted_success(pool, in_topic)
    gaps = np.abs(success - target)
    nearest = min(randomesque, in_topic.size)
    closest = np.argpartition(gaps, nearest - 1)[:nearest]
    closest = closest[np.lexsort((in_topic[closest], gaps[closest]))]
    pick = int(closest[int(rng.integers(nearest))])
    return Choice(int(in_topic[pick]), "new", float(success[pick]))
