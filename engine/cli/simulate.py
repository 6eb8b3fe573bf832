"""``skillprobe simulate``: Monte Carlo check of the adaptive quiz on a real or given bank.

Simulated learners with true abilities drawn from N(mean, 1) (one per area) take
the quiz through the real selection, estimation and stopping code. The report
gives RMSE, bias, mean length, mean reported SE, 95% interval coverage, the
largest item exposure rate and the mean test overlap, how the bank was used
(items given, items reaching 30 answers, unscored questions, the slope of item
difficulty on ability), next to two baselines on the same learners: random
selection (same stopping rule) and an oracle that gives each learner the items
most informative at their true ability (same lengths as the adaptive quiz).
Answers can come from perturbed "true" parameters (the authored ones being
wrong), and a share of the bank can be flagged as pretest items.
For the adaptive arm it also gives what the readiness report would say
(`engine.irt.report_figures`): how often the named level contains the true level,
how many levels are named, and how often a quiz names a topic weak although no
simulated learner has a weak topic.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.io.csv_tables import read_items_csv
from engine.irt import (
    DEFAULT_RANDOMESQUE_SIZE,
    QUIZ_PRESETS,
    ItemBank,
    MaxInfoSelector,
    Randomesque,
    RandomSelector,
    StoppingConfig,
)
from engine.irt.report_figures import report_figures
from engine.irt.selection import LevelCuts
from engine.irt.simulation import (
    SimulationRecord,
    perturbed_bank,
    simulate_oracle,
    simulate_quiz,
    summarise,
)
from engine.irt.state import AdaptiveTestState

FIGURES = (
    "rmse",
    "bias",
    "mean_length",
    "mean_se",
    "coverage_95",
    "max_exposure",
    "overlap",
    "share_of_items_given",
    "items_reaching_30_answers",
    "unscored_per_quiz",
    "mean_item_difficulty_slope",
)
CLASSIFICATION_FIGURES = ("classification_accuracy", "calibration_error")
REPORT_FIGURES = (
    "level_agreement",
    "mean_levels_named",
    "level_agreement_composite",
    "mean_levels_named_composite",
    "weak_topic_rate",
)
#: Figures with pretest items (--pretest-share).
PRETEST_FIGURES = ("pretest_items", "pretest_items_reaching_30_answers")
#: Figures that are counts, printed without decimals.
COUNT_FIGURES = ("items_reaching_30_answers", *PRETEST_FIGURES)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``simulate`` command."""
    parser = subparsers.add_parser(
        "simulate",
        help="simulate adaptive quizzes and compare with random and oracle selection",
        description=(
            "Simulate learners (theta ~ N(0, 1), one ability per area) taking adaptive quizzes "
            "with the real selection, estimation and stopping code, and report RMSE, bias, "
            "mean length, mean SE, 95%% interval coverage, maximum item exposure, mean "
            "test overlap, the share of items given at least once, the number reaching 30 "
            "answers, unscored (pretest) questions per quiz and the slope of item difficulty "
            "on true ability, beside random selection and an oracle that picks the items most "
            "informative at the true ability. Lengths and SE targets are per area. Answers "
            "can come from perturbed true parameters to see how wrong authored parameters "
            "and a different population affect the figures. Also what the report would say "
            "about the adaptive arm's learners: level_agreement (share whose named level or "
            "run of levels holds their true level), mean_levels_named, the same for the "
            "overall composite, and "
            "weak_topic_rate (share of quizzes naming any topic weak; the simulated learners "
            "have no topic weakness)."
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
        "job_ready cut with --bank, else 0; with --bank items are also aimed at the "
        "developing and strong cuts, unless --cut replaces them); "
        "with --length or --se it adds classification figures without changing the stopping",
    )
    parser.add_argument("--selection", choices=("maxinfo", "random"), default="maxinfo")
    parser.add_argument(
        "--randomesque",
        type=int,
        default=DEFAULT_RANDOMESQUE_SIZE,
        metavar="K",
        help=f"choose among the K items of highest priority (information weighed against "
        f"content quotas; default {DEFAULT_RANDOMESQUE_SIZE}; 1 = no exposure control)",
    )
    _add_truth_arguments(parser)
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.set_defaults(handler=run)


def _add_truth_arguments(parser: argparse.ArgumentParser) -> None:
    """Options for learners and true parameters that differ from the engine's assumptions."""
    truth = parser.add_argument_group(
        "perturbed truths",
        "answers generated from parameters other than the ones the engine uses",
    )
    truth.add_argument(
        "--population-mean",
        type=float,
        default=0.0,
        metavar="M",
        help="mean of the true abilities (default 0; the engine's prior stays N(0, 1))",
    )
    truth.add_argument(
        "--true-b-sd",
        type=float,
        default=0.0,
        metavar="S",
        help="true difficulty = authored + noise with SD S (default 0)",
    )
    truth.add_argument(
        "--true-b-shift",
        type=float,
        default=0.0,
        metavar="D",
        help="every item D logits harder than authored (default 0)",
    )
    truth.add_argument(
        "--true-a-sd",
        type=float,
        default=0.0,
        metavar="S",
        help="true discrimination = authored x lognormal spread with log-SD S (default 0)",
    )
    parser.add_argument(
        "--pretest-share",
        type=float,
        default=0.0,
        metavar="F",
        help="flag a random share F of the items as pretest items: seeded at most 1 "
        "question in 10 and not scored (default 0)",
    )


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
    return problems + _truth_problems(args)


def _truth_problems(args: argparse.Namespace) -> list[str]:
    problems = []
    for option, value in (("--population-mean", args.population_mean),
                          ("--true-b-shift", args.true_b_shift)):  # fmt: skip
        if not math.isfinite(value):
            problems.append(f"{option} must be a finite number, got {value}")
    for option, value in (("--true-b-sd", args.true_b_sd), ("--true-a-sd", args.true_a_sd)):
        if not (math.isfinite(value) and value >= 0):
            problems.append(f"{option} must be a number >= 0, got {value}")
    if not (math.isfinite(args.pretest_share) and 0 <= args.pretest_share < 1):
        problems.append(f"--pretest-share must be at least 0 and below 1, got {args.pretest_share}")
    return problems


@dataclass(frozen=True)
class _LoadedBank:
    """The bank and, with ``--bank``, its cut scores per area."""

    bank: ItemBank
    job_ready_cuts: dict[str, float] = field(default_factory=dict)
    level_cuts: dict[str, tuple[float, ...]] = field(default_factory=dict)


def _load(args: argparse.Namespace) -> tuple[_LoadedBank | None, list[str]]:
    """The bank with its cuts (bank only), or the problems."""
    if args.items is not None:
        table, problems = read_items_csv(args.items)
        if table is None:
            return None, [str(problem) for problem in problems]
        return _LoadedBank(ItemBank.from_arrays(table.a, table.b, table.c, ids=table.ids)), []
    from engine.bank import load_bank

    loaded = load_bank(args.bank)
    if loaded.errors:
        return None, [str(error) for error in loaded.errors]
    if not loaded.items:
        return None, [f"{args.bank}: the bank has no items"]
    job_ready, levels = {}, {}
    for area in getattr(getattr(loaded, "bank", None), "areas", ()) or ():
        cut_scores = getattr(area, "cut_scores", None)
        if cut_scores is not None:
            job_ready[area.id] = float(cut_scores.job_ready)
            levels[area.id] = tuple(
                float(value)
                for value in (cut_scores.developing, cut_scores.job_ready, cut_scores.strong)
            )
    return _LoadedBank(ItemBank.from_items(loaded.items), job_ready, levels), []


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


def _level_cuts(
    loaded: _LoadedBank, cuts: dict[str, float] | None, args: argparse.Namespace
) -> LevelCuts | None:
    """Cuts items are aimed at: every level cut of the bank, unless ``--cut`` replaces them."""
    if cuts is None:
        return None
    if args.cut is None and loaded.level_cuts:
        return {label: loaded.level_cuts.get(label, (cuts[label],)) for label in cuts}
    return dict(cuts)


def _truth(bank: ItemBank, args: argparse.Namespace, rng: np.random.Generator) -> ItemBank | None:
    """The parameters answers come from, when they differ from the bank's."""
    if args.true_b_sd == 0 and args.true_b_shift == 0 and args.true_a_sd == 0:
        return None
    return perturbed_bank(
        bank,
        rng,
        difficulty_sd=args.true_b_sd,
        difficulty_shift=args.true_b_shift,
        discrimination_sd=args.true_a_sd,
    )


def _pretest_mask(bank: ItemBank, share: float, rng: np.random.Generator) -> np.ndarray | None:
    """A random ``share`` of the items flagged as pretest items (None for none)."""
    count = round(share * bank.n_items)
    if count == 0:
        return None
    mask = np.zeros(bank.n_items, dtype=bool)
    mask[rng.choice(bank.n_items, size=count, replace=False)] = True
    return mask


def run(args: argparse.Namespace) -> int:
    """Run the simulation and print the figures; exit status 1 on bad input."""
    problems = _argument_problems(args)
    if problems:
        for problem in problems:
            print(f"error: {problem}")
        return 1
    loaded, problems = _load(args)
    if loaded is None:
        for problem in problems:
            print(problem)
        return 1
    bank = loaded.bank
    cuts: dict[str, float] | None = None
    config = _config(args)
    if config.classify or args.cut is not None:
        # With --cut and another stopping rule, classification figures are
        # still reported (the quiz just does not stop on them).
        default_cut = 0.0 if args.cut is None else args.cut
        cuts = {
            label: (loaded.job_ready_cuts.get(label, default_cut) if args.cut is None else args.cut)
            for label in bank.area_labels
        }
    level_cuts = _level_cuts(loaded, cuts, args)
    rng = np.random.default_rng(args.seed)
    true_theta = rng.normal(args.population_mean, 1.0, size=(args.examinees, bank.n_areas))
    adaptive_selector = (
        MaxInfoSelector(exposure=Randomesque(args.randomesque))
        if args.selection == "maxinfo"
        else RandomSelector()
    )
    # Independent generators per arm, so each arm's answers do not depend on
    # how many random numbers another arm used; then one for the true
    # parameters and one for the pretest flags.
    streams = [np.random.default_rng(seed) for seed in np.random.SeedSequence(args.seed).spawn(5)]
    truth = _truth(bank, args, streams[3])
    pretest = _pretest_mask(bank, args.pretest_share, streams[4])

    def arm(
        selector: MaxInfoSelector | RandomSelector,
        stream: np.random.Generator,
        final_states: list[AdaptiveTestState] | None = None,
    ) -> SimulationRecord:
        plan = config.plan(cut_scores=cuts, level_cuts=level_cuts, selector=selector)
        return simulate_quiz(
            bank,
            plan,
            true_theta,
            stream,
            cut_scores=cuts,
            true_bank=truth,
            pretest=pretest,
            final_states=final_states,
        )

    adaptive_states: list[AdaptiveTestState] = []
    adaptive = arm(adaptive_selector, streams[0], adaptive_states)
    random_arm = arm(RandomSelector(), streams[1])
    oracle = simulate_oracle(
        bank, true_theta, adaptive.lengths, streams[2], cut_scores=cuts, true_bank=truth
    )
    summary = _summaries(bank, {"adaptive": adaptive, "random": random_arm, "oracle": oracle}, cuts)
    _add_report_figures(summary, bank, adaptive_states, true_theta, _level_cut_matrix(args, bank))
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
            "level_cuts": level_cuts,
        },
        "truth": {
            "population_mean": args.population_mean,
            "true_b_sd": args.true_b_sd,
            "true_b_shift": args.true_b_shift,
            "true_a_sd": args.true_a_sd,
        },
        "pretest_items": 0 if pretest is None else int(pretest.sum()),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    _print_tables(summary, classify=cuts is not None)
    _print_report_figures(summary)
    return 0


def _level_cut_matrix(args: argparse.Namespace, bank: ItemBank) -> np.ndarray:
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
    settings = summary["settings"]
    figures = FIGURES + (CLASSIFICATION_FIGURES if classify else ())
    if settings["pretest_items"]:
        figures += PRETEST_FIGURES
    print(
        f"{settings['examinees']} simulated learners, {settings['items']} items, "
        f"selection {settings['selection']}, seed {settings['seed']}"
    )
    blocks = [("overall", summary)]
    blocks += list(summary.get("areas", {}).items())
    for title, block in blocks:
        print()
        print(title if len(blocks) > 1 else "results")
        print(f"  {'':<33}" + "".join(f"{arm:>10}" for arm in ("adaptive", "random", "oracle")))
        for figure in figures:
            arms = (block, block["random"], block["oracle"])
            decimals = 0 if figure in COUNT_FIGURES else 3
            # The oracle seeds no pretest items: its pretest figures are left blank.
            cells = [
                f"{arm[figure]:>10.{decimals}f}" if figure in arm else f"{'':>10}" for arm in arms
            ]
            print(f"  {figure:<33}" + "".join(cells))
