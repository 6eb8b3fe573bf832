"""The rules for opening a database: schema revisions, read-only files, writers that queue."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from engine.db.database import Database
from engine.db.faults import DatabaseReadOnlyError, SchemaMismatchError
from engine.db.migrate import ensure_schema, head_revision
from engine.service.storage import open_database


def test_a_database_from_a_newer_skillprobe_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    database = open_database(url).database
    with database.unit_of_work() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    with pytest.raises(SchemaMismatchError) as raised:
        ensure_schema(database)
    assert str(raised.value) == (
        "the database was set up by a newer skillprobe (schema revision 0099_from_the_future): "
        f"{tmp_path / 'team.db'}; upgrade skillprobe to use it"
    )
    database.dispose()


def test_a_read_only_database_that_needs_an_upgrade_says_who_can_do_it(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    database = open_database(f"sqlite:///{path}").database
    with database.unit_of_work() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0001_initial'"))
    database.dispose()
    reader = Database(f"sqlite:///{path}", read_only_because="the file is not writable by you")
    with pytest.raises(SchemaMismatchError) as raised:
        ensure_schema(reader)
    assert str(raised.value) == (
        f"the database needs an upgrade (0001_initial -> {head_revision()}), which a "
        f"read-only database cannot take: {path}: the file is not writable by you; run "
        "`skillprobe db upgrade` as a user who can write it"
    )
    with pytest.raises(DatabaseReadOnlyError), reader.unit_of_work():  # refused before any SQL
        pass
    reader.dispose()


def test_sqlite_writers_queue_instead_of_failing_with_database_is_locked(tmp_path: Path) -> None:
    """A unit of work that reads and then writes, while another writer commits in between.

    With SQLite's default deferred transactions the first one's read snapshot
    is stale by the time it writes, and SQLite fails it at once (SQLITE_BUSY,
    "database is locked", whatever the busy timeout). Taking the write lock when
    the unit of work begins makes the second writer wait its turn instead.
    """
    url = f"sqlite:///{tmp_path / 'team.db'}"
    first, second = open_database(url).database, Database(url)
    with first.unit_of_work() as session:
        session.execute(
            text("INSERT INTO learners (name, created_at) VALUES ('seed', '2026-01-01')")
        )
    errors: list[BaseException] = []
    read_done = threading.Event()

    def read_then_write() -> None:
        try:
            with first.unit_of_work() as session:
                session.execute(text("SELECT count(*) FROM learners")).scalar()
                read_done.set()
                time.sleep(0.3)  # the other writer tries to commit meanwhile
                session.execute(
                    text("INSERT INTO learners (name, created_at) VALUES ('a', '2026-01-01')")
                )
        except BaseException as error:
            errors.append(error)
            read_done.set()

    thread = threading.Thread(target=read_then_write)
    thread.start()
    read_done.wait(5)
    with second.unit_of_work() as session:
        session.execute(text("INSERT INTO learners (name, created_at) VALUES ('b', '2026-01-01')"))
    thread.join()
    assert errors == []
    with second.reader() as session:
        assert session.execute(text("SELECT count(*) FROM learners")).scalar() == 3
    first.dispose()
    second.dispose()
