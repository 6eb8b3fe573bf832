"""Seeding pretest items into quizzes (online calibration); which items are pretest is `pretest.py`.

An item whose parameters are still the author's guesses cannot be trusted to
measure, but it needs answers to be calibrated. Such *pretest* items are shown
exactly like the others at a bounded rate and recorded **unscored**
(`record_response(..., scored=False)`): the learner's estimates never see them.

* **Rate**: at most one unscored question in any `PretestPolicy.spacing`
  consecutive questions (default 10, so at most 1 in 10 and never two in a
  row), never the first question; a free slot is used with probability
  `PretestPolicy.probability`, so a learner cannot tell which question it is.
* **Which item**: one for which this learner is in the ability range where
  the item is informative (where its difficulty is decided): its information
  at the learner's current estimate in its area, as a share of the item's
  largest information (provisional parameters), so a hard item goes to strong
  learners and an easy one to weak learners, whatever their discrimination or
  guessing; times how much it still needs answers (``1 - answers /
  answers_wanted``, never below `MIN_NEED`), so the least-answered items go
  first. Randomesque among the best four spreads the data.

References
----------
Ban, J.-C., Hanson, B. A., Wang, T., Yi, Q., & Harris, D. J. (2001). A
comparative study of on-line pretest item calibration/scaling methods in
computerized adaptive testing. *Journal of Educational Measurement, 38*(3),
191-212.

Kingsbury, G. G., & Zara, A. R. (1989). Procedures for selecting items for
computerized adaptive tests. *Applied Measurement in Education, 2*(4), 359-375.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.irt.exposure import ExposureControl, Randomesque
from engine.irt.item_bank import BoolArray, IntArray
from engine.irt.model import FloatArray, information_from_terms
from engine.irt.state import AdaptiveTestState

#: Need of an item that already has the answers it wanted: it can still be
#: seeded, after every item that needs more.
MIN_NEED = 0.05


@dataclass(frozen=True)
class PretestPolicy:
    """When a pretest item may be seeded and which one.

    Attributes
    ----------
    spacing : int
        At most one unscored question in any ``spacing`` consecutive questions.
    first_position : int
        The first question number (1-based) that may be a pretest item.
    probability : float
        Chance that a free slot is used (in (0, 1]).
    answers_wanted : int
        Answers an item needs before it can be calibrated (its need is 0 then).
    exposure : ExposureControl
        How to choose among the pretest items with the highest priority.
    """

    spacing: int = 10
    first_position: int = 2
    probability: float = 0.5
    answers_wanted: int = 30
    exposure: ExposureControl = field(default_factory=Randomesque)

    def __post_init__(self) -> None:
        if self.spacing < 2:
            raise ValueError(f"spacing must be at least 2 (never two in a row), got {self.spacing}")
        if self.first_position < 2:
            raise ValueError(f"first_position must be at least 2, got {self.first_position}")
        if not 0.0 < self.probability <= 1.0:
            raise ValueError(f"probability must be in (0, 1], got {self.probability}")
        if self.answers_wanted < 1:
            raise ValueError(f"answers_wanted must be at least 1, got {self.answers_wanted}")

    def slot_free(self, state: AdaptiveTestState) -> bool:
        """True when the next question may be unscored under the rate rules."""
        if state.n_administered + 1 < self.first_position:
            return False
        since = state.questions_since_unscored()
        return since is None or since >= self.spacing - 1

    def wants_slot(self, state: AdaptiveTestState, rng: np.random.Generator) -> bool:
        """Whether to seed a pretest item next (a free slot, taken with `probability`)."""
        if not self.slot_free(state):
            return False
        return self.probability >= 1.0 or rng.random() < self.probability

    def choose(
        self,
        state: AdaptiveTestState,
        candidates: BoolArray,
        rng: np.random.Generator,
        *,
        answer_counts: IntArray | FloatArray | None = None,
    ) -> int | None:
        """The pretest item to seed among ``candidates`` (None if there is none).

        Parameters
        ----------
        state : AdaptiveTestState
            The quiz so far (the learner's current estimate per area).
        candidates : numpy.ndarray
            Boolean per bank item: pretest items that may be given now.
        rng : numpy.random.Generator
            Source of randomness (exposure control).
        answer_counts : numpy.ndarray, optional
            Answers each bank item has so far, over all learners (default: none).
        """
        items = np.flatnonzero(candidates)
        if items.size == 0:
            return None
        bank = state.bank
        theta = state.area_means()[bank.area[items]]
        priority = information_from_terms(theta, bank.information_terms.subset(items))
        priority /= bank.max_information[items]
        if answer_counts is not None:
            answers = np.asarray(answer_counts, dtype=np.float64)[items]
            priority *= np.clip(1.0 - answers / self.answers_wanted, MIN_NEED, 1.0)
        return self.exposure.choose(priority, items, rng)
