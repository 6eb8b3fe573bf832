"""How far the readiness report's claims hold, simulated on the shipped bank (docs/engine.md).

Usage: .venv/bin/python benchmarks/bench_report_measurement.py [--learners N] [--seed S]
       [--part levels|topics|carry|all]

Simulated learners take quizzes through the real engine (`QUIZ_PRESETS` plans,
`start_test`, `next_item`, `record_response`) on the shipped bank with its
authored parameters, while their answers come from "true" parameters that may
differ (issue #14's perturbations):

* authored      the answers follow the authored parameters exactly;
* b-noise-0.7   true b = authored b + N(0, 0.7^2), one draw per item;
* harder-0.5    every item 0.5 logits harder than authored;
* a-spread      true a = authored a * lognormal(0, 0.3^2), one draw per item;
* pop-mean-0.5  abilities ~ N(-0.5, 1) instead of N(0, 1).

Part "levels": one standard quiz per learner: level agreement (named level or
run of levels contains the true level) and levels named, per area and for the
overall composite; classification error near each cut; the calibration error
(ECE) of P(job-ready) with the N(0, 1) prior and with an empirical-Bayes
prior fitted on an earlier cohort of the same population; and the share of
quizzes naming any topic weak (no learner has a topic effect).

Part "topics": three standard quizzes per learner (carried-over priors, items
of earlier quizzes avoided), topic model pooled over the three: learners with a
1-logit deficit in one topic per area, and learners without.

Part "carry": six quizzes 14 days apart, true growth 0.3 logits per quiz:
bias and RMSE at each quiz with the fixed carry-over (0.5 widening, no growth)
and the time-aware one with growth estimated from an earlier cohort.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.bank import load_bank
from engine.irt import QUIZ_PRESETS, AdaptiveTestPlan, ItemBank, record_response, start_test
from engine.irt.levels import composite_posterior
from engine.irt.population import (
    PopulationPrior,
    answers_only,
    empirical_bayes_prior,
    estimate_growth,
)
from engine.irt.posterior import answer_share, carry_over_prior
from engine.irt.report_figures import level_outcomes, readiness_probabilities, weak_topic_flags
from engine.irt.simulation import expected_calibration_error
from engine.irt.state import AdaptiveTestState
from engine.irt.topics import sessions_from_state, topic_effects

BANK_PATH = Path(__file__).resolve().parent.parent / "quizzes"
DAYS_BETWEEN_QUIZZES = 14.0
NAMING_THRESHOLDS = (0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Truth:
    """The parameters answers are generated from, and the population's mean ability."""

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    population_mean: float = 0.0


def _authored(bank: ItemBank, rng: np.random.Generator) -> Truth:
    return Truth(bank.a, bank.b, bank.c)


def _b_noise(bank: ItemBank, rng: np.random.Generator) -> Truth:
    return Truth(bank.a, bank.b + rng.normal(0.0, 0.7, bank.n_items), bank.c)


def _harder(bank: ItemBank, rng: np.random.Generator) -> Truth:
    return Truth(bank.a, bank.b + 0.5, bank.c)


def _a_spread(bank: ItemBank, rng: np.random.Generator) -> Truth:
    return Truth(bank.a * np.exp(rng.normal(0.0, 0.3, bank.n_items)), bank.b, bank.c)


def _population_lower(bank: ItemBank, rng: np.random.Generator) -> Truth:
    return Truth(bank.a, bank.b, bank.c, population_mean=-0.5)


SCENARIOS: dict[str, Callable[[ItemBank, np.random.Generator], Truth]] = {
    "authored": _authored,
    "b-noise-0.7": _b_noise,
    "harder-0.5": _harder,
    "a-spread": _a_spread,
    "pop-mean-0.5": _population_lower,
}


@dataclass(frozen=True)
class ShippedBank:
    bank: ItemBank
    level_cuts: np.ndarray  # (areas, 3)

    @property
    def job_ready(self) -> dict[str, float]:
        return {
            label: float(self.level_cuts[i, 1]) for i, label in enumerate(self.bank.area_labels)
        }


def load_shipped_bank() -> ShippedBank:
    loaded = load_bank(BANK_PATH)
    bank = ItemBank.from_items(loaded.items)
    cuts = {
        area.id: (area.cut_scores.developing, area.cut_scores.job_ready, area.cut_scores.strong)
        for area in (loaded.bank.areas if loaded.bank is not None else ())
    }
    return ShippedBank(bank, np.array([cuts[label] for label in bank.area_labels]))


def take_quiz(
    bank: ItemBank,
    plan: AdaptiveTestPlan,
    theta: np.ndarray,
    truth: Truth,
    rng: np.random.Generator,
    *,
    priors: dict[str, tuple[float, float]] | None = None,
    topic_shift: np.ndarray | None = None,
    recently_seen: np.ndarray | None = None,
) -> AdaptiveTestState:
    """One quiz through the real engine; answers from the true parameters."""
    state = start_test(bank, priors=priors)
    while (item := plan.next_item(state, rng, recently_seen=recently_seen)) is not None:
        ability = theta[bank.area[item]]
        if topic_shift is not None:
            ability += topic_shift[bank.topic[item]]
        z = truth.a[item] * (ability - truth.b[item])
        p = truth.c[item] + (1.0 - truth.c[item]) / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
        state = record_response(state, item, bool(rng.random() < p))
    return state


def _priors_from(prior: dict[str, PopulationPrior] | None) -> dict[str, tuple[float, float]]:
    return {} if prior is None else {label: (p.mean, p.sd) for label, p in prior.items()}


def _cohort(
    shipped: ShippedBank,
    truth: Truth,
    learners: int,
    rng: np.random.Generator,
    prior: dict[str, PopulationPrior] | None = None,
) -> tuple[list[AdaptiveTestState], np.ndarray]:
    bank = shipped.bank
    plan = QUIZ_PRESETS["standard"].plan(cut_scores=shipped.job_ready)
    theta = rng.normal(truth.population_mean, 1.0, (learners, bank.n_areas))
    priors = _priors_from(prior)
    states = [take_quiz(bank, plan, row, truth, rng, priors=priors) for row in theta]
    return states, theta


def fit_population(states: list[AdaptiveTestState], bank: ItemBank) -> dict[str, PopulationPrior]:
    """The EB prior per area from a cohort's final estimates (computed under N(0, 1))."""
    return {
        label: empirical_bayes_prior(
            [s.area_posteriors[area].mean for s in states],
            [s.area_posteriors[area].sd for s in states],
        )
        for area, label in enumerate(bank.area_labels)
    }


BANDS = ((0.0, 0.25), (0.25, 0.5), (0.5, 1.0), (1.0, math.inf))


def _cut_error_rates(states, theta, cuts, bands=((0.0, 0.5),)) -> list[str]:
    """Misclassification (P >= 0.5 vs truth) at each cut, by distance of the truth from it."""
    cells = []
    for position in range(cuts.shape[1]):
        for low, high in bands:
            wrong = total = 0
            for area in range(cuts.shape[0]):
                cut = float(cuts[area, position])
                for state, row in zip(states, theta, strict=True):
                    if low <= abs(row[area] - cut) < high:
                        said = state.area_posteriors[area].probability_at_or_above(cut) >= 0.5
                        wrong += said != (row[area] >= cut)
                        total += 1
            cells.append(f"{wrong / max(total, 1):.2f} (n={total})")
    return cells


def part_levels(shipped: ShippedBank, learners: int, seed: int) -> None:
    bank = shipped.bank
    job_ready = shipped.level_cuts[:, 1]
    print(f"Part 1: one standard quiz, {learners} learners per cohort, shipped bank")
    print(
        f"{'truth':<14}{'items':>6}{'agree':>7}{'named':>7}{'agree_ov':>9}{'named_ov':>9}"
        f"{'weak_rate':>10}{'ECE N01':>9}{'ECE EB':>8}{'EB mean/sd':>12}{'max P':>8}{'s':>6}"
    )
    cut_rows = []
    for name, make_truth in SCENARIOS.items():
        start = time.perf_counter()
        rng = np.random.default_rng(seed)
        truth = make_truth(bank, rng)
        first, _ = _cohort(shipped, truth, learners, rng)
        prior = fit_population(first, bank)
        states, theta = _cohort(shipped, truth, learners, rng)
        eb_states, eb_theta = _cohort(shipped, truth, learners, rng, prior)
        outcomes = level_outcomes(states, theta, shipped.level_cuts)
        flags = weak_topic_flags(states)
        p_ready = readiness_probabilities([s.area_posteriors for s in states], job_ready)
        p_ready_eb = readiness_probabilities([s.area_posteriors for s in eb_states], job_ready)
        ece = expected_calibration_error(p_ready.ravel(), (theta >= job_ready).ravel())
        ece_eb = expected_calibration_error(p_ready_eb.ravel(), (eb_theta >= job_ready).ravel())
        items = np.mean([s.n_administered for s in states])
        eb = prior[bank.area_labels[0]]
        print(
            f"{name:<14}{items:>6.1f}{outcomes.contains.mean():>7.3f}{outcomes.sizes.mean():>7.2f}"
            f"{outcomes.composite_contains.mean():>9.3f}{outcomes.composite_sizes.mean():>9.2f}"
            f"{flags.mean():>10.3f}{ece:>9.3f}{ece_eb:>8.3f}"
            f"{f'{eb.mean:+.2f}/{eb.sd:.2f}':>12}{max(p_ready.max(), p_ready_eb.max()):>8.4f}"
            f"{time.perf_counter() - start:>6.0f}"
        )
        cut_rows.append((name, _cut_error_rates(states, theta, shipped.level_cuts)))
        if name == "authored":
            banded = _cut_error_rates(states, theta, shipped.level_cuts, BANDS)
    part_level_frontier(shipped, learners, seed)
    print(
        "\nOverall ability (mean of the four areas), authored truth: 90% interval coverage "
        "of the true mean and mean SE"
    )
    _overall_coverage(shipped, learners, seed)
    print("\nMisclassification at each cut (P >= 0.5 against the truth), learners within 0.5:")
    print(f"{'truth':<14}{'developing':>16}{'job_ready':>16}{'strong':>16}")
    for name, cells in cut_rows:
        print(f"{name:<14}" + "".join(f"{cell:>16}" for cell in cells))
    print("\nMisclassification by distance of the true ability from each cut (authored truth):")
    print(f"{'cut':<14}" + "".join(f"{f'{low}-{high}':>16}" for low, high in BANDS))
    for position, cut_name in enumerate(("developing", "job_ready", "strong")):
        row = banded[position * len(BANDS) : (position + 1) * len(BANDS)]
        print(f"{cut_name:<14}" + "".join(f"{cell:>16}" for cell in row))
    print()


def _overall_coverage(shipped: ShippedBank, learners: int, seed: int) -> None:
    """The composite of the area posteriors against one ability fitted to every answer."""
    bank = shipped.bank
    rng = np.random.default_rng(seed + 6)
    states, theta = _cohort(shipped, _authored(bank, rng), learners, rng)
    truth = theta.mean(axis=1)
    for name, posteriors in (
        ("composite of the areas", [composite_posterior(s.area_posteriors) for s in states]),
        ("one ability for all answers", [s.overall for s in states]),
    ):
        inside = [
            low <= value <= high
            for value, (low, high) in zip(
                truth, (p.credible_interval(0.9) for p in posteriors), strict=True
            )
        ]
        se = np.mean([p.sd for p in posteriors])
        rmse = np.sqrt(np.mean([(p.mean - t) ** 2 for p, t in zip(posteriors, truth, strict=True)]))
        print(f"  {name:<30} coverage {np.mean(inside):.3f}  mean SE {se:.3f}  RMSE {rmse:.3f}")


def part_level_frontier(shipped: ShippedBank, learners: int, seed: int) -> None:
    """Agreement against levels named, by preset and naming probability (authored truth)."""
    bank = shipped.bank
    truth = _authored(bank, np.random.default_rng(seed))
    print("\nLevels named against agreement (authored truth): preset, naming probability")
    print(f"{'preset':<10}{'items/area':>11}{'mean SE':>8}" + "".join(
        f"{f'p={t}':>14}" for t in NAMING_THRESHOLDS
    ))  # fmt: skip
    for preset in ("quick", "standard", "thorough"):
        rng = np.random.default_rng(seed + 5)
        plan = QUIZ_PRESETS[preset].plan(cut_scores=shipped.job_ready)
        theta = rng.normal(0.0, 1.0, (learners, bank.n_areas))
        states = [take_quiz(bank, plan, row, truth, rng) for row in theta]
        items = np.mean([s.area_counts for s in states])
        se = np.mean([[p.sd for p in s.area_posteriors] for s in states])
        cells = []
        for threshold in NAMING_THRESHOLDS:
            outcomes = level_outcomes(states, theta, shipped.level_cuts, threshold=threshold)
            cells.append(f"{outcomes.contains.mean():.3f}/{outcomes.sizes.mean():.2f}")
        print(f"{preset:<10}{items:>11.1f}{se:>8.2f}" + "".join(f"{c:>14}" for c in cells))
    print("(cells: level agreement / mean levels named, per area)")


def _quiz_series(
    shipped: ShippedBank,
    truth: Truth,
    theta: np.ndarray,
    rng: np.random.Generator,
    quizzes: int,
    *,
    topic_shift: np.ndarray | None = None,
    growth_per_quiz: float = 0.0,
    carry: Callable[[float, float], tuple[float, float]] = carry_over_prior,
) -> tuple[list[AdaptiveTestState], list[np.ndarray]]:
    """One learner's quizzes: priors carried over, earlier items avoided (as the service does)."""
    bank = shipped.bank
    plan = QUIZ_PRESETS["standard"].plan(cut_scores=shipped.job_ready)
    states, abilities = [], []
    seen = np.zeros(bank.n_items, dtype=bool)
    priors: dict[str, tuple[float, float]] = {}
    for quiz in range(quizzes):
        ability = theta + growth_per_quiz * quiz
        state = take_quiz(
            bank, plan, ability, truth, rng,
            priors=priors, topic_shift=topic_shift, recently_seen=seen.copy(),
        )  # fmt: skip
        states.append(state)
        abilities.append(ability)
        seen[list(state.administered)] = True
        priors = {
            label: carry(state.area_posteriors[area].mean, state.area_posteriors[area].sd)
            for area, label in enumerate(bank.area_labels)
        }
    return states, abilities


def part_topics(shipped: ShippedBank, learners: int, seed: int) -> None:
    bank = shipped.bank
    print(f"Part 2: three standard quizzes per learner, {learners} learners, topic model pooled")
    print(
        f"{'truth':<14}{'learners':<26}{'any weak':>9}{'first truly weak | any':>24}"
        f"{'first truly weak':>18}{'named/learner':>14}{'1-quiz rate':>12}"
    )
    topic_codes = [np.flatnonzero(bank.topic_area == area) for area in range(bank.n_areas)]
    rows = (
        ("authored", "no topic deficit", 0.0),
        ("authored", "1-logit deficit per area", -1.0),
        ("b-noise-0.7", "no topic deficit", 0.0),
    )
    for scenario, label, deficit in rows:
        rng = np.random.default_rng(seed + 1)
        truth = SCENARIOS[scenario](bank, rng)
        any_weak = first_true = named = single = 0
        for _ in range(learners):
            theta = rng.normal(0.0, 1.0, bank.n_areas)
            shift = np.zeros(bank.n_topics)
            weak_topics = {int(rng.choice(codes)) for codes in topic_codes}
            for code in weak_topics:
                shift[code] = deficit
            states, _ = _quiz_series(shipped, truth, theta, rng, 3, topic_shift=shift)
            sessions = [s for state in states for s in sessions_from_state(state)]
            ranked = topic_effects(sessions, bank.n_topics).ranked_weak()
            single += bool(topic_effects(sessions_from_state(states[0]), bank.n_topics).weak.any())
            named += len(ranked)
            if ranked:
                any_weak += 1
                first_true += deficit < 0 and ranked[0] in weak_topics
        precision = first_true / any_weak if any_weak else math.nan
        print(
            f"{scenario:<14}{label:<26}{any_weak / learners:>9.3f}"
            f"{f'{precision:.3f} (n={any_weak})':>24}{first_true / learners:>18.3f}"
            f"{named / learners:>14.3f}{single / learners:>12.3f}"
        )
    print("(1-quiz rate: share of first quizzes alone that name any topic weak)\n")


def part_carry(shipped: ShippedBank, learners: int, seed: int) -> None:
    bank = shipped.bank
    truth = _authored(bank, np.random.default_rng(seed))
    growth = 0.3
    quizzes = 6
    print(
        f"Part 3: {quizzes} standard quizzes {DAYS_BETWEEN_QUIZZES:.0f} days apart, growth "
        f"{growth} per quiz, {learners} learners"
    )
    rng = np.random.default_rng(seed + 2)
    # An earlier cohort of returning learners, measured with the fixed carry-over.
    pairs_first: tuple[list[float], list[float]] = ([], [])
    pairs_second: tuple[list[float], list[float]] = ([], [])
    for _ in range(learners):
        theta = rng.normal(0.0, 1.0, bank.n_areas)
        states, _ = _quiz_series(shipped, truth, theta, rng, 2, growth_per_quiz=growth)
        first_prior = (np.zeros(bank.n_areas), np.ones(bank.n_areas))
        second_prior = [
            carry_over_prior(states[0].area_posteriors[a].mean, states[0].area_posteriors[a].sd)
            for a in range(bank.n_areas)
        ]
        for area in range(bank.n_areas):
            y1, v1 = answers_only(
                states[0].area_posteriors[area].mean, states[0].area_posteriors[area].sd,
                first_prior[0][area], first_prior[1][area],
            )  # fmt: skip
            y2, v2 = answers_only(
                states[1].area_posteriors[area].mean, states[1].area_posteriors[area].sd,
                *second_prior[area],
            )  # fmt: skip
            pairs_first[0].append(float(y1))
            pairs_first[1].append(float(v1))
            pairs_second[0].append(float(y2))
            pairs_second[1].append(float(v2))
    model = estimate_growth(
        pairs_first, pairs_second, np.full(len(pairs_first[0]), DAYS_BETWEEN_QUIZZES)
    )
    print(
        f"growth estimated from {model.pairs} learner-areas: "
        f"{model.growth_per_day * DAYS_BETWEEN_QUIZZES:+.3f} per {DAYS_BETWEEN_QUIZZES:.0f} days "
        f"(true {growth:+.3f}), drift SD over that time "
        f"{math.sqrt(model.drift_variance_per_day * DAYS_BETWEEN_QUIZZES):.3f}"
    )
    methods: dict[str, Callable[[float, float], tuple[float, float]]] = {
        "fixed 0.5, no growth": carry_over_prior,
        "time-aware, default drift": lambda m, s: carry_over_prior(
            m, s, days_since=DAYS_BETWEEN_QUIZZES
        ),
        "time-aware + estimated growth": lambda m, s: carry_over_prior(
            m, s, days_since=DAYS_BETWEEN_QUIZZES, growth=model
        ),
    }
    print(f"{'carry-over':<32}" + "".join(f"{'quiz ' + str(q + 1):>17}" for q in range(quizzes)))
    for name, carry in methods.items():
        rng = np.random.default_rng(seed + 3)
        errors = np.zeros((learners, quizzes, bank.n_areas))
        shares = np.zeros((learners, quizzes, bank.n_areas))
        for learner in range(learners):
            theta = rng.normal(0.0, 1.0, bank.n_areas)
            states, abilities = _quiz_series(
                shipped, truth, theta, rng, quizzes, growth_per_quiz=growth, carry=carry
            )
            previous = None
            for quiz, (state, ability) in enumerate(zip(states, abilities, strict=True)):
                means = np.array([p.mean for p in state.area_posteriors])
                errors[learner, quiz] = means - ability
                prior_sds = (
                    np.ones(bank.n_areas)
                    if previous is None
                    else np.array([carry(p.mean, p.sd)[1] for p in previous.area_posteriors])
                )
                shares[learner, quiz] = [
                    answer_share(float(prior_sds[a]), state.area_posteriors[a].sd)
                    for a in range(bank.n_areas)
                ]
                previous = state
        bias = errors.mean(axis=(0, 2))
        rmse = np.sqrt((errors**2).mean(axis=(0, 2)))
        share = shares.mean(axis=(0, 2))
        cells = [f"{b:+.2f}/{r:.2f}/{s:.2f}" for b, r, s in zip(bias, rmse, share, strict=True)]
        print(f"{name:<32}" + "".join(f"{cell:>17}" for cell in cells))
    print("(cells: bias / RMSE / share of the result from that quiz's answers)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--part", choices=("levels", "topics", "carry", "all"), default="all")
    args = parser.parse_args()
    shipped = load_shipped_bank()
    print(
        f"bank: {shipped.bank.n_items} items, {shipped.bank.n_areas} areas, "
        f"{shipped.bank.n_topics} topics\n"
    )
    if args.part in ("levels", "all"):
        part_levels(shipped, args.learners, args.seed)
    if args.part in ("topics", "all"):
        part_topics(shipped, args.learners, args.seed)
    if args.part in ("carry", "all"):
        part_carry(shipped, max(args.learners // 2, 50), args.seed)


if __name__ == "__main__":
    main()
