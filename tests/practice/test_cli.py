"""`skillprobe practice` and `quiz --time-limit` driven as a user would, on a small bank."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from engine.cli import quiz as quiz_cli
from engine.cli.main import main
from engine.cli.timed_input import TIME_UP, TimedLines
from engine.db.models import PracticeSession, QuizSession
from engine.service.bank_service import import_bank
from engine.service.storage import open_database
from tests.bank.bank_factory import single_item, write_bank
from tests.practice.conftest import TravelClock

TOPICS = {
    "math/probability.yaml": "probability",
    "math/statistics.yaml": "statistics",
    "swe/git.yaml": "git",
}


@pytest.fixture
def small_db(tmp_path: Path) -> str:
    files = {
        path: "".join(
            single_item(f"{topic}-{n:03d}", difficulty=1 + n % 5, prompt=f"{topic} {n}?")
            for n in range(1, 9)
        )
        for path, topic in TOPICS.items()
    }
    url = f"sqlite:///{tmp_path / 'practice.db'}"
    database = open_database(url).database
    outcome = import_bank(database, write_bank(tmp_path / "bank", files))
    assert outcome.summary is not None, outcome.errors
    database.dispose()
    return url


def _run(argv: list[str], monkeypatch, capsys, stdin: str = "", now: str | None = None):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    if now is not None:
        monkeypatch.setenv("SKILLPROBE_NOW", now)
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _count(url: str, table) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(table)))
    finally:
        engine.dispose()


def test_quiz_then_practice_tomorrow_brings_the_misses_back(
    small_db: str, monkeypatch, capsys, tmp_path: Path
) -> None:
    db = ["--db", small_db, "--learner", "ana"]
    code, out, _ = _run(
        ["quiz", "--plain", *db, "--length", "4", "--mode", "exam", "--seed", "1"],
        monkeypatch,
        capsys,
        stdin="?\n" * 4,  # skipped: missed, as far as practice is concerned
        now="2026-03-02T10:00:00Z",
    )
    assert code == 0 and "Quiz 1 finished: 0 of 4 correct." in out

    code, out, _ = _run(["practice", "status", *db, "--json"], monkeypatch, capsys)
    status = json.loads(out)
    assert code == 0
    assert {"due_now", "due_7d", "topics"} <= set(status)
    assert (status["due_now"], status["due_7d"]) == (0, 4)

    code, out, _ = _run(
        ["practice", "--plain", *db, "--count", "6", "--seed", "2"],
        monkeypatch,
        capsys,
        stdin="1\n" * 6,
        now="2026-03-03T09:00:00Z",
    )
    assert code == 0, out
    assert out.count("Review: you missed this before") == 4
    assert out.count("New question (predicted chance of success") == 2
    assert "Practice answers never change your readiness estimates." in out
    assert re.search(r"Practice session 1 finished: \d of 6 right\.", out)
    assert out.index("Review") < out.index("New question")

    code, out, _ = _run(["practice", "status", *db], monkeypatch, capsys)
    assert re.search(r"Due now: 0   Due within 7 days: [4-9]", out)

    deck = tmp_path / "missed.apkg"
    code, out, _ = _run(["practice", "export", *db, "--anki", str(deck)], monkeypatch, capsys)
    assert code == 0 and deck.exists()
    assert re.search(rf"Wrote [4-9] notes to {re.escape(str(deck))}", out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--count", "0"], "--count 0 is out of range; give a number from 1 to 100"),
        (["--count", "banana"], "--count 'banana' is not a whole number"),
        (["--topics", "gitt"], "unknown topic 'gitt'; did you mean 'git'?"),
        (["--areas", "physics"], "unknown area 'physics'"),
        (["--target", "lots"], "--target 'lots' is not a number"),
        (["--topics", "git", "--areas", "swe"], "not allowed with argument"),
    ],
)
def test_bad_practice_input_is_one_line_and_exit_1(
    small_db: str, monkeypatch, capsys, argv: list[str], message: str
) -> None:
    code, _, err = _run(["practice", "--plain", "--db", small_db, *argv], monkeypatch, capsys)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _count(small_db, PracticeSession) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--time-limit", "-5m"], "time limit '-5m' must be positive; write e.g. 90s, 30m or 1h"),
        (["--time-limit=-5m"], "time limit '-5m' must be positive"),
        (["--time-limit", "banana"], "time limit 'banana' is not a duration"),
        (["--time-limit", "5s"], "must be between 10 seconds and 24 hours"),
        (["--length", "banana"], "argument --length: invalid int value: 'banana'"),
    ],
)
def test_bad_time_limits_are_one_line_and_exit_1(
    small_db: str, monkeypatch, capsys, argv: list[str], message: str
) -> None:
    code, _, err = _run(["quiz", "--plain", "--db", small_db, *argv], monkeypatch, capsys)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _count(small_db, QuizSession) == 0


def test_a_bad_skillprobe_now_is_one_line(small_db: str, monkeypatch, capsys) -> None:
    code, _, err = _run(
        ["practice", "status", "--db", small_db], monkeypatch, capsys, now="next tuesday"
    )
    assert code == 1
    assert err.strip() == (
        "skillprobe: error: SKILLPROBE_NOW='next tuesday' is not an ISO 8601 instant; write "
        "e.g. 2026-03-02T09:30:00Z or 2026-03-02"
    )


def test_a_timed_plain_quiz_finishes_at_zero_while_waiting(
    small_db: str, monkeypatch, capsys
) -> None:
    """Nobody answers the second question: at zero the quiz finishes and says so."""
    clock = TravelClock()
    monkeypatch.setattr(quiz_cli, "clock_or_exit", lambda: clock)
    read_end, write_end = os.pipe()
    os.write(write_end, b"1\n")  # the first answer; then the pipe stays open and silent
    stdin = os.fdopen(read_end, "r")
    monkeypatch.setattr(sys, "stdin", stdin)

    real_next = TimedLines.next

    def next_line(self, timeout):
        clock.seconds += 31  # the learner thinks for 31 s about every question
        return real_next(self, max(0.0, timeout - 31))

    monkeypatch.setattr(TimedLines, "next", next_line)
    try:
        code = main(
            [
                "quiz",
                "--plain",
                "--db",
                small_db,
                "--time-limit",
                "1m",
                "--length",
                "5",
                "--seed",
                "1",
            ]
        )
    finally:
        os.close(write_end)
        stdin.close()
    out, _ = capsys.readouterr()
    assert code == 0
    assert "time limit 1 min" in out
    assert "Time left 1:00" in out and "Time left 0:29" in out
    assert "Time ran out after 1 question; the questions not reached are not held" in out
    assert re.search(r"Quiz 1 finished: [01] of 1 correct\.", out)


def test_timed_lines_give_up_waiting() -> None:
    lines = TimedLines(iter(["a", None]).__next__)
    assert lines.next(1.0) == "a"
    assert lines.next(1.0) is None
    silent = TimedLines(lambda: __import__("time").sleep(5) or None)
    assert silent.next(0.05) is TIME_UP
