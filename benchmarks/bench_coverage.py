"""Does every item get data? Bank coverage of the standard quiz on the shipped bank.

Usage: .venv/bin/python benchmarks/bench_coverage.py [--examinees N] [--seed S]

Issue #9 asks that, over 5,000 standard quizzes on the shipped bank, at least
90% of the items are given at least once and at least 70% reach the 30 answers
calibration needs, without losing more than 2 points of RMSE or accuracy. Two
ways to spread the use of the bank are compared on the same learners:

* **default**: the engine as shipped: the priority index's topic and format
  quotas, items aimed at the learner away from the cuts, randomesque choice
  among the best four;
* **progressive** (Revuelta & Ponsoda, 1998): a calibration phase on top of
  it: each candidate's priority is ``(1 - s) R + s PI`` with ``R`` uniform on
  ``[0, max PI]`` and ``s`` the share of the quiz's planned items given so far,
  so the first items are nearly random and the last ones most informative.

Printed per arm: accuracy at the job-ready cut, RMSE, the share of items given
at least once, the items with at least 30 answers, the largest exposure rate,
the slope of item difficulty on ability, and seconds.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from engine.bank import load_bank
from engine.irt import QUIZ_PRESETS, ExposureControl, ItemBank, MaxInfoSelector
from engine.irt.item_bank import BoolArray, IntArray
from engine.irt.model import FloatArray
from engine.irt.simulation import simulate_quiz, summarise
from engine.irt.state import AdaptiveTestState

BANK = Path(__file__).resolve().parent.parent / "quizzes"
STANDARD = QUIZ_PRESETS["standard"]


@dataclass(frozen=True)
class ProgressiveChoice(ExposureControl):
    """Revuelta & Ponsoda's (1998) weight ``(1 - s) R + s PI``, maximised."""

    progress: float

    def choose(self, information: FloatArray, items: IntArray, rng: np.random.Generator) -> int:
        usable = np.isfinite(information)
        top = float(information[usable].max())
        weight = (1.0 - self.progress) * rng.uniform(0.0, top, information.size)
        weight += self.progress * np.where(usable, information, 0.0)
        weight[~usable] = -np.inf
        return int(items[int(np.argmax(weight))])


@dataclass(frozen=True)
class ProgressiveSelector(MaxInfoSelector):
    """The priority index with a progressive calibration phase."""

    def _choose(
        self,
        state: AdaptiveTestState,
        mask: BoolArray,
        weights: FloatArray | None,
        points: FloatArray | None,
        rng: np.random.Generator,
    ) -> int | None:
        planned = sum(state.active_areas) * STANDARD.max_items_per_area
        progress = min(1.0, state.n_scored / planned)
        inner = replace(self, exposure=ProgressiveChoice(progress))
        return MaxInfoSelector._choose(inner, state, mask, weights, points, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examinees", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    loaded = load_bank(BANK)
    bank = ItemBank.from_items(loaded.items)
    areas = loaded.bank.areas
    cuts = {area.id: area.cut_scores.job_ready for area in areas}
    level_cuts = {
        area.id: (area.cut_scores.developing, area.cut_scores.job_ready, area.cut_scores.strong)
        for area in areas
    }
    theta = np.random.default_rng(args.seed).normal(0.0, 1.0, (args.examinees, bank.n_areas))
    print(
        f"shipped bank, {bank.n_items} items; {args.examinees} standard quizzes; seed {args.seed}"
    )
    columns = (
        "classification_accuracy",
        "rmse",
        "share_of_items_given",
        "items_reaching_30_answers",
        "max_exposure",
        "mean_item_difficulty_slope",
    )
    labels = ("accuracy", "rmse", "given", "30 answers", "max exp.", "slope", "seconds")
    print(f"{'':<14}" + "".join(f"{label:>12}" for label in labels))
    for name, selector in (("default", MaxInfoSelector()), ("progressive", ProgressiveSelector())):
        plan = STANDARD.plan(cut_scores=cuts, level_cuts=level_cuts, selector=selector)
        start = time.perf_counter()
        record = simulate_quiz(
            bank, plan, theta, np.random.default_rng(args.seed + 1), cut_scores=cuts
        )
        seconds = time.perf_counter() - start
        figures = summarise(record, cut_scores=cuts, bank=bank)
        print(
            f"{name:<14}"
            + "".join(f"{figures[column]:>12.3f}" for column in columns)
            + f"{seconds:>12.0f}"
        )


if __name__ == "__main__":
    main()
