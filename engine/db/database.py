"""Connecting to the database, with the settings skillprobe relies on.

SQLite is the zero-setup default (a file in the user's data directory); a
PostgreSQL URL (psycopg 3) serves a team. Either way:

* every error that leaves a unit of work, a connection or the engine is a
  `StorageError` (`engine.db.faults`), translated where it happens;
* pooled connections are checked before use (``pool_pre_ping``), so a server
  restart between two answers costs one reconnect, not an error;
* nothing waits for ever (`engine.db.timeouts`): connect, statement and lock
  timeouts on PostgreSQL; on SQLite the busy timeout and a progress handler
  that interrupts a statement running past the statement timeout;
* on SQLite a unit of work takes the write lock when it begins (``BEGIN
  IMMEDIATE``), so two writers queue on the busy timeout instead of one of
  them failing at once with "database is locked" when it upgrades a read
  lock; readers begin deferred and never block writers (WAL);
* first-launch work (migrations, bank imports) runs in `setup_transaction`,
  under a lock the other processes wait for (a PostgreSQL advisory lock per
  schema; SQLite's write lock, waited for up to the setup timeout).
"""

from __future__ import annotations

import sqlite3
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from engine.db.classify import FaultContext, read_only, translated_faults
from engine.db.faults import DatabaseBusyError
from engine.db.location import (
    DATABASE_URL_VARIABLE,
    DatabaseLocation,
    check_url,
    default_database_path,
    locate_database,
    normalise_url,
)
from engine.db.timeouts import SETUP_TIMEOUT_VARIABLE, Timeouts, timeouts_from_environment

__all__ = [
    "DATABASE_URL_VARIABLE",
    "Database",
    "create_database_engine",
    "default_database_path",
    "normalise_url",
    "resolve_database_url",
    "sqlite_path",
]

# Execution options read by the event handlers below.
_WRITES = "skillprobe_writes"  # begin with the write lock (SQLite: BEGIN IMMEDIATE)
_STATEMENT_TIMEOUT = "skillprobe_statement_timeout"  # seconds, for SQLite's progress handler
_CLOCK = "skillprobe_statement_clock"  # where a SQLite connection's _StatementClock is kept
# SQLite calls the progress handler every this many virtual-machine steps (~1 ms of work).
_PROGRESS_STEPS = 10_000
# Two 32-bit keys name PostgreSQL's setup lock: this constant and the schema's hash.
_SETUP_LOCK_KEY = 0x5B1_7E57


def resolve_database_url(explicit: str | None = None) -> str:
    """The URL given on the command line, else the environment, else the default file."""
    return locate_database(explicit).url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    return check_url(url).sqlite_file


def effective_timeouts(location: DatabaseLocation, timeouts: Timeouts) -> Timeouts:
    """`timeouts`, with what the URL itself sets (it wins) put in their place."""
    query = make_url(location.url).query
    if location.is_sqlite and "timeout" in query:
        return replace(timeouts, lock=float(str(query["timeout"])))
    if not location.is_sqlite and "connect_timeout" in query:
        return replace(timeouts, connect=float(str(query["connect_timeout"])))
    return timeouts


def create_database_engine(
    url: str,
    timeouts: Timeouts | None = None,
    *,
    read_only_because: str = "",
    wal: bool = True,
) -> Engine:
    """An engine with skillprobe's settings; read-only (SQLite) when a reason is given.

    `wal` switches a SQLite file to WAL journaling when it connects, which is a
    write: commands that only read leave the file as it is.
    """
    location = check_url(url)
    timeouts = effective_timeouts(location, timeouts or timeouts_from_environment())
    if location.is_sqlite:
        read_only = bool(read_only_because)
        return _sqlite_engine(location, timeouts, read_only=read_only, wal=wal and not read_only)
    return _postgresql_engine(location, timeouts)


def _postgresql_engine(location: DatabaseLocation, timeouts: Timeouts) -> Engine:
    query = make_url(location.url).query
    options = str(query.get("options", ""))
    extra = []
    if "statement_timeout" not in options:
        extra.append(f"-c statement_timeout={round(timeouts.statement * 1000)}")
    if "lock_timeout" not in options:
        extra.append(f"-c lock_timeout={round(timeouts.lock * 1000)}")
    connect_args: dict[str, Any] = {"options": " ".join([options, *extra]).strip()}
    if "connect_timeout" not in query:
        connect_args["connect_timeout"] = timeouts.connect_whole_seconds
    # A host that vanishes mid-session is noticed by TCP keepalives (about 25 s) rather
    # than after the kernel's retransmissions give up (about 15 minutes).
    for name, value in (("keepalives", 1), ("keepalives_idle", 10), ("keepalives_interval", 5)):
        if name not in query:
            connect_args[name] = value
    if "keepalives_count" not in query:
        connect_args["keepalives_count"] = 3
    return create_engine(location.url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(
    location: DatabaseLocation, timeouts: Timeouts, *, read_only: bool, wal: bool
) -> Engine:
    options: dict[str, Any] = {"pool_pre_ping": True}
    path = location.sqlite_file
    if read_only and path is not None:
        uri = _read_only_uri(path)
        options["creator"] = lambda: sqlite3.connect(
            uri, uri=True, timeout=timeouts.lock, check_same_thread=False
        )
    elif "timeout" not in make_url(location.url).query:
        options["connect_args"] = {"timeout": timeouts.lock}
    engine = create_engine(location.url, **options)

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection: Any, record: Any) -> None:
        # Transactions are begun by the "begin" handler below, not by the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
                # WAL makes NORMAL durable across application crashes (not power loss).
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()
        if timeouts.statement > 0:
            clock = _StatementClock()
            dbapi_connection.set_progress_handler(clock, _PROGRESS_STEPS)
            record.info[_CLOCK] = clock

    @event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(_WRITES, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes and not read_only else "BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def start_clock(connection: Connection, *_: Any) -> None:
        clock = connection.connection.info.get(_CLOCK)
        if clock is not None:
            seconds = connection.get_execution_options().get(_STATEMENT_TIMEOUT, timeouts.statement)
            clock.deadline = time.monotonic() + seconds if seconds > 0 else None

    return engine


def _read_only_uri(path: Path) -> str:
    """A SQLite URI that opens `path` for reading only.

    A WAL database needs its ``-shm`` file even to be read; when the folder is
    not writable and no ``-shm`` exists, SQLite cannot create one, so the file is
    opened as immutable instead, which is safe only because there is no ``-wal``
    with unmerged changes either (then the file alone is the whole database).
    """
    quoted = urllib.parse.quote(str(path))
    shm = path.with_name(path.name + "-shm")
    wal = path.with_name(path.name + "-wal")
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if not shm.exists() and wal_empty:
        return f"file:{quoted}?mode=ro&immutable=1"
    return f"file:{quoted}?mode=ro"


class _StatementClock:
    """SQLite's progress handler: interrupt the statement once its deadline passes."""

    def __init__(self) -> None:
        self.deadline: float | None = None

    def __call__(self) -> int:
        return 1 if self.deadline is not None and time.monotonic() > self.deadline else 0


class Database:
    """An engine and two session factories (writers and readers); a session per unit of work.

    `read_only_because` opens a SQLite file for reading only (the shells do it
    for reading commands when the file or its folder cannot be written), and
    is the reason a refused write gives. Without `wal` a SQLite file is not
    switched to WAL journaling (reading commands change nothing).
    """

    def __init__(
        self,
        url: str,
        *,
        timeouts: Timeouts | None = None,
        read_only_because: str = "",
        wal: bool = True,
    ) -> None:
        self.location = check_url(url)
        self.url = self.location.url
        self.timeouts = effective_timeouts(self.location, timeouts or timeouts_from_environment())
        self.read_only_because = read_only_because
        self.faults = FaultContext(self.location, self.timeouts, read_only_because)
        with translated_faults(self.faults):
            self.engine = create_database_engine(
                self.url, self.timeouts, read_only_because=read_only_because, wal=wal
            )
        self._writers = sessionmaker(
            self.engine.execution_options(**{_WRITES: True}), expire_on_commit=False
        )
        self._readers = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_because)

    @property
    def backend(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.location.backend

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back if it raises."""
        self._refuse_writes()
        with translated_faults(self.faults), self._writers.begin() as session:
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        with translated_faults(self.faults), self._readers() as session:
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection (schema checks); faults come out as `StorageError`s."""
        with translated_faults(self.faults), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def setup_transaction(self) -> Iterator[Connection]:
        """A transaction for first-launch work, holding the setup lock until it commits.

        Other processes wait (up to the setup timeout) and then see the finished
        work; so whoever takes the lock checks again whether the work is still
        needed. Statements in it may run for as long as the setup timeout.
        """
        self._refuse_writes()
        seconds = self.timeouts.setup
        with translated_faults(self.faults), self.engine.connect() as connection:
            connection.execution_options(**{_WRITES: True, _STATEMENT_TIMEOUT: seconds})
            try:
                with self._waiting_for_setup(connection, seconds), connection.begin():
                    if self.backend == "postgresql":
                        _take_postgresql_setup_lock(connection, seconds)
                    yield connection
            finally:
                self._restore_busy_timeout(connection)

    @contextmanager
    def setup_session(self) -> Iterator[Session]:
        """An ORM session inside `setup_transaction` (bank imports)."""
        with self.setup_transaction() as connection:
            session = Session(bind=connection, expire_on_commit=False)
            try:
                yield session
                session.flush()
            finally:
                session.close()

    def dispose(self) -> None:
        self.engine.dispose()

    # -- helpers ---------------------------------------------------------------------------

    def _refuse_writes(self) -> None:
        if self.read_only:
            raise read_only(self.location.where, self.read_only_because)

    @contextmanager
    def _waiting_for_setup(self, connection: Connection, seconds: float) -> Iterator[None]:
        """Wait up to `seconds` for the lock; if that runs out, say who held it."""
        if self.backend == "sqlite":
            # BEGIN IMMEDIATE waits for the write lock as long as the busy timeout says.
            _sqlite_driver(connection).execute(f"PRAGMA busy_timeout={round(seconds * 1000)}")
        try:
            yield
        except DatabaseBusyError:
            raise DatabaseBusyError(
                "the database is busy",
                f"another skillprobe has been upgrading it or importing the bank for more "
                f"than {seconds:g} s",
                f"try again later; raise {SETUP_TIMEOUT_VARIABLE} to wait longer",
            ) from None

    def _restore_busy_timeout(self, connection: Connection) -> None:
        if self.backend != "sqlite" or connection.closed or connection.invalidated:
            return
        try:
            _sqlite_driver(connection).execute(
                f"PRAGMA busy_timeout={round(self.timeouts.lock * 1000)}"
            )
        except sqlite3.Error:
            connection.invalidate()  # a pooled connection must not keep the long wait


def _sqlite_driver(connection: Connection) -> Any:
    return connection.connection.dbapi_connection


def _take_postgresql_setup_lock(connection: Connection, seconds: float) -> None:
    milliseconds = round(seconds * 1000)
    connection.execute(text(f"SET LOCAL statement_timeout = {milliseconds}"))
    connection.execute(text(f"SET LOCAL lock_timeout = {milliseconds}"))
    # Per schema, so databases that keep several installations apart by schema (the
    # test suite does) do not queue behind each other.
    connection.execute(
        text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
        {"key": _SETUP_LOCK_KEY},
    )
