"""The app's one door to the service layer, used from worker threads.

`Backend.service()` is a context manager: it takes the lock (the service is
not thread-safe), opens the database on first use, and turns the service's
refusals (`QuizError`) and storage faults (`StorageError`: the database is
unavailable, read-only, full...) into `BackendError`, whose message (one
line, never SQL) the learner reads in a notice while the app carries on.
Inside it the service's own typed methods are called, so the app gets the
service's own values back. The few methods below combine several calls for
one screen (Home, History, the bank) or one step (answer, then the next
question). The service modules are imported on first use, after the first
screen is painted (docs/tui.md).
"""

from __future__ import annotations

import datetime as dt
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
    from engine.report.cohort import CohortReport
    from engine.report.readiness import PastQuiz, Report
    from engine.service.calibration_service import StoredDiagnostics
    from engine.service.cohort_service import CohortService
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
    created: str | None = None  # "created a new database at ...", when this start did
    read_only: str | None = None  # why the database could only be opened for reading


@dataclass(frozen=True)
class HomeArea:
    """An area as Home shows it: what it measures, and how many questions and topics it has."""

    id: str
    title: str
    description: str
    topics: int
    questions: int


@dataclass(frozen=True)
class AreaResult:
    """One area's line in a report summary, already in words."""

    title: str
    level: str  # "Developing or Job-ready (93%)", or "Too early to call"
    readiness: str  # "Job-ready: 80% chance (model-based)" or why there is no verdict


@dataclass(frozen=True)
class ReportSummary:
    """What Home says about the last finished quiz (the report screen has the rest)."""

    session_id: int
    moment: dt.datetime  # finished (or started) at, UTC
    mode: str
    correct: int
    answered: int
    areas: tuple[AreaResult, ...]
    focus: tuple[str, ...]  # titles of the topics called weak


@dataclass(frozen=True)
class HomeData:
    """Everything Home shows, as plain values (also kept as a snapshot: `tui.home_snapshot`)."""

    learner: str
    learners: tuple[str, ...]
    areas: tuple[HomeArea, ...]
    unfinished: tuple[QuizSummary, ...]  # newest first
    last_report: ReportSummary | None
    quiz_count: int
    practice: PracticeStatus | None = None  # reviews due, for a learner with a profile

    @property
    def area_titles(self) -> dict[str, str]:
        return {area.id: area.title for area in self.areas}

    @property
    def item_counts(self) -> dict[str, int]:
        return {area.id: area.questions for area in self.areas}


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
    # The latest calibration's diagnostics by item id (none before any calibration).
    diagnostics: dict[str, StoredDiagnostics] = field(default_factory=dict)


@dataclass(frozen=True)
class CohortData:
    """The cohorts, and the report of the one chosen (None when there is no cohort)."""

    cohorts: tuple[str, ...]
    report: CohortReport | None


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
        from engine.service.storage_errors import StorageError

        try:
            opened, read_only = self._open()
            outcome = bank_service.ensure_bank_imported(opened.database, self.bank_path)
        except StorageError as error:
            raise BackendError(str(error)) from error
        problems = tuple(str(e) for e in outcome.errors) if outcome is not None else ()
        imported = str(outcome.summary) if outcome is not None and outcome.summary else None
        self._startup = StartupResult(imported, problems, opened.created_note, read_only)
        self._opened = opened
        self._service = QuizService(opened.database, clock=self.clock)
        return self._service

    def _open(self) -> tuple[OpenedDatabase, str | None]:
        """Open for writing; a database this user may only read (or whose disk is full)
        opens for reading.

        Then reports and history still work, and taking a quiz says why it
        cannot (the line of the `DatabaseReadOnlyError` error, also returned here).
        """
        from engine.service.storage import open_database
        from engine.service.storage_errors import (
            DatabaseReadOnlyError,
            DiskFullError,
            StorageError,
        )

        try:
            return open_database(self.database_url), None
        except (DatabaseReadOnlyError, DiskFullError) as error:
            try:
                return open_database(self.database_url, for_writing=False), str(error)
            except StorageError:
                raise error from None  # unreadable too: the first reason is the one to fix

    @contextmanager
    def service(self) -> Iterator[QuizService]:
        """The quiz service, under the lock; refusals and storage faults come out as
        `BackendError`."""
        from engine.service.errors import QuizError
        from engine.service.storage_errors import StorageError

        with self._lock:
            service = self._service or self._connect()
            try:
                yield service
            except (QuizError, StorageError) as error:
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
            finished = [q for q in quizzes if q.status != "active" and q.answered]
            last_report = service.report(finished[-1].session_id) if finished else None
            learners = tuple(service.learners())
        practice = None
        if learner in learners:
            with self.practice() as sessions:
                practice = sessions.status(learner)
        counts = Counter(item.area for item in items)
        return HomeData(
            learner=learner,
            learners=learners,
            areas=tuple(
                HomeArea(a.id, a.title, a.description, len(a.topics), counts.get(a.id, 0))
                for a in areas
            ),
            unfinished=tuple(q for q in reversed(quizzes) if q.status == "active"),
            last_report=summarize_report(last_report) if last_report else None,
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
        from engine.service.calibration_service import item_diagnostics

        with self.service() as service:
            areas = service.areas()
            items = service.bank_items()
            assert self._opened is not None  # service() opened it
            diagnostics = item_diagnostics(self._opened.database)
        titles = {(area.id, topic.id): topic.title for area in areas for topic in area.topics}
        return BankData(areas, items, titles, diagnostics)

    @contextmanager
    def cohorts(self) -> Iterator[CohortService]:
        """The cohort service, under the same lock and with the same refusals as `service()`."""
        from engine.service.cohort_service import CohortService

        with self.service():
            assert self._opened is not None
            yield CohortService(self._opened.database)

    def cohort(self, name: str | None) -> CohortData:
        """The cohort screen's data: ``name``'s report, or the first cohort's."""
        with self.cohorts() as cohorts:
            names = tuple(summary.name for summary in cohorts.cohorts())
            chosen = name if name in names else (names[0] if names else None)
            report = cohorts.report(chosen) if chosen is not None else None
        return CohortData(names, report)

    def join_cohort(self, learner: str, cohort: str) -> bool:
        """Put the learner in the cohort; False when already in it."""
        with self.cohorts() as cohorts:
            return cohorts.join(learner, cohort)

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


def summarize_report(report: Report) -> ReportSummary:
    """The few lines of a report that Home shows, in the report's own words."""
    from engine.report.wording import level_words

    return ReportSummary(
        session_id=report.session_id,
        moment=report.finished_at or report.started_at,
        mode=report.mode,
        correct=report.correct,
        answered=report.answered,
        areas=tuple(
            AreaResult(
                area.title,
                level_words(area.level, area.levels.named.probability, area.enough_evidence)
                if area.levels is not None
                else area.level,
                area.verdict,
            )
            for area in report.areas
        ),
        focus=tuple(finding.title for finding in report.focus),
    )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "learner"


def _data_directory() -> Path:
    from platformdirs import user_data_path

    return user_data_path("skillprobe", appauthor=False) / "reports"
