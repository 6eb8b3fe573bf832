"""Whole quizzes through the service API, answered by simulated learners of known ability."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.db.models import Response
from engine.quiz.model import Answer, QuizLength, QuizRequest
from engine.service.quiz_service import QuizError, QuizService
from tests.service.simulee import Simulee, right_answer


def _take_quiz(service: QuizService, request: QuizRequest, simulee: Simulee) -> int:
    quiz_id = service.start_quiz(request).session_id
    while (question := service.next_question(quiz_id)) is not None:
        service.submit(question, simulee.answer(question), 1500)
    return quiz_id


@pytest.mark.parametrize(
    ("theta", "levels", "ready"),
    # A thorough quiz ends near SE 0.6, so a 2.5 learner may honestly be "Job-ready or Strong"
    # (the named range holds 80% of the posterior); what matters is that it contains the truth.
    [
        (2.5, {"Strong", "Job-ready or Strong"}, True),
        (-2.5, {"Foundations", "Foundations or Developing"}, False),
    ],
    ids=["strong", "weak"],
)
def test_simulated_learner_lands_in_the_right_level(
    service: QuizService, theta: float, levels: set[str], ready: bool
) -> None:
    simulee = Simulee(theta, service.bank_items(), seed=7)
    request = QuizRequest("sim", ("math",), "practice", QuizLength(preset="thorough"), seed=11)
    report = service.report(_take_quiz(service, request, simulee))
    (math,) = report.areas
    assert math.enough_evidence
    assert math.level in levels
    assert (math.p_job_ready > 0.95) is ready
    assert (math.p_job_ready < 0.05) is not ready
    assert report.answered == len(report.answers) >= 15
    assert report.history[-1].session_id == report.session_id


def test_each_answer_is_stored_before_feedback(service: QuizService, loaded_database) -> None:
    quiz_id = service.start_quiz(
        QuizRequest("ann", ("swe",), "practice", QuizLength(preset=None, length=3), seed=1)
    ).session_id
    question = service.next_question(quiz_id)
    assert question is not None
    receipt = service.submit(question, Answer.skip(), 900)
    with loaded_database.reader() as session:
        stored = session.get(Response, receipt.response_id)
        assert stored is not None
        assert (stored.correct, stored.skipped, stored.response_time_ms) == (False, True, 900)
    assert receipt.feedback is not None and receipt.feedback.skipped
    assert receipt.progress.answered == 1


def test_exam_mode_gives_no_feedback_until_the_report(service: QuizService) -> None:
    quiz_id = service.start_quiz(
        QuizRequest("ann", ("ml",), "exam", QuizLength(preset=None, length=2), seed=2)
    ).session_id
    question = service.next_question(quiz_id)
    assert question is not None
    assert service.submit(question, Answer.skip(), 10).feedback is None


def test_option_order_shown_is_stored_and_graded_by_authored_index(
    service: QuizService, loaded_database
) -> None:
    items = {item.id: item for item in service.bank_items()}
    quiz_id = service.start_quiz(
        QuizRequest("ann", ("programming",), "practice", QuizLength(preset=None, length=8), 3)
    ).session_id
    checked = 0
    while (question := service.next_question(quiz_id)) is not None:
        item = items[question.item_id]
        receipt = service.submit(question, right_answer(item), 100)
        assert receipt.feedback is not None and receipt.feedback.correct
        if question.type in ("single", "multiple"):
            with loaded_database.reader() as session:
                stored = session.get(Response, receipt.response_id)
                assert tuple(stored.option_order) == question.option_order
            checked += 1
    assert checked > 0


def test_resume_rebuilds_the_same_estimates(service: QuizService, loaded_database) -> None:
    simulee = Simulee(0.5, service.bank_items(), seed=3)
    request = QuizRequest("bo", ("math",), "practice", QuizLength(preset=None, length=10), 5)
    quiz_id = service.start_quiz(request).session_id
    for _ in range(4):
        question = service.next_question(quiz_id)
        service.submit(question, simulee.answer(question), 100)
    before = service.progress(quiz_id)
    fresh = QuizService(loaded_database)  # a new process, as far as the service knows
    assert fresh.unfinished_quiz("bo").session_id == quiz_id
    after = fresh.progress(quiz_id)
    assert after == before
    question = fresh.next_question(quiz_id)
    assert question is not None and question.number == 5


def test_questions_are_never_repeated_within_a_quiz(service: QuizService) -> None:
    simulee = Simulee(0.0, service.bank_items(), seed=4)
    request = QuizRequest("cy", ("swe",), "practice", QuizLength(preset=None, length=30), 9)
    report = service.report(_take_quiz(service, request, simulee))
    ids = [answer.item_id for answer in report.answers]
    assert len(ids) == len(set(ids)) == 30


def test_retired_items_are_never_asked_but_still_count(
    loaded_database, tmp_path, service: QuizService
) -> None:
    import shutil

    from engine.service.bank_service import import_bank, shipped_bank_path

    simulee = Simulee(0.0, service.bank_items(), seed=5)
    first = _take_quiz(
        service,
        QuizRequest("di", ("math",), "practice", QuizLength(preset=None, length=5), 1),
        simulee,
    )
    answered = [a.item_id for a in service.report(first).answers]
    bank = tmp_path / "bank"
    shutil.copytree(shipped_bank_path(), bank)
    retired_topic = answered[0].rsplit("-", 1)[0]
    (bank / "math" / f"{retired_topic}.yaml").write_text("", encoding="utf-8")
    summary = import_bank(loaded_database, bank).summary
    assert summary is not None and summary.retired >= 25
    service.reload_bank()
    assert all(item.topic != retired_topic for item in service.bank_items())
    second = _take_quiz(
        service,
        QuizRequest("di", ("math",), "practice", QuizLength(preset=None, length=20), 2),
        simulee,
    )
    assert all(a.topic != retired_topic for a in service.report(second).answers)
    assert [a.item_id for a in service.report(first).answers] == answered


def test_a_returning_learner_starts_from_their_last_estimate(service: QuizService) -> None:
    simulee = Simulee(2.0, service.bank_items(), seed=6)
    request = QuizRequest("eve", ("ml",), "practice", QuizLength(preset=None, length=15), 4)
    first = service.report(_take_quiz(service, request, simulee))
    second = service.start_quiz(QuizRequest("eve", ("ml",), "practice", seed=5))
    progress = service.progress(second.session_id)
    (ml,) = progress.areas
    assert ml.answered == 0
    assert ml.estimate == pytest.approx(first.areas[0].estimate, abs=0.05)
    assert ml.se < 1.0


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (QuizRequest("x", ("physics",)), "unknown area physics"),
        (QuizRequest("x", ("math",), length=QuizLength(preset=None, length=0)), "between 1"),
        (QuizRequest("x", ("math",), length=QuizLength(preset="huge")), "unknown quiz length"),
        (QuizRequest("  ", ("math",)), "learner name is empty"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(
    service: QuizService, request_: QuizRequest, message: str
) -> None:
    with pytest.raises(QuizError, match=message):
        service.start_quiz(request_)


def test_answering_a_stale_question_is_refused(service: QuizService, loaded_database) -> None:
    quiz_id = service.start_quiz(
        QuizRequest("fa", ("math",), "practice", QuizLength(preset=None, length=3), 1)
    ).session_id
    question = service.next_question(quiz_id)
    service.submit(question, Answer.skip(), 1)
    with pytest.raises(QuizError, match="not the one being asked"):
        service.submit(question, Answer.skip(), 1)
    with loaded_database.reader() as session:
        count = session.scalar(select(func.count()).select_from(Response))
    assert count == 1


def test_the_same_seed_and_answers_give_the_same_quiz(service: QuizService) -> None:
    def item_sequence(learner: str) -> list[str]:
        simulee = Simulee(0.3, service.bank_items(), seed=12)
        request = QuizRequest(learner, ("ml", "swe"), "practice", QuizLength(preset="quick"), 42)
        report = service.report(_take_quiz(service, request, simulee))
        return [answer.item_id for answer in report.answers]

    assert item_sequence("first") == item_sequence("second")


def test_browsed_items_keep_their_authored_difficulty(service: QuizService) -> None:
    from engine.bank import load_bank
    from engine.service.bank_service import shipped_bank_path

    authored = {item.id: item.difficulty for item in load_bank(shipped_bank_path()).items}
    browsed = {item.id: item.difficulty for item in service.bank_items()}
    assert browsed == authored
