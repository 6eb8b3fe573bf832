"""``skillprobe simulate``: Monte Carlo check of the adaptive quiz on a real or given bank.

Simulated learners with true abilities drawn from N(0, 1) (one per area) take
the quiz through the real selection, estimation and stopping code. The report
gives RMSE, bias, mean length, mean reported SE, 95% interval coverage, the
largest item exposure rate and the mean test overlap, next to two baselines on
the same learners: random selection (same stopping rule) and an oracle that
gives each learner the items most informative at their true ability (same
lengths as the adaptive quiz). For the adaptive arm it also gives what the
readiness report would say (`engine.irt.report_figures`): how often the named
level contains the true level, how many levels are named, and how often a
quiz names a topic weak although no simulated learner has a weak topic.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from engine.io.csv_tables import read_items_csv
from engine.irt import (
    DEFAULT_RANDOMESQUE_SIZE,
    QUIZ_PRESETS,
    AdaptiveTestPlan,
    ItemBank,
    MaxInfoSelector,
    Randomesque,
    RandomSelector,
    StoppingConfig,
)
from engine.irt.report_figures import report_figures
from engine.irt.simulation import SimulationRecord, simulate_oracle, simulate_quiz, summarise
from engine.irt.state import AdaptiveTestState

FIGURES = ("rmse", "bias", "mean_length", "mean_se", "coverage_95", "max_exposure", "overlap")
CLASSIFICATION_FIGURES = ("classification_accuracy", "calibration_error")
REPORT_FIGURES = (
    "level_agreement",
    "mean_levels_named",
    "level_agreement_composite",
    "mean_levels_named_composite",
    "weak_topic_rate",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``simulate`` command."""
    parser = subparsers.add_parser(
        "simulate",
        help="simulate adaptive quizzes and compare with random and oracle selection",
        description=(
            "Simulate learners (theta ~ N(0, 1), one ability per area) taking adaptive quizzes "
            "with the real selection, estimation and stopping code, and report RMSE, bias, "
            "mean length, mean SE, 95%% interval coverage, maximum item exposure and mean "
            "test overlap, beside random selection and an oracle that picks the items most "
            "informative at the true ability. Lengths and SE targets are per area. Also what "
            "the report would say about the adaptive arm's learners: level_agreement (share "
            "whose named level or run of levels holds their true level), mean_levels_named, "
            "the same for the overall composite, and weak_topic_rate (share of quizzes naming "
            "any topic weak; the simulated learners have no topic weakness)."
        ),
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--bank", type=Path, metavar="DIR", help="a YAML bank folder (quizzes/)")
    source.add_argument("--items", type=Path, metavar="ITEMS.csv", help="CSV with id,a,b,c")
    parser.add_argument(
        "--examinees", type=int, required=True, metavar="N", help="simulated learners"
    )
    stopping = parser.add_mutually_exclusive_group(required=True)
    stopping.add_argument("--length", type=int, metavar="L", help="fixed length per area")
    stopping.add_argument(
        "--se", type=float, metavar="S", help="stop an area when its posterior SD <= S"
    )
    stopping.add_argument(
        "--classify",
        action="store_true",
        help="stop an area when P(theta >= cut) >= 0.9 or <= 0.1 (readiness classification)",
    )
    stopping.add_argument(
        "--preset",
        choices=sorted(QUIZ_PRESETS),
        help="a quiz length preset of the app (per-area limits, SE and classification rules)",
    )
    parser.add_argument(
        "--max-items", type=int, default=40, metavar="M", help="cap per area (default 40)"
    )
    parser.add_argument(
        "--min-items", type=int, default=0, metavar="M", help="minimum per area (default 0)"
    )
    parser.add_argument(
        "--cut",
        type=float,
        metavar="X",
        help="cut score for --classify and classifying presets (default: each area's "
        "job_ready cut with --bank, else 0); "
        "with --length or --se it adds classification figures without changing the stopping",
    )
    parser.add_argument("--selection", choices=("maxinfo", "random"), default="maxinfo")
    parser.add_argument(
        "--randomesque",
        type=int,
        default=DEFAULT_RANDOMESQUE_SIZE,
        metavar="K",
        help=f"choose among the K most informative items (default {DEFAULT_RANDOMESQUE_SIZE}; "
        "1 = no exposure control)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.set_defaults(handler=run)


def _argument_problems(args: argparse.Namespace) -> list[str]:
    problems = []
    if args.examinees < 1:
        problems.append(f"--examinees must be at least 1, got {args.examinees}")
    if args.length is not None and args.length < 1:
        problems.append(f"--length must be at least 1, got {args.length}")
    if args.se is not None and not (math.isfinite(args.se) and args.se > 0):
        problems.append(f"--se must be a positive number, got {args.se}")
    if args.max_items < 1:
        problems.append(f"--max-items must be at least 1, got {args.max_items}")
    if not 0 <= args.min_items <= args.max_items:
        problems.append("--min-items must be between 0 and --max-items")
    if args.randomesque < 1:
        problems.append(f"--randomesque must be at least 1, got {args.randomesque}")
    if args.cut is not None and not math.isfinite(args.cut):
        problems.append(f"--cut must be a finite number, got {args.cut}")
    return problems


def _load(args: argparse.Namespace) -> tuple[ItemBank | None, dict[str, float], list[str]]:
    """The bank, per-area job-ready cuts (bank only) and any problems."""
    if args.items is not None:
        table, problems = read_items_csv(args.items)
        if table is None:
            return None, {}, [str(problem) for problem in problems]
        return ItemBank.from_arrays(table.a, table.b, table.c, ids=table.ids), {}, []
    from engine.bank import load_bank

    loaded = load_bank(args.bank)
    if loaded.errors:
        return None, {}, [str(error) for error in loaded.errors]
    if not loaded.items:
        return None, {}, [f"{args.bank}: the bank has no items"]
    cuts = {}
    for area in getattr(getattr(loaded, "bank", None), "areas", ()) or ():
        cut_scores = getattr(area, "cut_scores", None)
        if cut_scores is not None:
            cuts[area.id] = float(cut_scores.job_ready)
    return ItemBank.from_items(loaded.items), cuts, []


def _config(args: argparse.Namespace) -> StoppingConfig:
    if args.preset is not None:
        return QUIZ_PRESETS[args.preset]
    if args.length is not None:
        return StoppingConfig(min_items_per_area=args.length, max_items_per_area=args.length)
    return StoppingConfig(
        min_items_per_area=args.min_items,
        max_items_per_area=args.max_items,
        se_target=args.se,
        classify=args.classify,
    )


def _summaries(
    bank: ItemBank,
    records: dict[str, SimulationRecord],
    cuts: dict[str, float] | None,
) -> dict[str, Any]:
    """Overall figures with baselines, plus per-area figures for a multi-area bank."""

    def block(areas: Sequence[int] | None, item_mask: np.ndarray | None) -> dict[str, Any]:
        arms = {
            name: summarise(
                record,
                areas=None if areas is None else np.asarray(areas),
                item_mask=item_mask,
                cut_scores=cuts,
                bank=bank if cuts is not None else None,
            )
            for name, record in records.items()
        }
        result: dict[str, Any] = dict(arms["adaptive"])
        result["random"] = arms["random"]
        result["oracle"] = arms["oracle"]
        return result

    summary = block(None, None)
    if bank.n_areas > 1:
        summary["areas"] = {
            label: block([code], bank.area == code) for code, label in enumerate(bank.area_labels)
        }
    return summary


def run(args: argparse.Namespace) -> int:
    """Run the simulation and print the figures; exit status 1 on bad input."""
    problems = _argument_problems(args)
    if problems:
        for problem in problems:
            print(f"error: {problem}")
        return 1
    bank, bank_cuts, problems = _load(args)
    if bank is None:
        for problem in problems:
            print(problem)
        return 1
    cuts: dict[str, float] | None = None
    config = _config(args)
    if config.classify or args.cut is not None:
        # With --cut and another stopping rule, classification figures are
        # still reported (the quiz just does not stop on them).
        default_cut = 0.0 if args.cut is None else args.cut
        cuts = {
            label: (bank_cuts.get(label, default_cut) if args.cut is None else args.cut)
            for label in bank.area_labels
        }
    rng = np.random.default_rng(args.seed)
    true_theta = rng.normal(0.0, 1.0, size=(args.examinees, bank.n_areas))
    adaptive_selector = (
        MaxInfoSelector(exposure=Randomesque(args.randomesque))
        if args.selection == "maxinfo"
        else RandomSelector()
    )
    # Independent generators per arm, so each arm's answers do not depend on
    # how many random numbers another arm used.
    arm_rngs = [np.random.default_rng(seed) for seed in np.random.SeedSequence(args.seed).spawn(3)]
    adaptive_states: list[AdaptiveTestState] = []
    adaptive = simulate_quiz(
        bank,
        config.plan(cut_scores=cuts, selector=adaptive_selector),
        true_theta,
        arm_rngs[0],
        cut_scores=cuts,
        final_states=adaptive_states,
    )
    random_plan: AdaptiveTestPlan = config.plan(cut_scores=cuts, selector=RandomSelector())
    random_arm = simulate_quiz(bank, random_plan, true_theta, arm_rngs[1], cut_scores=cuts)
    oracle = simulate_oracle(bank, true_theta, adaptive.lengths, arm_rngs[2], cut_scores=cuts)
    summary = _summaries(bank, {"adaptive": adaptive, "random": random_arm, "oracle": oracle}, cuts)
    _add_report_figures(summary, bank, adaptive_states, true_theta, _level_cuts(args, bank))
    summary["settings"] = {
        "examinees": args.examinees,
        "items": bank.n_items,
        "areas": list(bank.area_labels),
        "selection": args.selection,
        "randomesque": args.randomesque,
        "seed": args.seed,
        "preset": args.preset,
        "stopping": {
            "min_items_per_area": config.min_items_per_area,
            "max_items_per_area": config.max_items_per_area,
            "se_target": config.se_target,
            "classify": config.classify,
            "upper_probability": config.upper_probability,
            "lower_probability": config.lower_probability,
            "cut_scores": cuts,
        },
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    _print_tables(summary, classify=cuts is not None)
    _print_report_figures(summary)
    return 0


def _level_cuts(args: argparse.Namespace, bank: ItemBank) -> np.ndarray:
    """(areas, 3) developing / job-ready / strong cuts: the bank's, else around --cut.

    A CSV bank has no areas file; its levels are placed like the shipped
    bank's, 1 logit below and 1.2 above the job-ready cut (--cut, default 0).
    """
    job_ready = 0.0 if args.cut is None else args.cut
    default = (job_ready - 1.0, job_ready, job_ready + 1.2)
    levels = dict.fromkeys(bank.area_labels, default)
    if args.bank is not None:
        from engine.bank import load_bank

        loaded = load_bank(args.bank).bank
        for area in loaded.areas if loaded is not None else ():
            cuts = area.cut_scores
            levels[area.id] = (cuts.developing, cuts.job_ready, cuts.strong)
    return np.array([levels[label] for label in bank.area_labels], dtype=np.float64)


def _add_report_figures(
    summary: dict[str, Any],
    bank: ItemBank,
    states: list[AdaptiveTestState],
    true_theta: np.ndarray,
    level_cuts: np.ndarray,
) -> None:
    """What the report would say about the adaptive arm's learners (engine.irt.report_figures)."""
    figures = report_figures(states, true_theta, level_cuts, bank.area_labels)
    by_area: dict[str, Any] = {
        key: figures.pop(f"{key}_by_area") for key in ("level_agreement", "mean_levels_named")
    }
    summary.update(figures)
    areas: dict[str, dict[str, Any]] = summary.get("areas", {})
    for label, block in areas.items():
        for key, values in by_area.items():
            block[key] = values[label]


def _print_report_figures(summary: dict[str, Any]) -> None:
    print()
    print("what the report would say (adaptive arm)")
    for figure in REPORT_FIGURES:
        print(f"  {figure:<32}{summary[figure]:>10.3f}")


def _print_tables(summary: dict[str, Any], *, classify: bool) -> None:
    figures = FIGURES + (CLASSIFICATION_FIGURES if classify else ())
    settings = summary["settings"]
    print(
        f"{settings['examinees']} simulated learners, {settings['items']} items, "
        f"selection {settings['selection']}, seed {settings['seed']}"
    )
    blocks = [("overall", summary)]
    blocks += list(summary.get("areas", {}).items())
    for title, block in blocks:
        print()
        print(title if len(blocks) > 1 else "results")
        print(f"  {'':<24}" + "".join(f"{arm:>10}" for arm in ("adaptive", "random", "oracle")))
        for figure in figures:
            values = [block[figure], block["random"][figure], block["oracle"][figure]]
            print(f"  {figure:<24}" + "".join(f"{value:>10.3f}" for value in values))
