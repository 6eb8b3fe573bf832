"""Issue #14 and #9 figures measured end to end through `QuizService` on SQLite.

Usage: .venv/bin/python benchmarks/bench_service_flow.py [--learners N] [--seed S]
       [--population-mean M]

The pure simulations (`bench_coverage.py`, `bench_report_measurement.py`) run
the engine's plan, state and report code directly; this runs simulated
learners through the real service instead (a fresh SQLite database with the
shipped bank, every answer stored and replayed, the stored population prior
and carry-over, pretest seeding, the report as `skillprobe report` builds it),
so the lead can check that what learners get matches what was simulated.

Each learner has a true ability per area drawn from N(M, 1), takes one
standard all-area exam quiz, and answers each question correctly with the 3PL
probability at their true ability under the authored parameters (the
authored-truth case). Two arms on the same learners: the engine as shipped,
and random selection (`RandomSelector`, same content quotas, same stopping).

Printed per arm (issue #14 targets): the slope of the difficulty of the
counted items given on true ability (> 0.5), accuracy at the job-ready cut
(P(job-ready) >= 0.5 against the truth; adaptive >= random + 5 points), level
agreement (the named level or run of levels contains the true level; >= 0.85)
and mean levels named (<= 1.6), the share of reports naming any topic weak
(no learner has a topic deficit here; <= 10%), the readiness probabilities'
expected calibration error (<= 0.05); and issue #9's coverage: the share of
bank items given at least once and the items with at least 30 stored answers,
pretest answers included.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from unittest import mock

import numpy as np
from sqlalchemy import select, update

from engine.bank.model import ItemSpec
from engine.db import quiz_store
from engine.db.database import Database
from engine.db.models import Item, ItemParameterSet
from engine.irt.levels import level_of
from engine.irt.model import probability
from engine.irt.selection import RandomSelector
from engine.irt.simulation import ANSWERS_FOR_CALIBRATION, expected_calibration_error
from engine.quiz.length import LengthPlan, plan_for_length
from engine.quiz.model import QuizLength, QuizRequest
from engine.service import live_quiz
from engine.service.bank_service import import_bank
from engine.service.quiz_service import QuizService
from engine.service.storage import open_database

# The simulated learner's answers (a right or a wrong answer per item type) are the tests'.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.service.simulee import right_answer, wrong_answer


@dataclass
class ArmFigures:
    """What one arm measured, pooled over learners and areas."""

    x_true: list[float] = field(default_factory=list)  # true ability of each counted item given
    y_difficulty: list[float] = field(default_factory=list)  # and its difficulty
    p_ready: list[float] = field(default_factory=list)  # per learner and area
    truly_ready: list[bool] = field(default_factory=list)
    agrees: list[bool] = field(default_factory=list)
    levels_named: list[int] = field(default_factory=list)
    any_weak: list[bool] = field(default_factory=list)  # per report
    questions: list[int] = field(default_factory=list)
    uncounted: list[int] = field(default_factory=list)
    share_given: float = 0.0
    reaching_30: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, float]:
        x, y = np.asarray(self.x_true), np.asarray(self.y_difficulty)
        p, truth = np.asarray(self.p_ready), np.asarray(self.truly_ready)
        return {
            "difficulty_slope": float(np.polyfit(x, y, 1)[0]),
            "accuracy": float(np.mean((p >= 0.5) == truth)),
            "level_agreement": float(np.mean(self.agrees)),
            "mean_levels_named": float(np.mean(self.levels_named)),
            "weak_topic_rate": float(np.mean(self.any_weak)),
            "ece": expected_calibration_error(p, truth),
            "questions_per_quiz": float(np.mean(self.questions)),
            "uncounted_per_quiz": float(np.mean(self.uncounted)),
            "share_of_items_given": self.share_given,
            "items_reaching_30_answers": float(self.reaching_30),
            "seconds": self.seconds,
        }


def random_selection(original: Callable[..., LengthPlan]) -> Callable[..., LengthPlan]:
    def plan(*args: object, **kwargs: object) -> LengthPlan:
        made = original(*args, **kwargs)
        return replace(made, plan=replace(made.plan, selector=RandomSelector()))

    return plan


def mark_calibrated(database: Database, per_area: int) -> None:
    """Give `per_area` items of each area calibrated parameters (their authored values):
    each area's scale then comes from data and its other items are pretest items."""
    with database.unit_of_work() as session:
        for area in session.scalars(select(Item.area_id).distinct()).all():
            ids = session.scalars(
                select(Item.id).where(Item.area_id == area).order_by(Item.id).limit(per_area)
            ).all()
            session.execute(
                update(ItemParameterSet)
                .where(ItemParameterSet.item_id.in_(ids), ItemParameterSet.is_current)
                .values(source="calibration")
            )


def run_arm(theta: np.ndarray, seed: int, *, random: bool, calibrated: int) -> ArmFigures:
    figures = ArmFigures()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'flow.db'}").database
        outcome = import_bank(database)
        assert outcome.summary is not None, outcome.errors
        if calibrated:
            mark_calibrated(database, calibrated)
        service = QuizService(database)
        bank = service.askable_bank()
        specs = {spec.id: spec for spec in service.bank_items()}
        areas = [area.id for area in bank.areas]
        answer_rng = np.random.default_rng(seed)
        patch = (
            mock.patch.object(live_quiz, "plan_for_length", random_selection(plan_for_length))
            if random
            else mock.patch.object(live_quiz, "plan_for_length", plan_for_length)
        )
        with patch:
            for learner, true in enumerate(theta):
                truth = dict(zip(areas, true, strict=True))
                take_quiz(
                    service, f"learner-{learner}", seed + learner, truth, specs, answer_rng, figures
                )
                quiz = service.latest_quiz(f"learner-{learner}")
                assert quiz is not None
                record_report(service, quiz.session_id, truth, figures)
        with database.reader() as session:
            counts = quiz_store.answer_counts(session)
        askable = [item.id for item in bank.items if not item.retired]
        given = np.array([counts.get(item, 0) for item in askable])
        figures.share_given = float(np.mean(given > 0))
        figures.reaching_30 = int(np.count_nonzero(given >= ANSWERS_FOR_CALIBRATION))
        database.dispose()
    figures.seconds = time.perf_counter() - started
    return figures


def take_quiz(
    service: QuizService,
    learner: str,
    seed: int,
    truth: Mapping[str, float],
    specs: Mapping[str, ItemSpec],
    rng: np.random.Generator,
    figures: ArmFigures,
) -> None:
    bank = service.askable_bank()
    request = QuizRequest(learner, (), "exam", QuizLength(preset="standard"), seed)
    quiz_id = service.start_quiz(request).session_id
    while (question := service.next_question(quiz_id)) is not None:
        spec = specs[question.item_id]
        position = bank.index[question.item_id]
        true = truth[spec.area]
        p = float(probability(true, spec.a, spec.b, spec.c))
        answer = right_answer(spec) if rng.random() < p else wrong_answer(spec)
        service.submit(question, answer, 1000)
        if not bank.pretest[position]:
            figures.x_true.append(true)
            figures.y_difficulty.append(float(bank.bank.b[position]))
    service.finish(quiz_id)


def record_report(
    service: QuizService,
    quiz_id: int,
    truth: Mapping[str, float],
    figures: ArmFigures,
) -> None:
    report = service.report(quiz_id)
    for area in report.areas:
        true = truth[area.area]
        area_cuts = area.cut_scores
        figures.p_ready.append(area.p_job_ready)
        figures.truly_ready.append(true >= area_cuts.job_ready)
        true_level = level_of(true, (area_cuts.developing, area_cuts.job_ready, area_cuts.strong))
        named = area.levels.named if area.levels is not None else None
        figures.agrees.append(named is not None and named.contains(true_level))
        figures.levels_named.append(named.size if named is not None else 4)
    figures.any_weak.append(any(topic.weak for topic in report.topics))
    figures.questions.append(report.answered + report.uncounted)
    figures.uncounted.append(report.uncounted)


def print_table(rows: Sequence[tuple[str, dict[str, float]]]) -> None:
    names = list(rows[0][1])
    print(f"{'figure':28s}" + "".join(f"{label:>12s}" for label, _ in rows))
    for name in names:
        print(f"{name:28s}" + "".join(f"{values[name]:12.3f}" for _, values in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--population-mean", type=float, default=0.0)
    parser.add_argument(
        "--calibrated",
        type=int,
        default=0,
        help="items per area marked calibrated, so the rest are pretest items (default 0: "
        "the shipped bank as installed, every item on the authors' scale)",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    theta = rng.normal(args.population_mean, 1.0, (args.learners, 4))
    print(
        f"{args.learners} simulated learners through QuizService on SQLite, shipped bank, "
        f"standard all-area exam quizzes, abilities N({args.population_mean}, 1), "
        f"seed {args.seed}, {args.calibrated} calibrated items per area"
    )
    adaptive = run_arm(theta, args.seed, random=False, calibrated=args.calibrated).summary()
    random = run_arm(theta, args.seed, random=True, calibrated=args.calibrated).summary()
    print_table([("adaptive", adaptive), ("random", random)])
    gain = 100 * (adaptive["accuracy"] - random["accuracy"])
    print(f"accuracy gain over random: {gain:+.1f} points")


if __name__ == "__main__":
    main()
