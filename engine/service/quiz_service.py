"""The quiz service: start, ask, answer, resume, finish and report.

The TUI and the CLI use only this class (and the plain values it returns).
Every answer is committed in its own transaction before any feedback is
returned, so a killed process loses nothing: `next_question` on a fresh
service rebuilds the quiz from the stored responses and carries on.

The jobs around it live in their own modules: the cached bank
(`askable_bank`), a quiz in memory and its replay (`live_quiz`), past quizzes
and carried-over priors (`history`), stored rows into plain values
(`converters`); option order, length rules and the stored JSON are pure
(`engine.quiz.presentation`, `engine.quiz.length`, `engine.quiz.codecs`).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

import numpy as np
from sqlalchemy.orm import Session

from engine.bank.model import AreaInfo, ItemSpec
from engine.clock import Clock, SystemClock, utc
from engine.db import practice_store, quiz_store
from engine.db.database import Database
from engine.irt.state import record_response
from engine.quiz.codecs import QuizSettings, encode_answer
from engine.quiz.length import length_problem
from engine.quiz.marking import feedback, is_correct
from engine.quiz.model import (
    Answer,
    AnswerReceipt,
    Question,
    QuizProgress,
    QuizRequest,
    QuizSummary,
)
from engine.quiz.time_limit import time_limit_problem
from engine.report.readiness import PracticeTally, Report, build_report
from engine.service import history, live_quiz
from engine.service.askable_bank import AskableBank, load_askable_bank
from engine.service.converters import counted, quiz_settings, quiz_summary, response_records
from engine.service.errors import QuizError, TimeRanOutError
from engine.service.live_quiz import LiveQuiz
from engine.service.storage_errors import AnswerNotSavedError, DatabaseConflictError, StorageError

__all__ = ["QuizError", "QuizService", "TimeRanOutError"]

# Before the one retry of an answer whose connection was lost: long enough for a pooled
# connection to be replaced, or a restarting server to come back.
RETRY_PAUSE_SECONDS = 1.0
ALREADY_ANSWERED = "this question was already answered (is the quiz open somewhere else?)"


class QuizService:
    def __init__(
        self,
        database: Database,
        *,
        seed_source: Callable[[], int] | None = None,
        clock: Clock | None = None,
    ):
        self._database = database
        self._bank: AskableBank | None = None
        self._live: dict[int, LiveQuiz] = {}
        self._population = history.PopulationCache()
        self._new_seed = seed_source or (lambda: random.SystemRandom().randrange(2**31))
        # One clock for every stored time (SKILLPROBE_NOW pins it: engine.clock).
        self._clock: Clock = clock or SystemClock.from_environment()

    def _now(self) -> dt.datetime:
        return utc(self._clock.now())

    # -- the bank ---------------------------------------------------------------

    def reload_bank(self) -> None:
        """Forget the cached bank (call after an import)."""
        self._bank = None

    def areas(self) -> tuple[AreaInfo, ...]:
        return self._askable().areas

    def bank_items(self) -> tuple[ItemSpec, ...]:
        """Every askable item (retired ones left out), for browsing the bank."""
        return self._askable().askable_specs()

    def askable_bank(self) -> AskableBank:
        """The cached bank (current versions and parameters), shared with the practice service."""
        return self._askable()

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def database(self) -> Database:
        return self._database

    def _askable(self) -> AskableBank:
        if self._bank is None:
            self._bank = load_askable_bank(self._database)
        return self._bank

    # -- learners and quizzes ---------------------------------------------------

    def learners(self) -> list[str]:
        with self._database.reader() as session:
            return quiz_store.learner_names(session)

    def unfinished_quiz(self, learner: str) -> QuizSummary | None:
        active = [q for q in self.quizzes(learner) if q.status == quiz_store.ACTIVE]
        return active[-1] if active else None

    def quizzes(self, learner: str) -> list[QuizSummary]:
        """The learner's quizzes, oldest first."""
        with self._database.reader() as session:
            learner_id = quiz_store.learner_id(session, learner, create=False)
            if learner_id is None:
                return []
            stored = quiz_store.quizzes_of(session, learner_id)
            answered = quiz_store.response_counts(session, [q.id for q in stored])
        return [quiz_summary(q, answered.get(q.id, 0)) for q in stored]

    def latest_quiz(self, learner: str) -> QuizSummary | None:
        quizzes = self.quizzes(learner)
        return quizzes[-1] if quizzes else None

    def quiz(self, quiz_id: int) -> QuizSummary:
        with self._database.reader() as session:
            stored = _stored_quiz(session, quiz_id)
            answered = quiz_store.response_counts(session, [quiz_id]).get(quiz_id, 0)
        return quiz_summary(stored, answered)

    def start_quiz(self, request: QuizRequest) -> QuizSummary:
        """Create a quiz; an unfinished quiz of the same learner is left to resume later."""
        bank = self._askable()
        known = [area.id for area in bank.areas]
        askable = bank.askable_areas()
        areas = tuple(dict.fromkeys(request.areas)) or tuple(a for a in known if a in askable)
        unknown = [area for area in areas if area not in known]
        if unknown:
            raise QuizError(f"unknown area {', '.join(unknown)}; areas: {', '.join(known)}")
        empty = [area for area in areas if area not in askable]
        if empty:
            raise QuizError(f"no questions in area {', '.join(empty)} yet")
        problem = length_problem(request.length)
        if problem is not None:
            raise QuizError(problem)
        if request.time_limit_s is not None:
            problem = time_limit_problem(request.time_limit_s)
            if problem is not None:
                raise QuizError(f"the time limit {problem}")
        learner = request.learner.strip()
        if not learner:
            raise QuizError("the learner name is empty")
        seed = request.seed if request.seed is not None else self._new_seed()
        with self._database.unit_of_work() as session:
            learner_id = quiz_store.learner_id(session, learner, create=True)
            assert learner_id is not None
            now = self._now()
            # Stored with the quiz, so its report and replay rebuild the same priors later.
            start = history.starting_priors(session, learner_id, areas, now, self._population)
            settings = QuizSettings(request.length, start.carried, request.time_limit_s).to_json()
            settings |= start.settings_json()
            quiz_id = quiz_store.create_quiz(
                session, learner_id, request.mode, areas, settings, seed, now
            )
        return self.quiz(quiz_id)

    # -- asking and answering ---------------------------------------------------

    def next_question(self, quiz_id: int) -> Question | None:
        """The question to show now (the same one until it is answered); None when done."""
        live = self._live_quiz(quiz_id)
        if live.finished:
            return None
        if self._out_of_time(live):
            self.finish(quiz_id, time_ran_out=True)
            return None
        if live.pending is not None:
            return live.pending[0]
        bank = self._askable()
        number = live.state.n_administered + 1
        # One generator per question, seeded by the quiz: a replay makes the same draws.
        rng = np.random.default_rng([live.stored.seed, number])
        if live.max_questions is not None and live.state.n_administered >= live.max_questions:
            position = None
        else:
            # Never an item this learner saw before while the area has others; pretest
            # items are seeded at the plan's bounded rate, least-answered first.
            position = live.plan.next_item(
                live.state,
                rng,
                eligible=bank.eligible,
                seen=live.seen,
                key_shown=live.key_shown,
                pretest=bank.pretest,
                answer_counts=bank.answer_counts,
            )
        if position is None:
            self.finish(quiz_id)
            return None
        question, spec = bank.present(int(position), rng, session_id=live.stored.id, number=number)
        live.pending = (question, spec)
        return question

    def submit(self, question: Question, answer: Answer, response_time_ms: int) -> AnswerReceipt:
        """Grade and store the answer (committed before returning), then give feedback."""
        live = self._live_quiz(question.session_id)
        if live.finished:
            raise QuizError("this quiz is already finished")
        if live.pending is None:
            # Rebuilt from storage since the question was shown (say, after an answer
            # was not saved): ask again; the same stored answers draw the same question.
            self.next_question(question.session_id)
        if live.pending is None or live.pending[0] != question:
            raise QuizError("that question is not the one being asked; ask for the next question")
        if self._out_of_time(live):
            self.finish(question.session_id, time_ran_out=True)
            raise TimeRanOutError(
                f"time ran out after {live.state.n_administered} questions; that answer came "
                "too late to count"
            )
        spec = live.pending[1]
        position = self._askable().index[spec.id]
        correct = is_correct(spec, answer)
        option_order = question.option_order if spec.type in ("single", "multiple") else None
        row = quiz_store.NewAnswer(
            quiz_id=question.session_id,
            number=question.number,
            version_id=question.version_id,
            parameter_set_id=question.parameter_set_id,
            option_order=option_order,
            raw_answer=encode_answer(answer),
            correct=correct,
            skipped=answer.skipped,
            response_time_ms=max(0, int(response_time_ms)),
            answered_at=self._now(),
            counted=live.counts(self._askable(), position),
            key_shown=bool(live.key_shown[position]),
        )
        try:
            response_id = self._store_answer(row, live)
        except (QuizError, StorageError):
            # What is stored is no longer known here: the next call replays it.
            self._live.pop(question.session_id, None)
            raise
        live.state = record_response(live.state, position, correct, scored=row.counted)
        live.pending = None
        shown = feedback(spec, answer, correct) if live.stored.mode == "practice" else None
        progress = live_quiz.progress(live, self._askable(), self._clock.monotonic())
        return AnswerReceipt(response_id, shown, progress)

    def _store_answer(self, row: quiz_store.NewAnswer, live: LiveQuiz) -> int:
        """Commit the answer exactly once, or raise `AnswerNotSavedError`.

        If the connection is lost (or a lock is not granted), the commit may or
        may not have reached the database, so there is one retry, and it looks
        first: an answer already stored at this position with the same item
        and the same text is this one, saved after all. Another answer there is
        a second terminal's (the unique key on quiz and position keeps one).
        """
        try:
            return self._write_answer(row, live, look_first=False)
        except DatabaseConflictError as error:
            raise QuizError(ALREADY_ANSWERED) from error
        except StorageError as error:
            if not error.retry_safe:
                raise AnswerNotSavedError.because(error) from error
        time.sleep(RETRY_PAUSE_SECONDS)
        try:
            return self._write_answer(row, live, look_first=True)
        except DatabaseConflictError as error:
            raise QuizError(ALREADY_ANSWERED) from error
        except StorageError as error:
            raise AnswerNotSavedError.because(error) from error

    def _write_answer(self, row: quiz_store.NewAnswer, live: LiveQuiz, *, look_first: bool) -> int:
        with self._database.unit_of_work() as session:
            if look_first:
                stored = quiz_store.stored_answer(session, row.quiz_id, row.number)
                if stored is not None:
                    if (stored.version_id, stored.raw_answer) == (row.version_id, row.raw_answer):
                        return stored.id
                    raise QuizError(ALREADY_ANSWERED)
            response_id = quiz_store.add_response(session, row)
            self._store_time_used(session, live)  # a timed quiz's clock, with the answer
            return response_id

    def progress(self, quiz_id: int) -> QuizProgress:
        return live_quiz.progress(
            self._live_quiz(quiz_id), self._askable(), self._clock.monotonic()
        )

    def time_left(self, quiz_id: int) -> float | None:
        """Seconds left on a timed quiz (counting from this sitting), or None if untimed."""
        return self._live_quiz(quiz_id).time_left_s(self._clock.monotonic())

    def pause(self, quiz_id: int) -> None:
        """The learner leaves the quiz: keep a timed quiz's time used and stop its clock.

        Paused time does not count: the clock runs again when the quiz is next asked for
        (here or, from the stored time used, in another process).
        """
        live = self._live.get(quiz_id)
        if live is not None and live.time_limit_ms is not None and not live.finished:
            live.pause(self._clock.monotonic())
            with self._database.unit_of_work() as session:
                self._store_time_used(session, live)

    def finish(self, quiz_id: int, *, time_ran_out: bool = False) -> None:
        live = self._live.get(quiz_id)
        with self._database.unit_of_work() as session:
            if live is not None and not live.finished:
                self._store_time_used(session, live)
            quiz_store.finish_quiz(session, quiz_id, self._now(), time_ran_out=time_ran_out)
        if live is not None:
            live.finished = True
            live.pending = None

    def _out_of_time(self, live: LiveQuiz) -> bool:
        return live.time_left_s(self._clock.monotonic()) == 0.0

    def _store_time_used(self, session: Session, live: LiveQuiz) -> None:
        if live.time_limit_ms is not None:
            used = min(live.time_used_ms(self._clock.monotonic()), live.time_limit_ms)
            quiz_store.record_time_used(session, live.stored.id, used)

    def _live_quiz(self, quiz_id: int) -> LiveQuiz:
        live = self._live.get(quiz_id)
        if live is None:
            bank = self._askable()
            with self._database.reader() as session:
                stored = _stored_quiz(session, quiz_id)
                responses = quiz_store.responses_of(session, quiz_id)
                seen = history.items_seen(session, stored.learner_id)
            live = live_quiz.replay(bank, stored, responses, seen, self._clock.monotonic())
            self._live[quiz_id] = live
        live.resume(self._clock.monotonic())  # a paused quiz's clock runs again
        return live

    # -- reports ----------------------------------------------------------------

    def report(self, quiz_id: int) -> Report:
        bank = self._askable()
        with self._database.reader() as session:
            stored = _stored_quiz(session, quiz_id)
            responses = quiz_store.responses_of(session, quiz_id)
            past = history.learner_history(session, stored)
            practice = PracticeTally(
                *practice_store.tally_since(session, stored.learner_id, stored.started_at)
            )
        settings = quiz_settings(stored)
        return build_report(
            learner=stored.learner,
            session_id=stored.id,
            mode=stored.mode,
            status=stored.status,
            started_at=stored.started_at,
            finished_at=stored.finished_at,
            areas=[area for area in bank.areas if area.id in stored.areas],
            responses=response_records(counted(responses)),
            priors=settings.priors,
            history=past.past,
            earlier_quizzes=past.earlier,
            population=history.population_of(stored.settings),
            carried_over=history.carried_over_of(stored.settings),
            time_limit_s=settings.time_limit_s,
            time_ran_out=stored.time_ran_out,
            practice=practice,
            uncounted=len(responses) - len(counted(responses)),
        )


def _stored_quiz(session: Session, quiz_id: int) -> quiz_store.StoredQuiz:
    stored = quiz_store.quiz(session, quiz_id)
    if stored is None:
        raise QuizError(f"no quiz with id {quiz_id}")
    return stored
