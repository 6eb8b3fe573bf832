"""Simulate the quiz presets on a bank shaped like the authored one (docs/engine.md).

Usage: .venv/bin/python benchmarks/bench_presets.py [--examinees N] [--seed S]
       [--bank authored|calibrated]

For each preset in QUIZ_PRESETS (and a few alternatives), simulated learners
with independent N(0, 1) abilities per area take the full four-area quiz with
the level cuts of quizzes/areas.yaml (developing -1, job-ready 0, strong 1.2);
the script prints items per quiz, items per area, per-area RMSE, mean SE, the
readiness classification accuracy at the job-ready cut (theta = 0) and its
calibration error, the same accuracy with random selection under the same
rules, and the slope of item difficulty on ability.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from banks import authored_like_bank, calibrated_like_bank

from engine.irt import QUIZ_PRESETS, RandomSelector, StoppingConfig
from engine.irt.simulation import simulate_quiz, summarise

LEVEL_CUTS = (-1.0, 0.0, 1.2)

ALTERNATIVES = {
    "fixed-5": StoppingConfig(5, 5),
    "fixed-10": StoppingConfig(10, 10),
    "fixed-20": StoppingConfig(20, 20),
    "se-0.3-cap-60": StoppingConfig(0, 60, se_target=0.3),
    "classify-cap-40": StoppingConfig(0, 40, classify=True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examinees", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--bank",
        choices=("authored", "calibrated"),
        default="authored",
        help="authored: a = 1 and the default guessing of docs/authoring.md (the shipped "
        "bank before calibration); calibrated: 3PL parameters with a ~ 1.2",
    )
    args = parser.parse_args()
    make_bank = authored_like_bank if args.bank == "authored" else calibrated_like_bank
    bank = make_bank(np.random.default_rng(args.seed))
    cut = 0.0
    print(f"bank: {bank.n_items} items, {bank.n_areas} areas, {bank.n_topics} topics; cut {cut}")
    print(
        f"{'preset':<16}{'items/quiz':>11}{'items/area':>11}{'rmse':>7}{'mean_se':>8}"
        f"{'accuracy':>9}{'ece':>7}{'random':>8}{'slope':>7}{'seconds':>8}"
    )
    for name, config in {**QUIZ_PRESETS, **ALTERNATIVES}.items():
        rng = np.random.default_rng(args.seed)
        theta = rng.normal(0.0, 1.0, (args.examinees, bank.n_areas))
        start = time.perf_counter()
        figures = {}
        for arm, selector in (("adaptive", None), ("random", RandomSelector())):
            plan = config.plan(cut_scores=cut, level_cuts=LEVEL_CUTS, selector=selector)
            record = simulate_quiz(bank, plan, theta, np.random.default_rng(args.seed + 1),
                                   cut_scores=cut)  # fmt: skip
            figures[arm] = summarise(record, cut_scores=cut, bank=bank)
        seconds = time.perf_counter() - start
        ours = figures["adaptive"]
        print(
            f"{name:<16}{ours['mean_length']:>11.1f}{ours['mean_length'] / 4:>11.1f}"
            f"{ours['rmse']:>7.3f}{ours['mean_se']:>8.3f}"
            f"{ours['classification_accuracy']:>9.3f}{ours['calibration_error']:>7.3f}"
            f"{figures['random']['classification_accuracy']:>8.3f}"
            f"{ours['mean_item_difficulty_slope']:>7.2f}{seconds:>8.1f}"
        )


if __name__ == "__main__":
    main()
