"""Where items are aimed and whether every item gets data, on the shipped bank.

Usage: .venv/bin/python benchmarks/bench_coverage.py [--examinees N] [--seed S]

Issue #9 asks that, over 5,000 standard quizzes on the shipped bank, at least
90% of the items are given at least once and at least 70% reach the 30 answers
calibration needs, without losing more than 2 points of RMSE or accuracy;
issue #14 that the difficulty of the items given rises with ability (slope >
0.5 per logit) without losing accuracy at the job-ready cut. Arms, on the same
learners:

* **default**: the engine as shipped: items aimed at the job-ready cut while
  the aim estimate is within one SD of it, else at the nearest level cut within
  one SD, else at the aim estimate (5% of the prior's weight); the priority
  index's quotas; randomesque choice among the best four;
* **aimed at the EAP**: the same, with the EAP as the aim estimate;
* **job-ready cut all quiz**: every item aimed at the job-ready cut (the
  engine before), with the same quotas;
* **cut, no formats**: the same without format quotas (typed answers, which
  cannot be guessed, nearly always win): a bound on the accuracy at the cut
  that item choice can reach on this bank and preset;
* **progressive** (`ProgressiveSelector`, Revuelta & Ponsoda, 1998): a
  calibration phase on top of the default: each candidate's weight is
  ``(1 - s) R + s PI`` with ``R`` uniform on ``[0, max PI]`` and ``s`` the
  share of the quiz's planned items given so far, so the first items are nearly
  random and the last ones most informative.

Printed per arm: accuracy at the job-ready cut, RMSE, the share of items given
at least once, the items with at least 30 answers, the largest exposure rate,
the slope of item difficulty on ability, and seconds.
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from engine.bank import load_bank
from engine.irt import (
    QUIZ_PRESETS,
    ContentBalance,
    ItemBank,
    MaxInfoSelector,
    ProgressiveSelector,
)
from engine.irt.simulation import simulate_quiz, summarise

BANK = Path(__file__).resolve().parent.parent / "quizzes"
STANDARD = QUIZ_PRESETS["standard"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examinees", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    loaded = load_bank(BANK)
    bank = ItemBank.from_items(loaded.items)
    assert loaded.bank is not None, "the shipped bank must load"
    areas = loaded.bank.areas
    cuts = {area.id: area.cut_scores.job_ready for area in areas}
    level_cuts: dict[str, tuple[float, ...]] = {
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
    print(f"{'':<16}" + "".join(f"{label:>12}" for label in labels))
    default = STANDARD.plan(cut_scores=cuts, level_cuts=level_cuts)
    arms = {
        "default": default,
        "EAP aim": replace(default, aim_prior_weight=1.0),
        "cut all quiz": replace(default, level_cuts=None, aim_width=math.inf),
        "cut, no formats": replace(
            default,
            level_cuts=None,
            aim_width=math.inf,
            selector=MaxInfoSelector(content=ContentBalance(format_weight=0.0)),
        ),
        "progressive": replace(
            default, selector=ProgressiveSelector(items_per_area=STANDARD.max_items_per_area)
        ),
    }
    for name, plan in arms.items():
        start = time.perf_counter()
        record = simulate_quiz(
            bank, plan, theta, np.random.default_rng(args.seed + 1), cut_scores=cuts
        )
        seconds = time.perf_counter() - start
        figures = summarise(record, cut_scores=cuts, bank=bank)
        print(
            f"{name:<16}"
            + "".join(f"{figures[column]:>12.3f}" for column in columns)
            + f"{seconds:>12.0f}"
        )


if __name__ == "__main__":
    main()
