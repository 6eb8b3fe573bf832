"""Timed quizzes through the service: the clock survives a resume, and zero ends the quiz."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.db.models import Response
from engine.quiz.model import Answer, QuizLength, QuizRequest
from engine.report.render import render_json, render_text
from engine.service.errors import QuizError, TimeRanOutError
from engine.service.quiz_service import QuizService
from tests.practice.conftest import TravelClock


def _timed(quizzes: QuizService, seconds: int = 60, length: int = 10) -> int:
    request = QuizRequest(
        "tim", ("math",), "exam", QuizLength(preset=None, length=length), 3, seconds
    )
    return quizzes.start_quiz(request).session_id


def _answer(quizzes: QuizService, quiz_id: int) -> None:
    question = quizzes.next_question(quiz_id)
    assert question is not None
    quizzes.submit(question, Answer.skip(), 1000)


def test_paused_time_does_not_count_and_a_resume_keeps_the_time_used(
    quizzes: QuizService, clock: TravelClock
) -> None:
    quiz_id = _timed(quizzes)
    assert quizzes.quiz(quiz_id).time_limit_s == 60
    _answer(quizzes, quiz_id)
    clock.seconds += 20
    _answer(quizzes, quiz_id)
    assert quizzes.progress(quiz_id).time_left_s == pytest.approx(40)
    clock.seconds += 5
    quizzes.pause(quiz_id)
    assert quizzes.quiz(quiz_id).time_used_s == pytest.approx(25)
    clock.seconds += 3600  # away for an hour
    resumed = QuizService(quizzes.database, clock=clock)
    assert resumed.time_left(quiz_id) == pytest.approx(35)
    assert resumed.next_question(quiz_id) is not None


def test_at_zero_the_quiz_finishes_and_says_after_how_many_questions(
    quizzes: QuizService, clock: TravelClock
) -> None:
    quiz_id = _timed(quizzes, seconds=30)
    _answer(quizzes, quiz_id)
    _answer(quizzes, quiz_id)
    clock.seconds += 30
    assert quizzes.next_question(quiz_id) is None
    summary = quizzes.quiz(quiz_id)
    assert (summary.status, summary.time_ran_out, summary.answered) == ("finished", True, 2)
    report = quizzes.report(quiz_id)
    assert report.time_ran_out and report.answered == 2
    # Questions not reached are not held against the learner: only the two answers count.
    assert sum(area.answered for area in report.areas) == 2
    text = render_text(report)
    assert "Time ran out after 2 questions (time limit 30 s)." in text
    assert "Practice (not counted above)" in text  # every report says practice is kept apart
    assert '"time_ran_out": true' in render_json(report)


def test_an_answer_after_zero_is_not_stored(quizzes: QuizService, clock: TravelClock) -> None:
    quiz_id = _timed(quizzes, seconds=10)
    question = quizzes.next_question(quiz_id)
    assert question is not None
    clock.seconds += 11
    with pytest.raises(TimeRanOutError, match="time ran out after 0 questions"):
        quizzes.submit(question, Answer.skip(), 11_000)
    with quizzes.database.reader() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert quizzes.quiz(quiz_id).time_ran_out


def test_untimed_quizzes_have_no_clock_and_bad_limits_are_refused(
    quizzes: QuizService, clock: TravelClock
) -> None:
    untimed = quizzes.start_quiz(QuizRequest("tim", ("math",), "exam")).session_id
    clock.seconds += 10**6
    assert quizzes.time_left(untimed) is None
    assert quizzes.next_question(untimed) is not None
    with pytest.raises(QuizError, match="the time limit must be between 10 seconds and 24 hours"):
        _timed(quizzes, seconds=5)
