"""The measurement engine as learners meet it, through the service API.

What is asked (never a seen item while the pool allows; pretest items seeded at
a bounded rate), what counts (not a pretest answer, not a repeat whose key was
shown: stored, not counted), and where a quiz's prior comes from (the last
result widened for the days since; the empirical-Bayes population prior once
`engine.irt.population.MIN_LEARNERS` learners are stored, not before).
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from sqlalchemy import select, update

from engine.clock import SystemClock
from engine.db.database import Database
from engine.db.models import Item, ItemParameterSet, Response
from engine.irt.population import MIN_LEARNERS
from engine.irt.pretest import MIN_OPERATIONAL_ITEMS
from engine.quiz.model import QuizLength, QuizRequest
from engine.service.bank_service import import_bank
from engine.service.quiz_service import QuizService
from tests.bank.bank_factory import single_item, write_bank
from tests.service.simulee import Simulee

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def take(service: QuizService, request: QuizRequest, theta: float = 0.0) -> int:
    simulee = Simulee(theta, service.bank_items(), seed=request.seed or 0)
    quiz_id = service.start_quiz(request).session_id
    while (question := service.next_question(quiz_id)) is not None:
        service.submit(question, simulee.answer(question), 1000)
    service.finish(quiz_id)
    return quiz_id


def fixed(length: int) -> QuizLength:
    return QuizLength(preset=None, length=length)


def stored_flags(database: Database, quiz_id: int) -> list[tuple[bool, bool]]:
    """(counted, key_shown) of each stored answer, in the order asked."""
    with database.reader() as session:
        rows = session.execute(
            select(Response.counted, Response.key_shown)
            .where(Response.session_id == quiz_id)
            .order_by(Response.position)
        )
        return [(bool(counted), bool(shown)) for counted, shown in rows]


def test_a_second_quiz_never_repeats_an_item_while_the_pool_allows(service: QuizService) -> None:
    first = take(service, QuizRequest("ann", ("math",), "exam", fixed(30), seed=1))
    second = take(service, QuizRequest("ann", ("math",), "exam", fixed(30), seed=2))
    asked_first = {a.item_id for a in service.report(first).answers}
    asked_second = {a.item_id for a in service.report(second).answers}
    assert len(asked_first) == len(asked_second) == 30
    assert not asked_first & asked_second


@pytest.fixture
def tiny_service(database: Database, tmp_path: Path) -> QuizService:
    bank = write_bank(
        tmp_path / "bank",
        {"math/probability.yaml": "".join(single_item(f"p-{k}") for k in range(8))},
    )
    assert import_bank(database, bank).summary is not None
    return QuizService(database)


def test_a_repeat_whose_key_was_shown_is_stored_but_not_counted(
    tiny_service: QuizService, database: Database
) -> None:
    # A practice-mode quiz shows each answer's key; the bank has 8 items, so the exam's
    # last 5 questions can only be repeats of the practice quiz's 5.
    practice = take(tiny_service, QuizRequest("bo", ("math",), "practice", fixed(5), seed=3))
    exam = take(tiny_service, QuizRequest("bo", ("math",), "exam", fixed(8), seed=4))
    assert stored_flags(database, practice) == [(True, False)] * 5
    assert stored_flags(database, exam) == [(True, False)] * 3 + [(False, True)] * 5
    report = tiny_service.report(exam)
    assert report.answered == 3  # the estimates saw the three first exposures only
    assert report.uncounted == 5
    assert report.areas[0].answered == 3
    practised = {a.item_id for a in tiny_service.report(practice).answers}
    assert {a.item_id for a in report.answers}.isdisjoint(practised)


def _calibrate_math_items(database: Database, count: int) -> None:
    """Mark `count` math items as calibrated: the area's scale now comes from data."""
    with database.unit_of_work() as session:
        ids = session.scalars(
            select(Item.id).where(Item.area_id == "math").order_by(Item.id).limit(count)
        ).all()
        session.execute(
            update(ItemParameterSet)
            .where(ItemParameterSet.item_id.in_(ids), ItemParameterSet.is_current)
            .values(source="calibration")
        )


def test_pretest_items_are_seeded_sparingly_and_never_move_the_estimate(
    service: QuizService, loaded_database: Database
) -> None:
    _calibrate_math_items(loaded_database, MIN_OPERATIONAL_ITEMS + 20)
    service.reload_bank()
    bank = service.askable_bank()
    assert bank.pretest.any()
    simulee = Simulee(0.3, service.bank_items(), seed=7)
    pretest_numbers = []
    for seed in range(3):
        request = QuizRequest(f"cy{seed}", ("math",), "exam", fixed(40), seed=seed)
        quiz_id = service.start_quiz(request).session_id
        numbers = []
        while (question := service.next_question(quiz_id)) is not None:
            before = service.progress(quiz_id).areas[0]
            receipt = service.submit(question, simulee.answer(question), 1000)
            after = receipt.progress.areas[0]
            if bank.pretest[bank.index[question.item_id]]:
                numbers.append(question.number)
                assert (after.answered, after.estimate, after.se) == (
                    before.answered,
                    before.estimate,
                    before.se,
                )
        flags = stored_flags(loaded_database, quiz_id)
        assert [n for n, (counted, _) in enumerate(flags, 1) if not counted] == numbers
        assert service.report(quiz_id).uncounted == len(numbers)
        assert 1 not in numbers
        assert all(later - earlier >= 10 for earlier, later in itertools.pairwise(numbers))
        assert len(numbers) <= 40 // 10
        pretest_numbers += numbers
    assert pretest_numbers  # seeded at all (a free slot is taken half the time)


def test_the_report_pools_the_learners_earlier_finished_quizzes(service: QuizService) -> None:
    take(service, QuizRequest("dee", ("math",), "exam", fixed(6), seed=1))
    take(service, QuizRequest("dee", ("math",), "exam", fixed(6), seed=2))
    unfinished = service.start_quiz(QuizRequest("dee", ("swe",), "exam", fixed(6), seed=3))
    question = service.next_question(unfinished.session_id)
    assert question is not None
    last = take(service, QuizRequest("dee", ("math",), "exam", fixed(6), seed=4))
    assert service.report(last).quizzes_pooled == 3
    assert service.report(unfinished.session_id).quizzes_pooled == 3  # both finished ones


def test_the_population_prior_waits_for_enough_learners(service: QuizService) -> None:
    for n in range(MIN_LEARNERS - 1):
        take(service, QuizRequest(f"weak{n}", ("math",), "exam", fixed(6), seed=n), theta=-2.0)
    before = service.start_quiz(QuizRequest("new1", ("math",), "exam", seed=1))
    prior = service.report(before.session_id).population
    assert prior is not None
    assert (prior["math"].mean, prior["math"].sd, prior["math"].learners) == (0.0, 1.0, 29)
    take(service, QuizRequest("weak-last", ("math",), "exam", fixed(6), seed=99), theta=-2.0)
    after = service.start_quiz(QuizRequest("new2", ("math",), "exam", seed=2))
    population = service.report(after.session_id).population
    assert population is not None
    assert population["math"].learners == MIN_LEARNERS
    assert population["math"].mean < -0.3  # the stored learners are weak
    # The new quiz starts there: its estimate before any answer is the population mean.
    (math,) = service.progress(after.session_id).areas
    assert math.estimate == pytest.approx(population["math"].mean, abs=0.02)


def test_the_carried_over_prior_loosens_with_the_days_since(loaded_database: Database) -> None:
    def at(days: float) -> QuizService:
        return QuizService(loaded_database, clock=SystemClock(START + dt.timedelta(days=days)))

    take(at(0), QuizRequest("eli", ("ml",), "exam", fixed(15), seed=1), theta=1.0)
    sds = []
    for days in (1, 30, 120):
        service = at(days)
        quiz = service.start_quiz(QuizRequest("eli", ("ml",), "exam", seed=days))
        (area,) = service.report(quiz.session_id).areas
        assert area.starts_from_previous
        assert area.carry_over is not None
        assert area.carry_over.days == pytest.approx(days)
        sds.append(area.prior[1])
    assert sds[0] < sds[1] < sds[2] <= 1.0
