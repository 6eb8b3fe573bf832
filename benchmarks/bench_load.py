"""A class at once: 50 learners answering 30 questions each, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_load.py [--url URL ...] [--learners 50] [--answers 30]
                                              [--runs 3] [--no-reference] [--json]

Each learner is a process of its own (forked after the imports, as 50
terminals would be 50 processes) that opens the database, starts a quiz and
answers it through `QuizService`, the code `quiz --plain` runs: every answer is
committed before the next question is chosen. All start together (a barrier).

Checked, every run: all answers stored, none twice (no quiz has a position or
an item twice), and no error at all (a "database is locked" would be one).
Measured: answers per second over the whole run (choosing questions included),
and the time of each save (`QuizService.submit`: grade, commit, feedback),
p50 and p99.

Reference, in the same run: the same number of processes inserting as many
rows of the same size through the bare driver (sqlite3 with the same WAL and
synchronous settings, or psycopg), one transaction per row. It is the floor
for the storage alone; the ratio is what choosing the next question, the ORM
and the checks around a save cost on top.

URLs: a temporary SQLite file, and PostgreSQL when SKILLPROBE_BENCH_POSTGRES_URL
(or SKILLPROBE_TEST_DATABASE_URL) is set: a schema of its own, dropped after.
The best of --runs runs is reported (the machine may be shared). With --json
one JSON object per URL is printed instead (the fault suite's load test reads it).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import multiprocessing
import os
import queue
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from engine.db.timeouts import Timeouts  # noqa: E402
from engine.quiz.answer_input import parse_answer  # noqa: E402
from engine.quiz.model import Answer, QuizLength, QuizRequest  # noqa: E402
from engine.service.bank_service import ensure_bank_imported  # noqa: E402
from engine.service.quiz_service import QuizService  # noqa: E402
from engine.service.storage import open_database  # noqa: E402
from engine.service.storage_errors import StorageError  # noqa: E402

SCHEMA = "skillprobe_bench_load"
HANG_SECONDS = 900  # a worker still running after this is stuck: print its stack and stop


@dataclass
class LearnerResult:
    index: int
    answered: int = 0
    save_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RunResult:
    url: str
    learners: int
    answers_each: int
    stored: int
    duplicate_positions: int
    repeated_items: int
    errors: list[str]
    seconds: float
    answers_per_second: float
    save_p50_ms: float
    save_p99_ms: float
    reference_rows_per_second: float | None = None
    reference_p99_ms: float | None = None

    @property
    def ok(self) -> bool:
        expected = self.learners * self.answers_each
        return (
            self.stored == expected
            and not self.errors
            and not self.duplicate_positions
            and not self.repeated_items
        )


def _answer_for(question: Any) -> Answer:
    """Option 1, True, the number 1 or the text "1": valid for every question type."""
    answer = parse_answer(question, "1")
    assert isinstance(answer, Answer)
    return answer


def _learner(url: str, index: int, answers: int, barrier: Any, results: Any) -> None:
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)  # a hang shows where, then ends
    result = LearnerResult(index)
    try:
        opened = open_database(url)
        service = QuizService(opened.database, seed_source=lambda: 1000 + index)
        service.areas()  # the bank, loaded before the start signal as a terminal would have
        barrier.wait()
        quiz = service.start_quiz(
            QuizRequest(f"load-{index}", (), "practice", QuizLength(preset=None, length=answers))
        )
        while (question := service.next_question(quiz.session_id)) is not None:
            started = time.perf_counter()
            try:
                service.submit(question, _answer_for(question), 1000)
            except StorageError as error:
                result.errors.append(f"{type(error).__name__}: {error}")
                continue
            result.save_seconds.append(time.perf_counter() - started)
            result.answered += 1
        opened.database.dispose()
    except Exception as error:  # reported, never hidden: any error fails the run
        result.errors.append(f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
        if not barrier.broken:
            barrier.abort()
    results.put(result)


def _reference_worker(url: str, index: int, rows: int, barrier: Any, results: Any) -> None:
    """The floor: the same number of rows of an answer's size, inserted by the bare driver."""
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    result = LearnerResult(index)
    payload = '{"choices": [0], "value": null, "text": "", "skipped": false}'
    try:
        insert, connection = _bare_connection(url)
        barrier.wait()
        for number in range(rows):
            started = time.perf_counter()
            insert(connection, index, number, payload)
            result.save_seconds.append(time.perf_counter() - started)
            result.answered += 1
        connection.close()
    except Exception as error:
        result.errors.append(f"{type(error).__name__}: {error}")
        if not barrier.broken:
            barrier.abort()
    results.put(result)


def _bare_connection(url: str) -> tuple[Any, Any]:
    """An insert function and a connection of the bare driver for `url`."""
    return _bare_sqlite(url) if url.startswith("sqlite") else _bare_postgresql(url)


def _bare_sqlite(url: str) -> tuple[Any, Any]:
    import sqlite3

    # The same settings as skillprobe's SQLite connections: WAL, NORMAL sync, the lock wait.
    connection = sqlite3.connect(
        url.split("///", 1)[1], timeout=Timeouts().lock, isolation_level=None
    )
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")

    def insert(c: Any, learner: int, number: int, payload: str) -> None:
        c.execute("BEGIN IMMEDIATE")
        c.execute(
            "INSERT INTO bare_answers (learner, position, raw_answer) VALUES (?, ?, ?)",
            (learner, number, payload),
        )
        c.execute("COMMIT")

    return insert, connection


def _bare_postgresql(url: str) -> tuple[Any, Any]:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    connection = psycopg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
        options=str(parsed.query.get("options", "")),
        autocommit=True,
    )

    def insert(c: Any, learner: int, number: int, payload: str) -> None:
        c.execute(
            "INSERT INTO bare_answers (learner, position, raw_answer) VALUES (%s, %s, %s)",
            (learner, number, payload),
        )

    return insert, connection


def _run_processes(
    target: Any, url: str, learners: int, answers: int
) -> tuple[list[LearnerResult], float]:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(learners + 1)
    results = context.Queue()
    processes = [
        context.Process(target=target, args=(url, n, answers, barrier, results))
        for n in range(learners)
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=600)
    started = time.perf_counter()
    collected: list[LearnerResult] = []
    for _ in processes:  # read every result before joining, or a full pipe blocks the worker
        try:
            collected.append(results.get(timeout=HANG_SECONDS + 60))
        except queue.Empty:
            break
    seconds = time.perf_counter() - started
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
    lost = len(processes) - len(collected)
    if lost:
        collected.append(LearnerResult(-1, errors=[f"{lost} workers never reported"]))
    return collected, seconds


def _percentile_ms(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _stored(url: str) -> tuple[int, int, int]:
    """Answers of the load learners; positions stored twice; items asked twice in a quiz."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    learners = "SELECT id FROM learners WHERE name LIKE 'load-%'"
    quizzes = f"SELECT id FROM quiz_sessions WHERE learner_id IN ({learners})"
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                text(f"SELECT count(*) FROM responses WHERE session_id IN ({quizzes})")
            ).scalar()
            positions = connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT session_id, position FROM responses "
                    f"WHERE session_id IN ({quizzes}) GROUP BY session_id, position "
                    "HAVING count(*) > 1) AS twice"
                )
            ).scalar()
            items = connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT r.session_id, v.item_id FROM responses r "
                    "JOIN item_versions v ON v.id = r.item_version_id "
                    f"WHERE r.session_id IN ({quizzes}) GROUP BY r.session_id, v.item_id "
                    "HAVING count(*) > 1) AS repeated"
                )
            ).scalar()
    finally:
        engine.dispose()
    return int(stored or 0), int(positions or 0), int(items or 0)


def _reset(url: str) -> None:
    """Start each run from no load learners, and an empty scratch table for the reference."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    learners = "SELECT id FROM learners WHERE name LIKE 'load-%'"
    quizzes = f"SELECT id FROM quiz_sessions WHERE learner_id IN ({learners})"
    with engine.begin() as connection:
        connection.execute(text(f"DELETE FROM responses WHERE session_id IN ({quizzes})"))
        connection.execute(text(f"DELETE FROM quiz_sessions WHERE id IN ({quizzes})"))
        connection.execute(text("DELETE FROM learners WHERE name LIKE 'load-%'"))
        connection.execute(text("DROP TABLE IF EXISTS bare_answers"))
        connection.execute(
            text(
                "CREATE TABLE bare_answers (id INTEGER PRIMARY KEY"
                + (" GENERATED ALWAYS AS IDENTITY" if engine.dialect.name == "postgresql" else "")
                + ", learner INTEGER, position INTEGER, raw_answer TEXT, "
                "UNIQUE (learner, position))"
            )
        )
    engine.dispose()


def measure(url: str, learners: int, answers: int, *, reference: bool) -> RunResult:
    _reset(url)
    results, seconds = _run_processes(_learner, url, learners, answers)
    saves = [s for r in results for s in r.save_seconds]
    errors = [e for r in results for e in r.errors]
    stored, positions, items = _stored(url)
    outcome = RunResult(
        url=url,
        learners=learners,
        answers_each=answers,
        stored=stored,
        duplicate_positions=positions,
        repeated_items=items,
        errors=errors,
        seconds=seconds,
        answers_per_second=stored / seconds if seconds else float("nan"),
        save_p50_ms=_percentile_ms(saves, 0.50),
        save_p99_ms=_percentile_ms(saves, 0.99),
    )
    if not reference:
        return outcome
    bare, bare_seconds = _run_processes(_reference_worker, url, learners, answers)
    bare_saves = [s for r in bare for s in r.save_seconds]
    return RunResult(
        **{
            **asdict(outcome),
            "reference_rows_per_second": len(bare_saves) / bare_seconds,
            "reference_p99_ms": _percentile_ms(bare_saves, 0.99),
        }
    )


def _prepare(url: str) -> None:
    opened = open_database(url)
    ensure_bank_imported(opened.database)
    opened.database.dispose()


def _postgres_url() -> str | None:
    base = os.environ.get("SKILLPROBE_BENCH_POSTGRES_URL") or os.environ.get(
        "SKILLPROBE_TEST_DATABASE_URL"
    )
    if not base:
        return None
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{SCHEMA}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", action="append", help="database URL (repeatable)")
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="skillprobe-load-")
    urls = args.url or [f"sqlite:///{Path(scratch.name) / 'load.db'}"]
    postgres = None if args.url else _postgres_url()
    if postgres:
        urls.append(postgres)
    failed = False
    if not args.json:
        print(
            f"{args.learners} learners x {args.answers} answers, best of {args.runs} "
            f"(os.cpu_count() = {os.cpu_count()})\n"
        )
        print(
            f"{'database':<12}{'stored':>8}{'answers/s':>11}{'save p50':>10}{'save p99':>10}"
            f"{'bare rows/s':>13}{'bare p99':>10}{'ratio':>8}"
        )
    for url in urls:
        _prepare(url)
        runs = [
            measure(url, args.learners, args.answers, reference=not args.no_reference)
            for _ in range(args.runs)
        ]
        best = max(runs, key=lambda run: (run.ok, run.answers_per_second))
        failed = failed or not all(run.ok for run in runs)
        if args.json:
            print(json.dumps({**asdict(best), "ok": all(run.ok for run in runs)}))
            continue
        name = "sqlite" if url.startswith("sqlite") else "postgresql"
        reference = best.reference_rows_per_second
        ratio = f"{best.answers_per_second / reference:.3f}" if reference else "-"
        print(
            f"{name:<12}{best.stored:>8}{best.answers_per_second:>11.0f}"
            f"{best.save_p50_ms:>8.1f}ms{best.save_p99_ms:>8.1f}ms"
            f"{reference or float('nan'):>13.0f}{best.reference_p99_ms or float('nan'):>8.1f}ms"
            f"{ratio:>8}"
        )
        for run in runs:
            for error in run.errors[:3]:
                print(f"  error: {error}")
    if not args.json:
        print("\nratio: skillprobe answers/s over bare-driver inserts/s (the storage floor)")
    scratch.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
