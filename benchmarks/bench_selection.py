"""Content-constrained selection on the shipped bank: priority index vs cascade vs shadow test.

Usage: .venv/bin/python benchmarks/bench_selection.py [--examinees N] [--seed S]

Every arm runs the standard preset (`QUIZ_PRESETS["standard"]`: 8 to 13 items
per area, readiness classification) with the same aim points (`AdaptiveTestPlan.aim_points`) on the
shipped bank, for the same simulated learners; only the way content and
format constraints meet information differs:

* **priority index** (the engine's default, Cheng & Chang, 2009): information
  times area, topic and format quota factors, all at once; with randomesque
  exposure control (default) and without any (the most informative, as the
  shadow test below);
* **strict cascade** (the engine before): the area furthest below its share
  (Kingsbury & Zara, 1989), then that area's topic with the fewest items, then
  a format below half its share, then information;
* **shadow test** (van der Linden, 2005): before each item, the most
  informative full-length test meeting every constraint (the area length, topic
  and format quotas of the priority index, the items already given) is
  assembled by integer programming (scipy's HiGHS ``milp``), and its most
  informative free item is given;
* **random**: random items under the priority index's quotas.

Reported: accuracy at the job-ready cut, RMSE, the slope of item difficulty on
ability, items given per topic beyond its quota, the share of the bank used and
the selection time per item. scipy comes with the ``bench`` extra (girth needs
it); without it the shadow-test arm is skipped.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from engine.bank import load_bank
from engine.irt import (
    QUIZ_PRESETS,
    ContentBalance,
    ItemBank,
    ItemSelector,
    MaximumInformation,
    MaxInfoSelector,
    RandomSelector,
    record_response,
    start_test,
)
from engine.irt.content import DEFAULT_ITEMS_PER_AREA
from engine.irt.item_bank import BoolArray, PerArea
from engine.irt.model import FloatArray, information_from_terms
from engine.irt.selection import available_items
from engine.irt.simulation import _probability_of_one
from engine.irt.state import AdaptiveTestState

BANK = Path(__file__).resolve().parent.parent / "quizzes"
STANDARD = QUIZ_PRESETS["standard"]


def _bank_information(state: AdaptiveTestState, points: FloatArray | None) -> FloatArray:
    """Information of every bank item at its area's aim point."""
    aim = state.area_means() if points is None else points
    return information_from_terms(aim[state.bank.area], state.bank.information_terms)


class CascadeSelector(MaxInfoSelector):
    """The rule cascade the engine used before the priority index."""

    def select(
        self,
        state: AdaptiveTestState,
        rng: np.random.Generator,
        *,
        open_areas: BoolArray | None = None,
        points: FloatArray | None = None,
        **_: object,
    ) -> int | None:
        bank = state.bank
        mask = available_items(state, open_areas=open_areas)
        if not mask.any():
            return None
        # Area: furthest below an equal share; ties to the fewest items, then random.
        areas = np.bincount(bank.area[mask], minlength=bank.n_areas) > 0
        counts = np.asarray(state.area_counts, dtype=float)
        given = counts[areas].sum()
        deficit = np.where(areas, 1 / areas.sum() - (counts / given if given else 0), -np.inf)
        tied = np.flatnonzero(np.isclose(deficit, deficit.max()) & areas)
        tied = tied[counts[tied] == counts[tied].min()]
        mask &= bank.area == tied[int(rng.integers(tied.size))]
        # Topic: the fewest items so far.
        topics = np.bincount(bank.topic[mask], minlength=bank.n_topics) > 0
        topic_counts = np.where(topics, state.topic_counts, np.iinfo(np.int64).max)
        fewest = np.flatnonzero(topic_counts == topic_counts.min())
        mask &= bank.topic == fewest[int(rng.integers(fewest.size))]
        # Format: one that fell below half its share of the topic's items.
        formats = np.bincount(bank.format[mask], minlength=bank.n_formats)
        topic_items = np.bincount(
            bank.format[bank.topic == bank.topic[np.flatnonzero(mask)[0]]],
            minlength=bank.n_formats,
        )
        given_formats = np.bincount(
            bank.format[np.asarray(state.administered, dtype=np.intp)], minlength=bank.n_formats
        )
        share = np.where(formats > 0, topic_items, 0) / max(topic_items[formats > 0].sum(), 1)
        short = (formats > 0) & (given_formats < 0.5 * share * (given_formats.sum() + 1))
        if short.any():
            gap = np.where(short, share * (given_formats.sum() + 1) - given_formats, -np.inf)
            mask &= bank.format == int(np.argmax(gap))
        return self._choose(state, mask, None, points, rng)


class ShadowTestSelector(MaxInfoSelector):
    """van der Linden's (2005) shadow test with the priority index's quotas as constraints."""

    def select(
        self,
        state: AdaptiveTestState,
        rng: np.random.Generator,
        *,
        open_areas: BoolArray | None = None,
        points: FloatArray | None = None,
        items_per_area: float | None = None,
        **_: object,
    ) -> int | None:
        from scipy.optimize import Bounds, LinearConstraint, milp

        bank = state.bank
        free = available_items(state, open_areas=open_areas)
        if not free.any():
            return None
        planned = DEFAULT_ITEMS_PER_AREA if items_per_area is None else items_per_area
        given = np.zeros(bank.n_items, dtype=bool)
        scored = np.asarray(state.administered, dtype=np.intp)[np.asarray(state.scored, bool)]
        given[scored] = True
        open_flags = (
            np.asarray(state.active_areas) if open_areas is None else np.asarray(open_areas)
        )
        use = (free | given) & open_flags[bank.area]
        items = np.flatnonzero(use)
        info = _bank_information(state, points)[items]
        rows, lower, upper = [], [], []
        slack = 1.0 + ContentBalance().tolerance
        for area in np.flatnonzero(open_flags):
            in_area = bank.area[items] == area
            length = min(max(planned, state.area_counts[area] + 1), in_area.sum())
            rows.append(in_area)
            lower.append(length)
            upper.append(length)
            for topic in np.flatnonzero(bank.topic_area == area):
                rows.append(bank.topic[items] == topic)
                lower.append(0)
                upper.append(math.ceil(slack * bank.topic_share[topic] * length))
            for code in range(area * bank.n_formats, (area + 1) * bank.n_formats):
                rows.append(bank.area_format[items] == code)
                lower.append(0)
                upper.append(math.ceil(slack * bank.area_format_share[code] * length))
        fixed = given[items].astype(float)
        result = milp(
            -info,
            integrality=np.ones(items.size),
            bounds=Bounds(fixed, np.ones(items.size)),
            constraints=LinearConstraint(np.array(rows, dtype=float), lower, upper),
        )
        if result.x is None:  # infeasible quotas: fall back to information
            return self._choose(state, free, None, points, rng)
        chosen = (result.x > 0.5) & free[items]
        if not chosen.any():
            return self._choose(state, free, None, points, rng)
        candidates = items[chosen]
        return int(candidates[int(np.argmax(info[chosen]))])


def run_arm(
    bank: ItemBank,
    selector: ItemSelector,
    theta: FloatArray,
    seed: int,
    level_cuts: dict[str, tuple[float, ...]],
    cuts: PerArea,
) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    plan = STANDARD.plan(cut_scores=cuts, level_cuts=level_cuts, selector=selector)
    correct, squared, over_quota, steps = [], [], [], 0
    moments = np.zeros(5)
    used = np.zeros(bank.n_items, dtype=bool)
    seconds = 0.0
    slack = 1.0 + ContentBalance().tolerance
    for learner in range(theta.shape[0]):
        state = start_test(bank)
        while True:
            start = time.perf_counter()
            item = plan.next_item(state, rng)
            seconds += time.perf_counter() - start
            if item is None:
                break
            steps += 1
            truth = theta[learner, bank.area[item]]
            answer = rng.random() < _probability_of_one(truth, bank, item)
            state = record_response(state, item, bool(answer))
            moments += (1, truth, bank.b[item], truth * truth, truth * bank.b[item])
        used[list(state.administered)] = True
        for area in range(bank.n_areas):
            posterior = state.area_posteriors[area]
            correct.append(
                (posterior.probability_at_or_above(0.0) >= 0.5) == (theta[learner, area] >= 0)
            )
            squared.append((posterior.mean - theta[learner, area]) ** 2)
            quota = (
                slack * bank.topic_share * max(STANDARD.max_items_per_area, state.area_counts[area])
            )
            in_area = bank.topic_area == area
            over_quota.append(
                np.maximum(np.array(state.topic_counts)[in_area] - np.ceil(quota[in_area]), 0).sum()
            )
    n, sx, sy, sxx, sxy = moments
    return {
        "accuracy": float(np.mean(correct)),
        "rmse": float(np.sqrt(np.mean(squared))),
        "slope": float((n * sxy - sx * sy) / (n * sxx - sx * sx)),
        "over_quota": float(np.mean(over_quota)),
        "bank_used": float(used.mean()),
        "ms_per_item": 1000 * seconds / max(steps, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examinees", type=int, default=400)
    parser.add_argument("--seed", type=int, default=5)
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
    arms: dict[str, Callable[[], ItemSelector]] = {
        "priority index (default)": MaxInfoSelector,
        "priority index, no control": lambda: MaxInfoSelector(exposure=MaximumInformation()),
        "strict cascade (before)": CascadeSelector,
        "random": RandomSelector,
    }
    try:
        import scipy.optimize  # noqa: F401

        arms["shadow test (milp)"] = ShadowTestSelector
    except ImportError:
        print("scipy is not installed (pip install -e '.[bench]'): no shadow-test arm\n")
    print(
        f"shipped bank, {bank.n_items} items; standard preset; {args.examinees} learners; "
        f"seed {args.seed}"
    )
    columns = ("accuracy", "rmse", "slope", "over_quota", "bank_used", "ms_per_item")
    print(f"{'':<28}" + "".join(f"{column:>13}" for column in columns))
    for name, make in arms.items():
        figures = run_arm(bank, make(), theta, args.seed + 1, level_cuts, cuts)
        print(f"{name:<28}" + "".join(f"{figures[column]:>13.3f}" for column in columns))


if __name__ == "__main__":
    main()
