"""Past quizzes are read in one query, however many there are; the results do not change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from engine.db.database import Database
from engine.quiz.model import QuizLength, QuizRequest
from engine.service.quiz_service import QuizService
from tests.service.simulee import Simulee


@contextmanager
def counted_statements(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def take(service: QuizService, learner: str, seed: int) -> int:
    simulee = Simulee(0.5, service.bank_items(), seed=seed)
    request = QuizRequest(learner, ("math",), "practice", QuizLength(preset=None, length=4), seed)
    quiz_id = service.start_quiz(request).session_id
    while (question := service.next_question(quiz_id)) is not None:
        service.submit(question, simulee.answer(question), 100)
    return quiz_id


def test_a_report_and_a_new_quiz_read_all_past_answers_in_one_query(
    service: QuizService, loaded_database: Database
) -> None:
    few = take(service, "few", 1)
    for seed in range(2, 7):
        many = take(service, "many", seed)
    # The population prior is refitted when finished quizzes have grown: fit it now, so
    # that both counts below see the same cache and differ only by the past quizzes.
    service.start_quiz(QuizRequest("warm-up", ("math",), seed=1))
    with counted_statements(loaded_database) as for_few:
        service.report(few)
        service.start_quiz(QuizRequest("few", ("math",), seed=1))
    with counted_statements(loaded_database) as for_many:
        report = service.report(many)
        service.start_quiz(QuizRequest("many", ("math",), seed=1))
    assert len(report.history) == 5
    assert len(for_many) == len(for_few)  # not one query per past quiz


def test_history_and_carried_over_priors_follow_the_past_quizzes(service: QuizService) -> None:
    first = take(service, "ida", 3)
    second = take(service, "ida", 4)
    report = service.report(second)
    assert [past.session_id for past in report.history] == [first, second]
    assert [past.answered for past in report.history] == [4, 4]
    # The next quiz starts from the latest estimate (widened), not from the population prior.
    latest = report.history[-1].areas["math"]
    started = service.start_quiz(QuizRequest("ida", ("math",), seed=9))
    (math,) = service.progress(started.session_id).areas
    assert abs(math.estimate - latest.estimate) < 0.05
    assert latest.se < math.se <= 1.0
