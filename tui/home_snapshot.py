"""Home as the learner last saw it, kept on disk: a returning learner's Home is ready at once.

Opening the database imports SQLAlchemy, NumPy and the bank's models and
checks the migrations: about a second, most of it imports. Home's data (the
areas, the unfinished quizzes, the last report's summary) is small, so after
every load it is written here as JSON, and the next start shows it in the
first frame while the database opens in the background; the fresh data then
replaces it (usually within a second, before the learner has pressed a key).
Anything that goes to the database (starting or resuming a quiz, a report)
still waits for it, in a worker: the wait is not moved to a later screen.

One file per database and learner, named by a hash (the database URL, which
may hold a password, is not written anywhere). A file that cannot be read,
or was written by another version, is ignored: the app then starts as if
there were none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from engine.practice.model import PracticeStatus, TopicDue
from engine.quiz.model import QuizLength, QuizSummary, is_mode
from tui.backend import AreaResult, HomeArea, HomeData, ReportSummary

VERSION = 2  # 2: practice status, timed quizzes


def snapshot_path(directory: Path, database_url: str | None, learner: str) -> Path:
    key = hashlib.sha256(f"{database_url or ''}\0{learner}".encode()).hexdigest()[:24]
    return directory / f"home-{key}.json"


def save_home(directory: Path, database_url: str | None, home: HomeData) -> None:
    """Write Home's data for the next start (atomically; a failure only costs the shortcut)."""
    path = snapshot_path(directory, database_url, home.learner)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(_home_json(home)), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def load_home(directory: Path, database_url: str | None, learner: str) -> HomeData | None:
    """The saved Home of this learner on this database, or None."""
    try:
        data = json.loads(snapshot_path(directory, database_url, learner).read_text("utf-8"))
        if data.get("version") != VERSION or data.get("learner") != learner:
            return None
        return _home_from_json(data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


# -- JSON -------------------------------------------------------------------------


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _quiz_json(quiz: QuizSummary) -> dict[str, Any]:
    return {
        "session_id": quiz.session_id,
        "learner": quiz.learner,
        "mode": quiz.mode,
        "areas": list(quiz.areas),
        "length": quiz.length.as_dict(),
        "status": quiz.status,
        "started_at": _moment(quiz.started_at),
        "finished_at": _moment(quiz.finished_at),
        "answered": quiz.answered,
        "time_limit_s": quiz.time_limit_s,
        "time_used_s": quiz.time_used_s,
        "time_ran_out": quiz.time_ran_out,
    }


def _practice_json(status: PracticeStatus | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "learner": status.learner,
        "now": _moment(status.now),
        "due_now": status.due_now,
        "due_7d": status.due_7d,
        "cards": status.cards,
        "next_due": _moment(status.next_due),
        "topics": [vars(topic) for topic in status.topics],
    }


def _practice_from_json(data: dict[str, Any] | None) -> PracticeStatus | None:
    if data is None:
        return None
    next_due = data["next_due"]
    return PracticeStatus(
        learner=str(data["learner"]),
        now=dt.datetime.fromisoformat(data["now"]),
        due_now=int(data["due_now"]),
        due_7d=int(data["due_7d"]),
        cards=int(data["cards"]),
        next_due=dt.datetime.fromisoformat(next_due) if next_due else None,
        topics=tuple(TopicDue(**topic) for topic in data["topics"]),
    )


def _home_json(home: HomeData) -> dict[str, Any]:
    report = home.last_report
    return {
        "version": VERSION,
        "learner": home.learner,
        "learners": list(home.learners),
        "areas": [vars(area) for area in home.areas],
        "unfinished": [_quiz_json(quiz) for quiz in home.unfinished],
        "last_report": None
        if report is None
        else {
            "session_id": report.session_id,
            "moment": _moment(report.moment),
            "mode": report.mode,
            "correct": report.correct,
            "answered": report.answered,
            "areas": [vars(area) for area in report.areas],
            "focus": list(report.focus),
        },
        "quiz_count": home.quiz_count,
        "practice": _practice_json(home.practice),
    }


def _quiz_from_json(data: dict[str, Any]) -> QuizSummary:
    mode = str(data["mode"])
    finished = data["finished_at"]
    return QuizSummary(
        session_id=int(data["session_id"]),
        learner=str(data["learner"]),
        mode=mode if is_mode(mode) else "practice",
        areas=tuple(str(area) for area in data["areas"]),
        length=QuizLength.from_dict(data["length"]),
        status=str(data["status"]),
        started_at=dt.datetime.fromisoformat(data["started_at"]),
        finished_at=dt.datetime.fromisoformat(finished) if finished else None,
        answered=int(data["answered"]),
        time_limit_s=None if data["time_limit_s"] is None else int(data["time_limit_s"]),
        time_used_s=float(data["time_used_s"]),
        time_ran_out=bool(data["time_ran_out"]),
    )


def _home_from_json(data: dict[str, Any]) -> HomeData:
    report = data["last_report"]
    return HomeData(
        learner=str(data["learner"]),
        learners=tuple(str(name) for name in data["learners"]),
        areas=tuple(HomeArea(**area) for area in data["areas"]),
        unfinished=tuple(_quiz_from_json(quiz) for quiz in data["unfinished"]),
        last_report=None
        if report is None
        else ReportSummary(
            session_id=int(report["session_id"]),
            moment=dt.datetime.fromisoformat(report["moment"]),
            mode=str(report["mode"]),
            correct=int(report["correct"]),
            answered=int(report["answered"]),
            areas=tuple(AreaResult(**area) for area in report["areas"]),
            focus=tuple(str(title) for title in report["focus"]),
        ),
        quiz_count=int(data["quiz_count"]),
        practice=_practice_from_json(data["practice"]),
    )
