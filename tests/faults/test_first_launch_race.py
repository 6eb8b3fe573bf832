"""Twenty learners start skillprobe at the same moment on one database.

Issue #10, fault 3: on an empty database 19 of 20 failed on PostgreSQL (duplicate
key on ``pk_areas``, ``DuplicateTable``) and 15 of 20 on SQLite; with a changed
shipped bank 10 and 15 of 20 failed on ``uq_item_versions_item_id``. Migrations
and bank imports now run under a lock (a PostgreSQL advisory lock; SQLite's
write lock taken up front): one process does the work, the others wait, look
again and go on. Each case starts 20 real `skillprobe quiz --plain` processes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text, update

from engine.db.models import BankImport, Item, ItemVersion, Learner, QuizSession
from engine.service.bank_service import import_bank
from engine.service.storage import open_database
from tests.faults.conftest import CLI, LEAKS, cli_environment

pytestmark = pytest.mark.slow

LEARNERS = 20
CHANGED_ITEMS = 40


def _start_together(url: str, folder: Path) -> list[tuple[int, str]]:
    """Start 20 quizzes at once (each exits after its first question: end of input)."""
    processes = [
        subprocess.Popen(
            [*CLI, "quiz", "--plain", "--length", "2", "--learner", f"learner-{n}", "--db", url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_environment(folder),
        )
        for n in range(LEARNERS)
    ]
    return [(process.wait(timeout=600), process.stderr.read()) for process in processes]  # type: ignore[union-attr]


def _assert_all_succeeded(results: list[tuple[int, str]]) -> None:
    failures = [stderr.strip().splitlines()[-1:] for code, stderr in results if code != 0]
    assert failures == [], f"{len(failures)} of {LEARNERS} failed: {failures[:3]}"
    for _, stderr in results:
        for leak in LEAKS:
            assert leak not in stderr


def _count(url: str, statement: object) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(statement).scalar() or 0)  # type: ignore[call-overload]
    finally:
        engine.dispose()


def test_twenty_first_launches_on_an_empty_database_all_succeed(
    database_url: str, tmp_path: Path
) -> None:
    results = _start_together(database_url, tmp_path)
    _assert_all_succeeded(results)
    # Exactly one of them set the database up, and said where.
    assert sum("skillprobe: created a new database" in stderr for _, stderr in results) == 1
    assert _count(database_url, select(func.count()).select_from(BankImport)) == 1
    assert _count(database_url, select(func.count()).select_from(Learner)) == LEARNERS
    assert _count(database_url, select(func.count()).select_from(QuizSession)) == LEARNERS
    items = _count(database_url, select(func.count()).select_from(Item))
    assert items > 700
    assert _count(database_url, select(func.count()).select_from(ItemVersion)) == items


def test_twenty_first_launches_on_a_changed_bank_import_it_once(
    database_url: str, tmp_path: Path
) -> None:
    opened = open_database(database_url)
    assert import_bank(opened.database).summary is not None
    opened.database.dispose()
    # The shipped bank "changed" since that import: 40 items' stored content differs
    # from the files, and the last import's fingerprint no longer matches them.
    engine = create_engine(database_url)
    with engine.begin() as connection:
        changed = [
            row[0]
            for row in connection.execute(select(Item.id).order_by(Item.id).limit(CHANGED_ITEMS))
        ]
        connection.execute(
            update(ItemVersion).where(ItemVersion.item_id.in_(changed)).values(content_hash="old")
        )
        connection.execute(update(BankImport).values(fingerprint="old"))
    engine.dispose()

    _assert_all_succeeded(_start_together(database_url, tmp_path))
    assert _count(database_url, select(func.count()).select_from(BankImport)) == 2
    versions = text(
        "SELECT count(*) FROM item_versions WHERE item_id IN "
        f"({', '.join(repr(item) for item in changed)})"
    )
    assert _count(database_url, versions) == 2 * CHANGED_ITEMS
    current = text(
        "SELECT count(*) FROM (SELECT item_id FROM item_versions WHERE is_current "
        "GROUP BY item_id HAVING count(*) > 1) AS doubled"
    )
    assert _count(database_url, current) == 0
