"""Stored rows into the plain values the shells and the pure core use.

Nothing above the service layer sees a stored row: items become `ItemSpec`,
quizzes `QuizSummary`, answers the report's `ResponseRecord`.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.bank.model import ItemSpec
from engine.db import quiz_store
from engine.quiz.answer_input import option_label
from engine.quiz.codecs import QuizSettings, decode_answer
from engine.quiz.marking import describe_answer, describe_key, option_marks
from engine.quiz.model import Answer, QuizSummary, is_mode
from engine.report.readiness import ResponseRecord, ReviewOption


def item_spec(row: quiz_store.StoredItem | quiz_store.StoredResponse) -> ItemSpec:
    """The item as it was stored (its current version, or the version a response saw)."""
    item_id = row.item_id if isinstance(row, quiz_store.StoredResponse) else row.id
    return ItemSpec.from_content(
        item_id, row.area, row.topic, row.content, (row.a, row.b, row.c), row.parameter_source
    )


def quiz_settings(stored: quiz_store.StoredQuiz) -> QuizSettings:
    return QuizSettings.from_json(stored.settings)


def quiz_summary(stored: quiz_store.StoredQuiz, answered: int) -> QuizSummary:
    settings = quiz_settings(stored)
    return QuizSummary(
        session_id=stored.id,
        learner=stored.learner,
        mode=stored.mode if is_mode(stored.mode) else "practice",
        areas=stored.areas,
        length=settings.length,
        status=stored.status,
        started_at=stored.started_at,
        finished_at=stored.finished_at,
        answered=answered,
        time_limit_s=settings.time_limit_s,
        time_used_s=stored.time_used_ms / 1000,
        time_ran_out=stored.time_ran_out,
    )


def response_records(responses: Sequence[quiz_store.StoredResponse]) -> list[ResponseRecord]:
    """Stored answers as the report reads them: the item as seen, both answers in words."""
    records = []
    for response in responses:
        spec = item_spec(response)
        answer = decode_answer(response.raw_answer)
        records.append(
            ResponseRecord(
                number=response.number,
                item_id=response.item_id,
                area=response.area,
                topic=response.topic,
                a=response.a,
                b=response.b,
                c=response.c,
                correct=response.correct,
                skipped=response.skipped,
                prompt=spec.prompt,
                your_answer=describe_answer(spec, answer),
                right_answer=describe_key(spec),
                explanation=spec.explanation,
                response_time_ms=response.response_time_ms,
                options=review_options(spec, answer, response.option_order),
            )
        )
    return records


def counted(responses: Sequence[quiz_store.StoredResponse]) -> list[quiz_store.StoredResponse]:
    """The answers that count in the learner's estimates (as decided when each was stored)."""
    return [response for response in responses if response.counted]


def review_options(
    spec: ItemSpec, answer: Answer, order: Sequence[int] | None
) -> tuple[ReviewOption, ...]:
    """A choice item's options as the learner saw them: their letters, in the order shown."""
    marks = option_marks(spec, answer)
    shown = order if order is not None and sorted(order) == list(range(len(marks))) else None
    return tuple(
        ReviewOption(option_label(position), mark.text, mark.correct, mark.chosen, mark.feedback)
        for position, mark in enumerate(marks[index] for index in (shown or range(len(marks))))
    )
