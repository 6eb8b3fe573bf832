"""The app's one door to the service layer, used from worker threads.

`Backend.service()` is a context manager: it takes the lock (the service is
not thread-safe), opens the database on first use, and turns the service's
refusals (`QuizError`) into `BackendError`, whose message the learner reads.
Inside it the service's own typed methods are called, so the app gets the
service's own values back. The few methods below combine several calls for
one screen (Home, History, the bank) or one step (answer, then the next
question). The service modules are imported on first use, after the first
screen is painted (docs/tui.md).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from engine.quiz.model import Mode, QuizLength, QuizRequest, QuizSummary

if TYPE_CHECKING:
    from engine.bank.model import AreaInfo, ItemSpec
    from engine.clock import Clock
    from engine.practice.model import (
        PracticeQuestion,
        PracticeReceipt,
        PracticeRecord,
        PracticeStatus,
        PracticeSummary,
    )
    from engine.quiz.model import Answer, AnswerReceipt, Question, QuizProgress
    from engine.report.readiness import PastQuiz, Report
    from engine.service.practice_service import PracticeService
    from engine.service.quiz_service import QuizService
    from engine.service.storage import OpenedDatabase


class BackendError(Exception):
    """Something the learner should read: a storage problem or a refused request."""


@dataclass(frozen=True)
class StartupResult:
    """What happened while opening the database and checking the bank."""

    imported: str | None = None  # the import summary, when the bank was (re)imported
    problems: tuple[str, ...] = ()  # file:line:col messages when the bank could not be imported


@dataclass(frozen=True)
class HomeData:
    learner: str
    learners: tuple[str, ...]
    areas: tuple[AreaInfo, ...]
    item_counts: dict[str, int]
    unfinished: QuizSummary | None
    last_report: Report | None
    quiz_count: int
    practice: PracticeStatus | None = None  # reviews due, for a learner with a profile

    @property
    def area_titles(self) -> dict[str, str]:
        return {area.id: area.title for area in self.areas}


@dataclass(frozen=True)
class HistoryData:
    learner: str
    quizzes: tuple[QuizSummary, ...]  # oldest first
    past: dict[int, PastQuiz]  # by quiz id, for quizzes with at least one answer
    areas: tuple[AreaInfo, ...]
    practice: tuple[PracticeRecord, ...] = ()  # practice sessions with answers, oldest first


@dataclass(frozen=True)
class BankData:
    areas: tuple[AreaInfo, ...]
    items: tuple[ItemSpec, ...]
    titles: dict[tuple[str, str], str] = field(default_factory=dict)  # (area, topic) -> title


@dataclass(frozen=True)
class QuestionStep:
    """A question to show (None when the quiz is over) and the progress so far."""

    question: Question | None
    progress: QuizProgress


@dataclass(frozen=True)
class AnsweredStep:
    """An answer safely stored (its receipt) and what comes next."""

    receipt: AnswerReceipt
    next: QuestionStep


@dataclass(frozen=True)
class PracticeStep:
    """A practice question to show (None when the session is over) and the session so far."""

    question: PracticeQuestion | None
    summary: PracticeSummary


@dataclass(frozen=True)
class PracticeAnswered:
    receipt: PracticeReceipt
    next: PracticeStep


class Backend:
    def __init__(
        self,
        database_url: str | None = None,
        *,
        bank_path: Path | None = None,
        seed: int | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.database_url = database_url
        self.bank_path = bank_path
        self.seed = seed
        self.clock = clock  # the app's clock: what it shows and what is stored agree
        self._lock = threading.RLock()
        self._opened: OpenedDatabase | None = None
        self._service: QuizService | None = None
        self._practice: PracticeService | None = None
        self._startup = StartupResult()

    # -- opening ----------------------------------------------------------------

    def open(self) -> StartupResult:
        """Connect (migrating if needed) and import the bank when it changed.

        Idempotent: later calls report nothing new.
        """
        with self._lock:
            if self._service is not None:
                return StartupResult()
            self._connect()
            return self._startup

    def _connect(self) -> QuizService:
        from engine.service import bank_service
        from engine.service.quiz_service import QuizService
        from engine.service.storage import StorageError, open_database

        try:
            opened = open_database(self.database_url)
        except StorageError as error:
            raise BackendError(str(error)) from error
        except OSError as error:  # e.g. the SQLite file's folder cannot be created
            raise BackendError(f"cannot open the database: {error}") from error
        outcome = bank_service.ensure_bank_imported(opened.database, self.bank_path)
        if outcome is not None and outcome.summary is None:
            self._startup = StartupResult(problems=tuple(str(e) for e in outcome.errors))
        elif outcome is not None:
            self._startup = StartupResult(imported=str(outcome.summary))
        self._opened = opened
        self._service = QuizService(opened.database, clock=self.clock)
        return self._service

    @contextmanager
    def service(self) -> Iterator[QuizService]:
        """The quiz service, under the lock; its refusals come out as `BackendError`."""
        from engine.service.errors import QuizError

        with self._lock:
            service = self._service or self._connect()
            try:
                yield service
            except QuizError as error:
                raise BackendError(str(error)) from error

    @contextmanager
    def practice(self) -> Iterator[PracticeService]:
        """The practice service (sharing the quiz service's bank and clock), under the lock."""
        from engine.service.practice_service import PracticeService

        with self.service() as service:
            if self._practice is None or self._practice.quizzes is not service:
                self._practice = PracticeService(service, seed_source=self._practice_seed())
            yield self._practice

    def _practice_seed(self) -> Callable[[], int] | None:
        seed = self.seed
        return None if seed is None else (lambda: seed)

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened.database.dispose()
            self._opened = None
            self._service = None
            self._practice = None

    # -- what one screen or one step needs ---------------------------------------

    def home(self, learner: str) -> HomeData:
        with self.service() as service:
            areas = service.areas()
            items = service.bank_items()
            quizzes = service.quizzes(learner)
            unfinished = service.unfinished_quiz(learner)
            finished = [q for q in quizzes if q.status != "active" and q.answered]
            last_report = service.report(finished[-1].session_id) if finished else None
            learners = tuple(service.learners())
        practice = None
        if learner in learners:
            with self.practice() as sessions:
                practice = sessions.status(learner)
        return HomeData(
            learner=learner,
            learners=learners,
            areas=areas,
            item_counts=dict(Counter(item.area for item in items)),
            unfinished=unfinished,
            last_report=last_report,
            quiz_count=len(quizzes),
            practice=practice,
        )

    def start_quiz(
        self,
        learner: str,
        areas: tuple[str, ...],
        mode: Mode,
        length: QuizLength,
        time_limit_s: int | None = None,
    ) -> QuizSummary:
        with self.service() as service:
            return service.start_quiz(
                QuizRequest(learner, areas, mode, length, self.seed, time_limit_s)
            )

    def pause_quiz(self, quiz_id: int) -> None:
        """Keep a timed quiz's time used and end the sitting (paused time does not count)."""
        with self.service() as service:
            service.pause(quiz_id)

    def expire_quiz(self, quiz_id: int) -> QuestionStep:
        """A timed quiz's countdown reached zero: finish it (time ran out) unless it is over."""
        with self.service() as service:
            if service.quiz(quiz_id).status == "active":
                left = service.time_left(quiz_id)
                if left is not None and left <= 0:
                    service.finish(quiz_id, time_ran_out=True)
            return self.step(quiz_id)

    def step(self, quiz_id: int) -> QuestionStep:
        with self.service() as service:
            return QuestionStep(service.next_question(quiz_id), service.progress(quiz_id))

    def answer(self, question: Question, answer: Answer, response_time_ms: int) -> AnsweredStep:
        """Store the answer (committed before this returns), then fetch the next question."""
        with self.service() as service:
            receipt = service.submit(question, answer, response_time_ms)
            return AnsweredStep(receipt, self.step(question.session_id))

    def history(self, learner: str) -> HistoryData:
        with self.service() as service:
            quizzes = tuple(service.quizzes(learner))
            areas = service.areas()
            answered = [q for q in quizzes if q.answered]
            past: dict[int, PastQuiz] = {}
            if answered:
                report = service.report(answered[-1].session_id)
                past = {entry.session_id: entry for entry in report.history}
        with self.practice() as sessions:
            practice = tuple(sessions.sessions(learner))
        return HistoryData(learner, quizzes, past, areas, practice)

    def bank(self) -> BankData:
        with self.service() as service:
            areas = service.areas()
            items = service.bank_items()
        titles = {(area.id, topic.id): topic.title for area in areas for topic in area.topics}
        return BankData(areas, items, titles)

    # -- practice sessions ---------------------------------------------------------

    def start_practice(
        self, learner: str, topics: tuple[str, ...] = (), areas: tuple[str, ...] = ()
    ) -> PracticeStep:
        from engine.practice.model import PracticeRequest

        with self.practice() as sessions:
            summary = sessions.start(PracticeRequest(learner, topics=topics, areas=areas))
            return self.practice_step(summary.session_id)

    def practice_step(self, session_id: int) -> PracticeStep:
        with self.practice() as sessions:
            question = sessions.next_question(session_id)
            return PracticeStep(question, sessions.summary(session_id))

    def practice_answer(
        self, shown: PracticeQuestion, answer: Answer, response_time_ms: int
    ) -> PracticeAnswered:
        """Store the answer and its review (committed before this returns), then the next one."""
        with self.practice() as sessions:
            receipt = sessions.submit(shown, answer, response_time_ms)
            return PracticeAnswered(receipt, self.practice_step(shown.question.session_id))

    # -- export -----------------------------------------------------------------

    def export_markdown(self, report: Report, directory: Path, stamp: str) -> Path:
        """Write the report as Markdown into `directory` (or the data folder) and say where."""
        from engine.report.render import render_markdown

        text = render_markdown(report)
        name = f"skillprobe-report-{_slug(report.learner)}-{report.session_id}-{stamp}.md"
        for folder in (directory, _data_directory()):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / name
                path.write_text(text, encoding="utf-8")
                return path
            except OSError:
                continue
        raise BackendError(f"could not write {name} in {directory} or the data folder")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "learner"


def _data_directory() -> Path:
    from platformdirs import user_data_path

    return user_data_path("skillprobe", appauthor=False) / "reports"
