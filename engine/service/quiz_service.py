"""The quiz service: start, ask, answer, resume, finish and report.

The TUI and the CLI use only this class (and the plain values it returns).
Every answer is committed in its own transaction before any feedback is
returned, so a killed process loses nothing: `next_question` on a fresh
service rebuilds the quiz from the stored responses and carries on.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.bank.model import AreaInfo, ItemSpec
from engine.db import quiz_store
from engine.db.database import Database
from engine.irt.item_bank import ItemBank
from engine.irt.plan import QUIZ_PRESETS, AdaptiveTestPlan
from engine.irt.posterior import carry_over_prior
from engine.irt.state import AdaptiveTestState, record_response, start_test
from engine.irt.stopping import AnyOf, MaxItems, StandardErrorTarget
from engine.quiz.answer_input import TRUE_FALSE_LABELS, option_label
from engine.quiz.marking import feedback, is_correct
from engine.quiz.model import (
    PRESET_NAMES,
    Answer,
    AnswerReceipt,
    AreaProgress,
    Question,
    QuizLength,
    QuizProgress,
    QuizRequest,
    QuizSummary,
    ShownOption,
)
from engine.report.readiness import (
    PastQuiz,
    Report,
    ResponseRecord,
    area_estimates,
    build_report,
)

# Items from this many of the learner's latest quizzes are avoided while the bank allows.
RECENT_QUIZZES = 3
MAX_LENGTH = 200


class QuizError(Exception):
    """A request the service cannot honour; the message is meant for the learner."""


@dataclass(frozen=True)
class _BankSnapshot:
    """The askable bank: current versions and parameters, as arrays and specs."""

    items: tuple[quiz_store.StoredItem, ...]
    bank: ItemBank
    index: dict[str, int]
    eligible: np.ndarray
    areas: tuple[AreaInfo, ...]

    def spec(self, position: int) -> ItemSpec:
        return _spec(self.items[position])


def _spec(row: quiz_store.StoredItem | quiz_store.StoredResponse) -> ItemSpec:
    """The item as it was stored (current version, or the version a response saw)."""
    return ItemSpec.from_content(
        row.item_id if isinstance(row, quiz_store.StoredResponse) else row.id,
        row.area,
        row.topic,
        row.content,
        (row.a, row.b, row.c),
        row.parameter_source,
    )


@dataclass
class _LiveQuiz:
    """A quiz in progress, held in memory between calls; rebuilt from the database on resume."""

    stored: quiz_store.StoredQuiz
    plan: AdaptiveTestPlan
    state: AdaptiveTestState
    recently_seen: np.ndarray
    max_questions: int | None
    se_target: float | None
    pending: tuple[Question, ItemSpec] | None = None
    finished: bool = False


class QuizService:
    def __init__(self, database: Database, *, seed_source: Callable[[], int] | None = None):
        self._database = database
        self._snapshot: _BankSnapshot | None = None
        self._live: dict[int, _LiveQuiz] = {}
        self._new_seed = seed_source or (lambda: random.SystemRandom().randrange(2**31))

    # -- the bank ---------------------------------------------------------------

    def reload_bank(self) -> None:
        """Forget the cached bank (call after an import)."""
        self._snapshot = None

    def areas(self) -> tuple[AreaInfo, ...]:
        return self._bank().areas

    def bank_items(self) -> tuple[ItemSpec, ...]:
        """Every askable item (retired ones left out), for browsing the bank."""
        snapshot = self._bank()
        return tuple(
            snapshot.spec(position)
            for position, item in enumerate(snapshot.items)
            if not item.retired
        )

    def _bank(self) -> _BankSnapshot:
        if self._snapshot is None:
            with self._database.reader() as session:
                items = tuple(quiz_store.current_items(session))
                areas = quiz_store.area_infos(session)
            if not items:
                raise QuizError("the question bank is empty: run `skillprobe bank import` first")
            self._snapshot = _BankSnapshot(
                items=items,
                bank=ItemBank.from_items(items),
                index={item.id: position for position, item in enumerate(items)},
                eligible=np.array([not item.retired for item in items], dtype=bool),
                areas=areas,
            )
        return self._snapshot

    # -- learners and quizzes ---------------------------------------------------

    def learners(self) -> list[str]:
        with self._database.reader() as session:
            return quiz_store.learner_names(session)

    def unfinished_quiz(self, learner: str) -> QuizSummary | None:
        quizzes = self.quizzes(learner)
        active = [q for q in quizzes if q.status == quiz_store.ACTIVE]
        return active[-1] if active else None

    def quizzes(self, learner: str) -> list[QuizSummary]:
        with self._database.reader() as session:
            learner_id = quiz_store.learner_id(session, learner, create=False)
            if learner_id is None:
                return []
            stored = quiz_store.quizzes_of(session, learner_id)
            answered = quiz_store.response_counts(session, [q.id for q in stored])
        return [_summary(q, answered.get(q.id, 0)) for q in stored]

    def latest_quiz(self, learner: str) -> QuizSummary | None:
        quizzes = self.quizzes(learner)
        return quizzes[-1] if quizzes else None

    def quiz(self, quiz_id: int) -> QuizSummary:
        with self._database.reader() as session:
            stored = _stored_quiz(session, quiz_id)
            answered = quiz_store.response_counts(session, [quiz_id]).get(quiz_id, 0)
        return _summary(stored, answered)

    def start_quiz(self, request: QuizRequest) -> QuizSummary:
        """Create a quiz; an unfinished quiz of the same learner is left to resume later."""
        snapshot = self._bank()
        known = [area.id for area in snapshot.areas]
        askable = {item.area for item in snapshot.items if not item.retired}
        areas = tuple(dict.fromkeys(request.areas)) or tuple(a for a in known if a in askable)
        unknown = [area for area in areas if area not in known]
        if unknown:
            raise QuizError(f"unknown area {', '.join(unknown)}; areas: {', '.join(known)}")
        empty = [area for area in areas if area not in askable]
        if empty:
            raise QuizError(f"no questions in area {', '.join(empty)} yet")
        _check_length(request.length)
        learner = request.learner.strip()
        if not learner:
            raise QuizError("the learner name is empty")
        seed = request.seed if request.seed is not None else self._new_seed()
        with self._database.unit_of_work() as session:
            learner_id = quiz_store.learner_id(session, learner, create=True)
            assert learner_id is not None
            priors = self._carried_over_priors(session, learner_id, areas)
            settings = {"length": request.length.as_dict(), "priors": priors}
            quiz_id = quiz_store.create_quiz(
                session, learner_id, request.mode, areas, settings, seed
            )
        return self.quiz(quiz_id)

    def _carried_over_priors(
        self, session: Session, learner_id: int, areas: Sequence[str]
    ) -> dict[str, list[float]]:
        """A returning learner starts from their last estimate, widened for drift."""
        priors: dict[str, list[float]] = {}
        for past in reversed(quiz_store.quizzes_of(session, learner_id)):
            if past.status != quiz_store.FINISHED:
                continue
            responses = quiz_store.responses_of(session, past.id)
            estimates = area_estimates(_records(responses), _priors(past.settings))
            for area in areas:
                if area not in priors and area in estimates:
                    priors[area] = list(
                        carry_over_prior(estimates[area].estimate, estimates[area].se)
                    )
        return priors

    # -- asking and answering ---------------------------------------------------

    def next_question(self, quiz_id: int) -> Question | None:
        """The question to show now (the same one until it is answered); None when done."""
        live = self._live_quiz(quiz_id)
        if live.finished:
            return None
        if live.pending is not None:
            return live.pending[0]
        snapshot = self._bank()
        number = live.state.n_administered + 1
        rng = np.random.default_rng([live.stored.seed, number])
        if live.max_questions is not None and live.state.n_administered >= live.max_questions:
            position = None
        else:
            position = live.plan.next_item(
                live.state, rng, eligible=snapshot.eligible, recently_seen=live.recently_seen
            )
        if position is None:
            self.finish(quiz_id)
            return None
        spec = snapshot.spec(int(position))
        question = self._present(live, spec, int(position), number, rng)
        live.pending = (question, spec)
        return question

    def _present(
        self,
        live: _LiveQuiz,
        spec: ItemSpec,
        position: int,
        number: int,
        rng: np.random.Generator,
    ) -> Question:
        stored = self._bank().items[position]
        area = next(a for a in self._bank().areas if a.id == spec.area)
        topic = next((t for t in area.topics if t.id == spec.topic), None)
        order = list(range(len(spec.options)))
        if spec.shuffle and len(order) > 1:
            order = [int(i) for i in rng.permutation(len(order))]
        options = tuple(
            ShownOption(option_label(shown), index, spec.options[index].text)
            for shown, index in enumerate(order)
        )
        if spec.type == "true_false":
            options = tuple(
                ShownOption(option_label(i), i, text) for i, text in enumerate(TRUE_FALSE_LABELS)
            )
        return Question(
            session_id=live.stored.id,
            number=number,
            item_id=spec.id,
            version_id=stored.version_id,
            parameter_set_id=stored.parameter_set_id,
            area=area.id,
            area_title=area.title,
            topic=spec.topic,
            topic_title=topic.title if topic else spec.topic,
            type=spec.type,
            prompt=spec.prompt,
            options=options,
            unit=spec.unit,
        )

    def submit(self, question: Question, answer: Answer, response_time_ms: int) -> AnswerReceipt:
        """Grade and store the answer (committed before returning), then give feedback."""
        live = self._live_quiz(question.session_id)
        if live.finished:
            raise QuizError("this quiz is already finished")
        if live.pending is None or live.pending[0] != question:
            raise QuizError("that question is not the one being asked; ask for the next question")
        spec = live.pending[1]
        correct = is_correct(spec, answer)
        option_order = question.option_order if spec.type in ("single", "multiple") else None
        try:
            with self._database.unit_of_work() as session:
                response_id = quiz_store.add_response(
                    session,
                    quiz_id=question.session_id,
                    number=question.number,
                    version_id=question.version_id,
                    parameter_set_id=question.parameter_set_id,
                    option_order=option_order,
                    raw_answer=json.dumps(_answer_to_json(answer)),
                    correct=correct,
                    skipped=answer.skipped,
                    response_time_ms=max(0, int(response_time_ms)),
                )
        except IntegrityError as error:
            self._live.pop(question.session_id, None)
            raise QuizError(
                "this question was already answered (is the quiz open somewhere else?)"
            ) from error
        position = self._bank().index[spec.id]
        live.state = record_response(live.state, position, correct)
        live.pending = None
        shown = feedback(spec, answer, correct) if live.stored.mode == "practice" else None
        return AnswerReceipt(response_id, shown, self._progress(live))

    def progress(self, quiz_id: int) -> QuizProgress:
        return self._progress(self._live_quiz(quiz_id))

    def _progress(self, live: _LiveQuiz) -> QuizProgress:
        bank = live.state.bank
        areas = []
        for info in self._bank().areas:
            if info.id not in live.stored.areas:
                continue
            code = bank.area_index(info.id)
            estimate = live.state.area_estimate(code)
            areas.append(
                AreaProgress(
                    info.id,
                    info.title,
                    live.state.area_counts[code],
                    estimate.theta,
                    estimate.se,
                    live.plan.stopping.area_finished(live.state, code),
                )
            )
        return QuizProgress(
            live.stored.id,
            live.state.n_administered,
            live.max_questions,
            tuple(areas),
            live.se_target,
        )

    def finish(self, quiz_id: int) -> None:
        with self._database.unit_of_work() as session:
            quiz_store.finish_quiz(session, quiz_id)
        live = self._live.get(quiz_id)
        if live is not None:
            live.finished = True
            live.pending = None

    def _live_quiz(self, quiz_id: int) -> _LiveQuiz:
        live = self._live.get(quiz_id)
        if live is None:
            live = self._rebuild(quiz_id)
            self._live[quiz_id] = live
        return live

    def _rebuild(self, quiz_id: int) -> _LiveQuiz:
        """Replay the stored answers: same items, same estimates, next item chosen afresh."""
        snapshot = self._bank()
        with self._database.reader() as session:
            stored = _stored_quiz(session, quiz_id)
            responses = quiz_store.responses_of(session, quiz_id)
            recent = quiz_store.recent_item_ids(session, stored.learner_id, quiz_id, RECENT_QUIZZES)
        length = QuizLength.from_dict(stored.settings.get("length", {}))
        cut_scores = {area.id: area.cut_scores.job_ready for area in snapshot.areas}
        plan, max_questions, se_target = _plan_for(length, cut_scores)
        state = start_test(snapshot.bank, priors=_priors(stored.settings), areas=stored.areas)
        for response in responses:
            state = record_response(state, snapshot.index[response.item_id], response.correct)
        recently_seen = np.array([item.id in recent for item in snapshot.items], dtype=bool)
        return _LiveQuiz(
            stored=stored,
            plan=plan,
            state=state,
            recently_seen=recently_seen,
            max_questions=max_questions,
            se_target=se_target,
            finished=stored.status == quiz_store.FINISHED,
        )

    # -- reports ----------------------------------------------------------------

    def report(self, quiz_id: int) -> Report:
        snapshot = self._bank()
        with self._database.reader() as session:
            stored = _stored_quiz(session, quiz_id)
            responses = quiz_store.responses_of(session, quiz_id)
            history = []
            for past in quiz_store.quizzes_of(session, stored.learner_id):
                if past.started_at > stored.started_at:
                    continue
                past_responses = _records(quiz_store.responses_of(session, past.id))
                if not past_responses:
                    continue
                history.append(
                    PastQuiz(
                        past.id,
                        past.finished_at or past.started_at,
                        len(past_responses),
                        area_estimates(past_responses, _priors(past.settings)),
                    )
                )
        areas = [area for area in snapshot.areas if area.id in stored.areas]
        return build_report(
            learner=stored.learner,
            session_id=stored.id,
            mode=stored.mode,
            status=stored.status,
            started_at=stored.started_at,
            finished_at=stored.finished_at,
            areas=areas,
            responses=_records(responses),
            priors=_priors(stored.settings),
            history=history,
        )


def _stored_quiz(session: Session, quiz_id: int) -> quiz_store.StoredQuiz:
    stored = quiz_store.quiz(session, quiz_id)
    if stored is None:
        raise QuizError(f"no quiz with id {quiz_id}")
    return stored


def _answer_to_json(answer: Answer) -> dict[str, object]:
    return {
        "choices": list(answer.choices),
        "value": answer.value,
        "text": answer.text,
        "skipped": answer.skipped,
    }


def _answer_from_json(raw: str) -> Answer:
    data = json.loads(raw)
    return Answer(
        choices=tuple(data.get("choices", ())),
        value=data.get("value"),
        text=data.get("text", ""),
        skipped=bool(data.get("skipped", False)),
    )


def _records(responses: Sequence[quiz_store.StoredResponse]) -> list[ResponseRecord]:
    from engine.quiz.marking import describe_answer, describe_key

    records = []
    for response in responses:
        spec = _spec(response)
        answer = _answer_from_json(response.raw_answer)
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
            )
        )
    return records


def _priors(settings: dict) -> dict[str, tuple[float, float]]:
    return {area: (float(m), float(s)) for area, (m, s) in settings.get("priors", {}).items()}


def _summary(stored: quiz_store.StoredQuiz, answered: int) -> QuizSummary:
    return QuizSummary(
        session_id=stored.id,
        learner=stored.learner,
        mode=stored.mode,  # type: ignore[arg-type]
        areas=stored.areas,
        length=QuizLength.from_dict(stored.settings.get("length", {})),
        status=stored.status,
        started_at=stored.started_at,
        finished_at=stored.finished_at,
        answered=answered,
    )


def _check_length(length: QuizLength) -> None:
    if length.length is not None:
        if not 1 <= length.length <= MAX_LENGTH:
            raise QuizError(f"quiz length must be between 1 and {MAX_LENGTH}")
    elif length.se is not None:
        if not 0.05 <= length.se <= 1.0:
            raise QuizError("the precision target (SE) must be between 0.05 and 1")
        if length.max_items is None or not 1 <= length.max_items <= MAX_LENGTH:
            raise QuizError(f"give a maximum number of items between 1 and {MAX_LENGTH}")
    elif length.preset not in PRESET_NAMES:
        raise QuizError(f"unknown quiz length '{length.preset}'; use {', '.join(PRESET_NAMES)}")


def _plan_for(
    length: QuizLength, cut_scores: dict[str, float]
) -> tuple[AdaptiveTestPlan, int | None, float | None]:
    """The engine plan for a length choice, with its question cap and SE target."""
    if length.length is not None:
        return AdaptiveTestPlan(stopping=MaxItems(length.length)), length.length, None
    if length.se is not None:
        stopping = AnyOf(StandardErrorTarget(length.se), MaxItems(length.max_items or MAX_LENGTH))
        return AdaptiveTestPlan(stopping=stopping), length.max_items, length.se
    config = QUIZ_PRESETS[length.preset or "standard"]
    return config.plan(cut_scores=cut_scores), None, config.se_target
