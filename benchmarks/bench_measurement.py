"""Measurement quality of the adaptive quiz on a 500-item 3PL bank (docs/engine.md).

Usage: .venv/bin/python benchmarks/bench_measurement.py [--examinees N] [--seed S]

1. Fixed length, 20 items: adaptive (maximum information, randomesque 4) vs
   the same aimed at the EAP instead of the less shrunken aim estimate vs
   maximum information without exposure control vs random selection vs the
   oracle (items most informative at the true ability). Targets: adaptive RMSE
   within 15% of the oracle and at least 30% below random; 95% interval
   coverage between 0.93 and 0.97.
2. Readiness classification at cut 0.5: stopping when P(theta >= cut) >= 0.9
   or <= 0.1 (items aimed at the cut while the estimate is within one SD of
   it, at the cut all quiz long, or at the estimate) vs stopping at
   SE <= 0.3; test length, accuracy against the true side of the cut, and
   the expected calibration error of P(theta >= cut).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from banks import spread_3pl_bank

from engine.irt import (
    AdaptiveTestPlan,
    FixedLength,
    MaximumInformation,
    MaxInfoSelector,
    RandomSelector,
    StoppingConfig,
)
from engine.irt.simulation import simulate_oracle, simulate_quiz, summarise

COLUMNS = (
    "rmse",
    "bias",
    "mean_length",
    "mean_se",
    "coverage_95",
    "max_exposure",
    "overlap",
    "mean_item_difficulty_slope",
)


def row(name: str, figures: dict[str, float], columns: tuple[str, ...]) -> str:
    return f"{name:<36}" + "".join(f"{figures[column]:>13.3f}" for column in columns)


def header(columns: tuple[str, ...], labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    return f"{'':<36}" + "".join(f"{labels.get(column, column):>13}" for column in columns)


def main() -> None:
    parser = argparse.ArgumentParser(description="Measurement quality of the adaptive quiz.")
    parser.add_argument("--examinees", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    bank = spread_3pl_bank(500, np.random.default_rng(args.seed))
    theta = np.random.default_rng(args.seed + 1).normal(0.0, 1.0, args.examinees)
    print(f"{args.examinees} simulees, theta ~ N(0, 1); 500-item 3PL bank")
    print("a ~ logN(log 1.2, 0.25), b ~ U(-3, 3), c ~ U(0.05, 0.25); EAP, N(0, 1) prior\n")

    print("1. Fixed length, 20 items")
    print(
        header(
            COLUMNS,
            {
                "mean_length": "length",
                "coverage_95": "coverage",
                "max_exposure": "max_exposure",
                "mean_item_difficulty_slope": "slope",
            },
        )
    )
    start = time.perf_counter()
    arms = {
        "adaptive (randomesque 4)": AdaptiveTestPlan(FixedLength(20)),
        "adaptive, aimed at the EAP": AdaptiveTestPlan(FixedLength(20), aim_prior_weight=1.0),
        "maximum information (no control)": AdaptiveTestPlan(
            FixedLength(20), MaxInfoSelector(exposure=MaximumInformation())
        ),
        "random": AdaptiveTestPlan(FixedLength(20), RandomSelector()),
    }
    results = {}
    for index, (name, plan) in enumerate(arms.items()):
        record = simulate_quiz(bank, plan, theta, np.random.default_rng(args.seed + 10 + index))
        results[name] = summarise(record)
        if index == 0:
            oracle_record = simulate_oracle(
                bank, theta, record.lengths, np.random.default_rng(args.seed + 20)
            )
    results["oracle (true theta)"] = summarise(oracle_record)
    for name, figures in results.items():
        print(row(name, figures, COLUMNS))
    adaptive, random, oracle = (
        results["adaptive (randomesque 4)"],
        results["random"],
        results["oracle (true theta)"],
    )
    print(
        f"\nadaptive RMSE / oracle RMSE = {adaptive['rmse'] / oracle['rmse']:.3f} (target <= 1.15)"
        f"\nadaptive RMSE / random RMSE = {adaptive['rmse'] / random['rmse']:.3f} (target <= 0.70)"
        f"\ncoverage of the 95% interval = {adaptive['coverage_95']:.3f} (target 0.93-0.97)"
        f"\n({time.perf_counter() - start:.1f} s)\n"
    )

    cut = 0.5
    print(f"2. Readiness classification at cut {cut} (max 40 items)")
    columns = ("mean_length", "classification_accuracy", "calibration_error", "rmse", "mean_se")
    print(header(columns, {"mean_length": "length", "classification_accuracy": "accuracy",
                           "calibration_error": "ECE"}))  # fmt: skip
    classify = StoppingConfig(0, 40, classify=True)
    strict = StoppingConfig(
        0, 40, classify=True, upper_probability=0.95, lower_probability=0.05, credible_level=0.9
    )
    plans = {
        "P>=0.9 or <=0.1, cut within 1 SD": classify.plan(cut_scores=cut),
        "P>=0.9 or <=0.1, always the cut": replace(
            classify.plan(cut_scores=cut), aim_width=math.inf
        ),
        "P>=0.9 or <=0.1, items at estimate": AdaptiveTestPlan(classify.stopping_rule(cut)),
        "P>=0.95 or <=0.05, cut within 1 SD": strict.plan(cut_scores=cut),
        "SE <= 0.3": StoppingConfig(0, 40, se_target=0.3).plan(),
    }
    for index, (name, plan) in enumerate(plans.items()):
        record = simulate_quiz(
            bank, plan, theta, np.random.default_rng(args.seed + 30 + index), cut_scores=cut
        )
        print(row(name, summarise(record, cut_scores=cut, bank=bank), columns))


if __name__ == "__main__":
    main()
