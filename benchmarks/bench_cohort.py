"""The cohort report on 500 learners x 5 quizzes: under a second, on SQLite and PostgreSQL.

Usage: .venv/bin/python benchmarks/bench_cohort.py [--learners N] [--quizzes Q]
       [--per-area K] [--repeat R] [--db URL] [--sample S]

A database (a SQLite file; also ``--db postgresql://...``, whose public schema is
emptied first) gets the shipped bank and ``--learners`` simulated learners
(default 500), each with ``--quizzes`` quizzes (default 5) of ``--per-area``
answers in each of the four areas (default 10: 100,000 answers), answered with
the 3PL probability at a true ability that grows a little between quizzes,
one topic per area harder for everyone. All of them are put in one cohort.

Timed, best of ``--repeat`` (wall clock and process CPU; the machine is shared):

* the whole `CohortService.report` call (reading, computing, prompts);
* the reference, in the same run: what the same numbers cost through the
  individual report, `QuizService.report` of each member's latest quiz, timed
  on ``--sample`` members (default 40) and scaled to all of them;
* the pooled topic model alone: `pooled_topic_effects` on the cohort grid
  against `engine.irt.topics.topic_effects` (one session at a time) on the
  same sessions, and their largest p-value difference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, insert, text

from engine.db import cohort_store, quiz_store
from engine.db.models import Learner, QuizSession, Response
from engine.irt.model import probability
from engine.irt.topics import TopicSession, topic_effects
from engine.quiz.codecs import QuizSettings
from engine.quiz.model import QuizLength
from engine.report.cohort_topics import COHORT_GRID, TopicAnswers, pooled_topic_effects
from engine.service.bank_service import import_bank
from engine.service.cohort_service import CohortService, cohort_data
from engine.service.quiz_service import QuizService
from engine.service.storage import open_database

# The same timing as the calibration benchmark (best wall clock and best CPU of several runs).
from bench_calibration import Timing, best_of  # isort: skip

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def populate(url: str, args: argparse.Namespace) -> tuple[Any, int]:
    """The bank and the simulated cohort, written in bulk; returns the database and answers."""
    database = open_database(url).database
    outcome = import_bank(database)
    assert outcome.summary is not None, outcome.errors
    rng = np.random.default_rng(args.seed)
    with database.reader() as session:
        items = [item for item in quiz_store.current_items(session) if not item.retired]
        areas = [area.id for area in quiz_store.area_infos(session)]
    by_area = {area: [item for item in items if item.area == area] for area in areas}
    hard_topic = {area: by_area[area][0].topic for area in areas}
    settings = QuizSettings(QuizLength(preset=None, length=args.per_area * len(areas))).to_json()
    answers = 0
    with database.unit_of_work() as session:
        session.execute(
            insert(Learner),
            [{"name": f"learner-{k:04d}", "created_at": START} for k in range(args.learners)],
        )
        learner_ids = [
            quiz_store.learner_id(session, f"learner-{k:04d}", create=False)
            for k in range(args.learners)
        ]
        quiz_rows = []
        for k, learner in enumerate(learner_ids):
            for q in range(args.quizzes):
                started = START + dt.timedelta(days=7 * q, minutes=k)
                quiz_rows.append(
                    {
                        "learner_id": learner,
                        "status": "finished",
                        "mode": "practice",
                        "areas": list(areas),
                        "settings": settings,
                        "seed": k * 100 + q,
                        "started_at": started,
                        "finished_at": started + dt.timedelta(minutes=20),
                    }
                )
        session.execute(insert(QuizSession), quiz_rows)
        quiz_ids = list(session.scalars(text("SELECT id FROM quiz_sessions ORDER BY id")))
        thetas = rng.normal(-0.3, 1.0, (args.learners, len(areas)))
        response_rows = []
        for index, quiz_id in enumerate(quiz_ids):
            learner, q = divmod(index, args.quizzes)
            position = 0
            for a, area in enumerate(areas):
                theta = thetas[learner, a] + 0.15 * q
                for item_index in rng.choice(len(by_area[area]), args.per_area, replace=False):
                    item = by_area[area][int(item_index)]
                    shift = -0.8 if item.topic == hard_topic[area] else 0.0
                    right = rng.random() < float(probability(theta + shift, item.a, item.b, item.c))
                    position += 1
                    response_rows.append(
                        {
                            "session_id": quiz_id,
                            "item_version_id": item.version_id,
                            "parameter_set_id": item.parameter_set_id,
                            "position": position,
                            "option_order": None,
                            "raw_answer": "{}",
                            "correct": bool(right),
                            "skipped": False,
                            "response_time_ms": 1000,
                            "answered_at": quiz_rows[index]["started_at"],
                        }
                    )
        for start in range(0, len(response_rows), 20_000):
            session.execute(insert(Response), response_rows[start : start + 20_000])
        answers = len(response_rows)
    CohortService(database).add("bench", [f"learner-{k:04d}" for k in range(args.learners)])
    return database, answers


def topic_sessions(database: Any) -> tuple[list[TopicSession], TopicAnswers, int]:
    """The cohort's sessions (one quiz's answers in one area), for the topic-model comparison."""
    with database.reader() as session:
        cohort = cohort_store.cohort_id(session, "bench")
        assert cohort is not None
        activity = cohort_store.cohort_activity(session, cohort, dt.datetime.now(dt.UTC))
        areas = quiz_store.area_infos(session)
    data = cohort_data("bench", areas, activity)
    keys = sorted({(item.area, item.topic) for item in data.items})
    code = {key: k for k, key in enumerate(keys)}
    answers = data.answers
    topic = np.array([code[(item.area, item.topic)] for item in data.items])[answers.item]
    area_of_item = np.array([[a.id for a in areas].index(item.area) for item in data.items])
    _, session_of = np.unique(
        answers.quiz * len(areas) + area_of_item[answers.item], return_inverse=True
    )
    n_sessions = int(session_of.max()) + 1
    flat = TopicAnswers(
        answers.a,
        answers.b,
        answers.c,
        answers.correct.astype(float),
        topic,
        session_of,
        np.zeros(n_sessions),
        np.ones(n_sessions),
    )
    order = np.argsort(session_of, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(session_of[order]) != 0])
    sessions = [
        TopicSession(
            answers.a[rows],
            answers.b[rows],
            answers.c[rows],
            topic[rows],
            answers.correct[rows].astype(float),
        )
        for rows in np.split(order, starts[1:])
    ]
    return sessions, flat, len(keys)


def run(url: str, label: str, args: argparse.Namespace) -> None:
    size = f"{args.learners} learners x {args.quizzes} quizzes x 4 areas x {args.per_area}"
    print(f"\n{label}: {size} answers")
    started = time.perf_counter()
    database, answers = populate(url, args)
    print(f"  populated in {time.perf_counter() - started:.1f} s: {answers:,} answers")
    cohorts = CohortService(database)
    ours, report = best_of(args.repeat, lambda: cohorts.report("bench"))
    assert report is not None
    print(f"  cohort report (whole service call):      {ours}  best of {args.repeat}")
    weak = ", ".join(t.topic for t in report.weak_topics) or "none"
    print(f"    weak topics called: {weak}")

    quizzes = QuizService(database)
    sample = [
        f"learner-{k:04d}" for k in range(0, args.learners, max(1, args.learners // args.sample))
    ][: args.sample]

    def individual() -> None:
        for name in sample:
            latest = quizzes.latest_quiz(name)
            assert latest is not None
            quizzes.report(latest.session_id)

    theirs, _ = best_of(1, individual)
    scale = args.learners / len(sample)
    scaled = Timing(theirs.wall * scale, theirs.cpu * scale)
    print(
        f"  reference: {len(sample)} individual reports {theirs}; for all {args.learners}: {scaled}"
    )
    print(
        f"  ratio: the cohort report is {scaled.wall / ours.wall:.0f}x faster (wall), "
        f"{scaled.cpu / ours.cpu:.0f}x (CPU)"
    )

    sessions, flat, n_topics = topic_sessions(database)
    pooled_time, pooled = best_of(
        args.repeat, lambda: pooled_topic_effects(flat, n_topics, theta_grid=COHORT_GRID)
    )
    one_time, one = best_of(1, lambda: topic_effects(sessions, n_topics))
    difference = float(np.nanmax(np.abs(pooled.p_value - one.p_value)))
    print(
        f"  topic model, {len(sessions):,} sessions: pooled (array form, 0.2 grid) {pooled_time}; "
        f"topic_effects (one session at a time, 0.1 grid) {one_time}; "
        f"{one_time.wall / pooled_time.wall:.1f}x; largest p-value difference {difference:.1e}"
    )
    database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--quizzes", type=int, default=5)
    parser.add_argument("--per-area", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--db", metavar="URL", help="also run on this PostgreSQL database (emptied)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'cohort.db'}", "SQLite", args)
    if args.db:
        engine = create_engine(args.db.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        run(args.db, "PostgreSQL", args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
