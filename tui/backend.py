"""The TUI's one door to the service layer.

Screens never talk to the database: they ask this object, from worker
threads, for plain values (frozen dataclasses from `engine`). The service
modules are imported on first use, inside the worker, so the first screen
paints before SQLAlchemy, NumPy or the bank loader are imported. A lock
serialises calls because the quiz service keeps live quizzes in memory.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from engine.quiz.model import Mode, QuizLength, QuizRequest, QuizSummary

if TYPE_CHECKING:
    from engine.bank.model import AreaInfo, ItemSpec
    from engine.quiz.model import Answer, AnswerReceipt, Question, QuizProgress
    from engine.report.readiness import PastQuiz, Report
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


@dataclass(frozen=True)
class HistoryData:
    learner: str
    quizzes: tuple[QuizSummary, ...]  # oldest first
    past: dict[int, PastQuiz]  # by quiz id, for quizzes with at least one answer
    areas: tuple[AreaInfo, ...]


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


class Backend:
    def __init__(
        self,
        database_url: str | None = None,
        *,
        bank_path: Path | None = None,
        seed: int | None = None,
    ) -> None:
        self.database_url = database_url
        self.bank_path = bank_path
        self.seed = seed
        self._lock = threading.RLock()
        self._opened: OpenedDatabase | None = None
        self._service: QuizService | None = None

    # -- opening ----------------------------------------------------------------

    def open(self) -> StartupResult:
        """Connect (migrating if needed) and import the bank when it changed. Idempotent."""
        with self._lock:
            if self._opened is not None:
                return StartupResult()
            from engine.service import bank_service
            from engine.service.quiz_service import QuizService
            from engine.service.storage import StorageError, open_database

            try:
                self._opened = open_database(self.database_url)
            except StorageError as error:
                raise BackendError(str(error)) from error
            except OSError as error:  # e.g. the SQLite file's folder cannot be created
                raise BackendError(f"cannot open the database: {error}") from error
            database = self._opened.database
            self._service = QuizService(database)
            result = StartupResult()
            if bank_service.bank_needs_import(database, self.bank_path):
                outcome = bank_service.import_bank(database, self.bank_path)
                if outcome.summary is None:
                    result = StartupResult(problems=tuple(str(e) for e in outcome.errors))
                else:
                    result = StartupResult(imported=str(outcome.summary))
                self._service.reload_bank()
            return result

    @property
    def service(self) -> QuizService:
        if self._service is None:
            self.open()
        assert self._service is not None
        return self._service

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened.database.dispose()
            self._opened = None
            self._service = None

    def _call(self, method: str, *args: object) -> object:
        """Call a service method under the lock, turning its errors into BackendError."""
        from engine.service.quiz_service import QuizError

        with self._lock:
            try:
                return getattr(self.service, method)(*args)
            except QuizError as error:
                raise BackendError(str(error)) from error

    # -- home -------------------------------------------------------------------

    def home(self, learner: str) -> HomeData:
        with self._lock:
            areas = self._call("areas")
            items = self._call("bank_items")
            quizzes = self._call("quizzes", learner)
            unfinished = self._call("unfinished_quiz", learner)
            finished = [q for q in quizzes if q.status != "active" and q.answered]
            last_report = self._call("report", finished[-1].session_id) if finished else None
            learners = tuple(self._call("learners"))
        counts = Counter(item.area for item in items)
        return HomeData(
            learner=learner,
            learners=learners,
            areas=areas,
            item_counts=dict(counts),
            unfinished=unfinished,
            last_report=last_report,
            quiz_count=len(quizzes),
        )

    # -- quizzes ----------------------------------------------------------------

    def start_quiz(
        self, learner: str, areas: tuple[str, ...], mode: Mode, length: QuizLength
    ) -> QuizSummary:
        request = QuizRequest(learner, areas, mode, length, self.seed)
        return self._call("start_quiz", request)  # type: ignore[return-value]

    def quiz(self, quiz_id: int) -> QuizSummary:
        return self._call("quiz", quiz_id)  # type: ignore[return-value]

    def step(self, quiz_id: int) -> QuestionStep:
        with self._lock:
            question = self._call("next_question", quiz_id)
            progress = self._call("progress", quiz_id)
        return QuestionStep(question, progress)  # type: ignore[arg-type]

    def submit(self, question: Question, answer: Answer, response_time_ms: int) -> AnswerReceipt:
        return self._call("submit", question, answer, response_time_ms)  # type: ignore[return-value]

    def report(self, quiz_id: int) -> Report:
        return self._call("report", quiz_id)  # type: ignore[return-value]

    def history(self, learner: str) -> HistoryData:
        with self._lock:
            quizzes = tuple(self._call("quizzes", learner))
            areas = self._call("areas")
            answered = [q for q in quizzes if q.answered]
            past: dict[int, PastQuiz] = {}
            if answered:
                report = self._call("report", answered[-1].session_id)
                past = {entry.session_id: entry for entry in report.history}
        return HistoryData(learner, quizzes, past, areas)  # type: ignore[arg-type]

    def learners(self) -> tuple[str, ...]:
        return tuple(self._call("learners"))  # type: ignore[arg-type]

    # -- the bank ---------------------------------------------------------------

    def bank(self) -> BankData:
        with self._lock:
            areas = self._call("areas")
            items = self._call("bank_items")
        titles = {(area.id, topic.id): topic.title for area in areas for topic in area.topics}
        return BankData(areas, items, titles)  # type: ignore[arg-type]

    # -- export -----------------------------------------------------------------

    def export_markdown(self, report: Report, directory: Path, stamp: str) -> Path:
        """Write the report as Markdown into `directory` (or the data folder) and say where."""
        try:
            from engine.report.render import render_markdown
        except ImportError as error:
            raise BackendError("Markdown export is not available in this version") from error
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
