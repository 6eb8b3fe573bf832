"""Driver errors become the right `StorageError`, and never carry SQL or values into its text.

SQLite's faults are provoked for real (a read-only connection, a held lock, an
interrupted statement, a file that is not a database); PostgreSQL's are the
driver's own exception classes for each SQLSTATE (psycopg.errors.lookup), as
the server would send them, wrapped the way SQLAlchemy wraps them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import exc

from engine.db.classify import FaultContext, classify
from engine.db.faults import (
    DatabaseBusyError,
    DatabaseConflictError,
    DatabaseDamagedError,
    DatabaseNotFoundError,
    DatabaseReadOnlyError,
    DatabaseTimeoutError,
    DatabaseUnavailableError,
    DiskError,
    DiskFullError,
    OtherStorageError,
    PermissionDeniedError,
    SchemaMismatchError,
    StorageError,
)
from engine.db.location import check_url
from engine.db.timeouts import Timeouts

POSTGRES = FaultContext(
    check_url("postgresql://coach:hunter2@db.internal:5433/team"), Timeouts(connect=4, lock=7)
)


def _sqlite_context(path: Path) -> FaultContext:
    return FaultContext(check_url(f"sqlite:///{path}"), Timeouts(statement=2, lock=0.1))


def _wrapped(driver_error: Exception, statement: str = "SELECT 1", parameters: object = None):
    base = sqlite3.Error if isinstance(driver_error, sqlite3.Error) else psycopg.Error
    return exc.DBAPIError.instance(statement, parameters, driver_error, base)


def _sqlite_error(action) -> sqlite3.Error:  # type: ignore[no-untyped-def]
    with pytest.raises(sqlite3.Error) as raised:
        action()
    return raised.value


# -- SQLite ------------------------------------------------------------------------------------


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE learners (name TEXT UNIQUE)")
        connection.execute("INSERT INTO learners VALUES ('ana')")
    return path


def test_a_write_on_a_read_only_connection_is_read_only(sqlite_file: Path) -> None:
    reader = sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True)
    error = _sqlite_error(lambda: reader.execute("INSERT INTO learners VALUES ('bo')"))
    fault = classify(
        _wrapped(error),
        FaultContext(check_url(f"sqlite:///{sqlite_file}"), Timeouts(), "the disk is read-only"),
    )
    assert isinstance(fault, DatabaseReadOnlyError)
    assert str(fault).startswith(
        f"the database is read-only: {sqlite_file}: the disk is read-only;"
    )


def test_a_lock_held_too_long_is_busy_and_safe_to_retry(sqlite_file: Path) -> None:
    holder = sqlite3.connect(sqlite_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(sqlite_file, timeout=0.1, isolation_level=None)
    error = _sqlite_error(lambda: waiter.execute("BEGIN IMMEDIATE"))
    fault = classify(_wrapped(error), _sqlite_context(sqlite_file))
    assert isinstance(fault, DatabaseBusyError) and fault.retry_safe
    assert str(fault) == (
        f"the database is busy: another process held the lock on {sqlite_file} for more than "
        "0.1 s; try again; if it keeps happening, raise SKILLPROBE_LOCK_TIMEOUT"
    )
    holder.rollback()


def test_an_interrupted_statement_is_a_timeout(sqlite_file: Path) -> None:
    connection = sqlite3.connect(sqlite_file)
    connection.set_progress_handler(lambda: 1, 1)
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    error = _sqlite_error(lambda: connection.execute(endless).fetchall())
    fault = classify(_wrapped(error), _sqlite_context(sqlite_file))
    assert isinstance(fault, DatabaseTimeoutError)
    assert "stopped after 2 s (the statement timeout)" in str(fault)


def test_a_file_that_is_not_a_database_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are my notes, not a database " * 200)
    error = _sqlite_error(lambda: sqlite3.connect(path).execute("SELECT 1 FROM sqlite_master"))
    fault = classify(_wrapped(error), _sqlite_context(path))
    assert isinstance(fault, DatabaseDamagedError)
    assert str(fault).startswith(f"the file is not a usable SQLite database: {path};")


def test_a_duplicate_is_a_conflict(sqlite_file: Path) -> None:
    connection = sqlite3.connect(sqlite_file)
    error = _sqlite_error(lambda: connection.execute("INSERT INTO learners VALUES ('ana')"))
    wrapped = exc.IntegrityError("INSERT", ("ana",), error)
    assert isinstance(classify(wrapped, _sqlite_context(sqlite_file)), DatabaseConflictError)


def test_a_missing_folder_cannot_be_opened(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "team.db"
    error = _sqlite_error(lambda: sqlite3.connect(path))
    fault = classify(_wrapped(error), _sqlite_context(path))
    assert isinstance(fault, DatabaseNotFoundError)
    assert f"(the folder {path.parent} does not exist)" in str(fault)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (sqlite3.SQLITE_FULL, DiskFullError),
        (sqlite3.SQLITE_IOERR_WRITE, DiskError),
        (sqlite3.SQLITE_READONLY_DIRECTORY, DatabaseReadOnlyError),
        (sqlite3.SQLITE_CORRUPT, DatabaseDamagedError),
        (sqlite3.SQLITE_PERM, PermissionDeniedError),
        (sqlite3.SQLITE_LOCKED, DatabaseBusyError),
        (sqlite3.SQLITE_NOMEM, OtherStorageError),
        (sqlite3.SQLITE_MISMATCH, OtherStorageError),
    ],
)
def test_sqlite_result_codes(tmp_path: Path, code: int, kind: type[StorageError]) -> None:
    """Codes that are hard to provoke on demand, by their number (sqlite.org/rescode.html)."""
    error = sqlite3.OperationalError("whatever the driver says")
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    error.sqlite_errorname = "SQLITE_X"  # type: ignore[attr-defined]
    assert type(classify(_wrapped(error), _sqlite_context(tmp_path / "x.db"))) is kind


# -- PostgreSQL --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sqlstate", "kind", "line"),
    [
        (
            "57P01",
            DatabaseUnavailableError,
            "the database is unavailable: the connection to db.internal:5433 was lost or "
            "refused; check that the server is running, then try again",
        ),
        ("08006", DatabaseUnavailableError, None),
        ("53300", DatabaseUnavailableError, None),
        (
            "57014",
            DatabaseTimeoutError,
            "a database statement took too long: stopped after 30 s (the statement timeout); "
            "try again; raise SKILLPROBE_STATEMENT_TIMEOUT (0 for none) if the database is just "
            "slow",
        ),
        ("55P03", DatabaseBusyError, None),
        ("40001", DatabaseBusyError, None),
        ("40P01", DatabaseBusyError, None),
        (
            "53100",
            DiskFullError,
            "the database server's disk is full: db.internal:5433; ask its administrator to "
            "free some space, then try again",
        ),
        ("58030", DiskError, None),
        ("XX001", DatabaseDamagedError, None),
        (
            "25006",
            DatabaseReadOnlyError,
            "the database is read-only: db.internal:5433 accepts only reads (a standby server, "
            "or a read-only setting); point --db at the primary server",
        ),
        (
            "42501",
            PermissionDeniedError,
            "the database refused this user: user coach may not do this at db.internal:5433; "
            "ask the database's owner for access (docs/operations.md)",
        ),
        ("28P01", PermissionDeniedError, None),
        ("3D000", DatabaseNotFoundError, None),
        ("42P01", SchemaMismatchError, None),
        ("23505", DatabaseConflictError, None),
        ("23503", DatabaseConflictError, None),
        (
            "22012",
            OtherStorageError,
            "the database refused the request: SQLSTATE 22012",
        ),
    ],
)
def test_postgresql_sqlstates(sqlstate: str, kind: type[StorageError], line: str | None) -> None:
    error = psycopg.errors.lookup(sqlstate)("the server's message")
    fault = classify(_wrapped(error), POSTGRES)
    assert type(fault) is kind
    if line is not None:
        assert str(fault) == line
    assert "hunter2" not in str(fault)


@pytest.mark.parametrize(
    ("message", "kind", "line"),
    [
        (
            "connection timeout expired",
            DatabaseTimeoutError,
            "the database is unavailable: no reply from db.internal:5433 within 4 s (the "
            "connect timeout); check that the server is up and reachable from here; raise "
            "SKILLPROBE_CONNECT_TIMEOUT if it is just slow",
        ),
        (
            'connection failed: connection to server at "10.0.0.5", port 5433 failed: '
            "Connection refused\n\tIs the server running on that host?",
            DatabaseUnavailableError,
            "the database is unavailable: db.internal:5433 refused the connection; check that "
            "PostgreSQL is running there and that the host and port are right",
        ),
        (
            'connection failed: connection to server at "10.0.0.5", port 5433 failed: FATAL:  '
            'password authentication failed for user "coach"',
            PermissionDeniedError,
            "the database server refused the login: user coach at db.internal:5433; check the "
            "user name and password (a ~/.pgpass file keeps the password out of the URL)",
        ),
        (
            'connection failed: connection to server at "10.0.0.5", port 5433 failed: FATAL:  '
            'database "team" does not exist',
            DatabaseNotFoundError,
            "no such database on the server: team at db.internal:5433; create it (createdb "
            "team) or check the name in the URL",
        ),
        (
            "failed to resolve host 'db.internal': [Errno -2] Name or service not known",
            DatabaseUnavailableError,
            "the database is unavailable: the host in postgresql://coach:***@db.internal:5433/"
            "team is unknown; check the host name in the URL",
        ),
        ("server closed the connection unexpectedly", DatabaseUnavailableError, None),
    ],
)
def test_failures_before_a_session_by_libpqs_wording(
    message: str, kind: type[StorageError], line: str | None
) -> None:
    error_class = (
        psycopg.errors.ConnectionTimeout if "timeout" in message else psycopg.OperationalError
    )
    fault = classify(_wrapped(error_class(message)), POSTGRES)
    assert type(fault) is kind
    if line is not None:
        assert str(fault) == line


def test_errors_that_are_not_about_storage_are_left_alone() -> None:
    for error in (ValueError("x"), KeyError("y"), RuntimeError("z")):
        assert classify(error, POSTGRES) is None


# -- never SQL, never values -------------------------------------------------------------------

SECRETS = st.text(min_size=1, max_size=40).map(lambda text: f"SECRET-{text}")
DRIVER_ERRORS = st.one_of(
    st.sampled_from(
        ["57P01", "57014", "53100", "25006", "42501", "23505", "40001", "XX001", "22012", "42P01"]
    ).map(lambda state: psycopg.errors.lookup(state)),
    st.just(psycopg.OperationalError),
    st.just(psycopg.errors.ConnectionTimeout),
)


@given(statement=SECRETS, parameter=SECRETS, message=SECRETS, error_class=DRIVER_ERRORS)
def test_no_fault_line_carries_the_statement_its_values_or_the_drivers_text(
    statement: str, parameter: str, message: str, error_class: type[Exception]
) -> None:
    """SQLAlchemy's exception text holds all three; the line a user reads holds none."""
    wrapped = _wrapped(error_class(message), statement, {"raw_answer": parameter})
    assert str(wrapped).count("SECRET-") >= 3  # the danger is real: all three are in it
    fault = classify(wrapped, POSTGRES)
    assert fault is not None
    assert "SECRET-" not in str(fault)


@given(code=st.integers(min_value=0, max_value=5000), message=SECRETS, parameter=SECRETS)
def test_no_sqlite_fault_line_carries_values_or_the_drivers_text(
    code: int, message: str, parameter: str
) -> None:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    error.sqlite_errorname = f"SQLITE_{code}"  # type: ignore[attr-defined]
    fault = classify(
        _wrapped(error, "INSERT INTO responses VALUES (?)", (parameter,)),
        FaultContext(check_url("sqlite:////nonexistent/team.db")),
    )
    assert fault is not None and "SECRET-" not in str(fault)
    assert "\n" not in str(fault)
