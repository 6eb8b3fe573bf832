"""Driver errors into `StorageError`s: the one place that reads them.

SQLite says what went wrong with a result code (``sqlite_errorcode``),
PostgreSQL with a SQLSTATE; connection failures, which have neither, are told
apart by libpq's wording (read here, never shown). The message a user reads is
composed from the kind of fault and what skillprobe knows about the database
(its file, host, timeouts), never from the driver's text, which can hold the
SQL and its parameters.

Errors that are not about storage (a bug's ``TypeError``, a ``KeyboardInterrupt``)
are left alone: `classify` returns None for them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from types import TracebackType

from sqlalchemy.engine import make_url

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
from engine.db.location import DatabaseLocation, no_space_left, sqlite_file_access
from engine.db.timeouts import (
    CONNECT_TIMEOUT_VARIABLE,
    LOCK_TIMEOUT_VARIABLE,
    STATEMENT_TIMEOUT_VARIABLE,
    Timeouts,
)

UNAVAILABLE = "the database is unavailable"
READ_ONLY_ADVICE = (
    "reading commands (report, responses export, db current) still work; to write, get "
    "write access or work on a copy (--db sqlite:///path/to/copy.db)"
)


@dataclass(frozen=True)
class FaultContext:
    """What messages may say about the database a fault happened in."""

    location: DatabaseLocation
    timeouts: Timeouts = field(default_factory=Timeouts)
    read_only_because: str = ""  # set when skillprobe opened the file read-only on purpose

    @property
    def server(self) -> str:
        """``host:port`` of a PostgreSQL server, for messages."""
        url = make_url(self.location.url)
        host = url.host or "localhost"
        return f"{host}:{url.port or 5432}"

    @property
    def user(self) -> str:
        return make_url(self.location.url).username or "the default user"


class translated_faults:  # noqa: N801 - used like a function: `with translated_faults(context):`
    """Re-raise any storage error that leaves the block as the `StorageError` it means."""

    def __init__(self, context: FaultContext) -> None:
        self.context = context

    def __enter__(self) -> translated_faults:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is None or isinstance(error, StorageError):
            return
        fault = classify(error, self.context)
        if fault is not None:
            raise fault from error


def classify(error: BaseException, context: FaultContext) -> StorageError | None:
    """The `StorageError` that `error` means, or None when it is not a storage fault."""
    from sqlalchemy import exc

    if isinstance(error, StorageError):
        return error
    if isinstance(error, exc.DBAPIError):
        driver_error: BaseException = error.orig or error
        if isinstance(driver_error, sqlite3.Error):
            return _sqlite_fault(driver_error, context)
        if _is_psycopg_error(driver_error):
            return _postgresql_fault(driver_error, context, lost=error.connection_invalidated)
        if isinstance(error, exc.IntegrityError):
            return _conflict()
        return OtherStorageError(
            "the database refused the request", f"{type(driver_error).__name__}", ""
        )
    if isinstance(error, exc.TimeoutError):  # the connection pool had none free in time
        return DatabaseBusyError(
            "the database is busy",
            "every connection of this process was in use for too long",
            "try again",
        )
    if isinstance(error, sqlite3.Error):
        return _sqlite_fault(error, context)
    if _is_psycopg_error(error):
        return _postgresql_fault(error, context, lost=False)
    return None


def _conflict() -> DatabaseConflictError:
    return DatabaseConflictError(
        "someone else stored the same thing at the same moment",
        "",
        "try again; the other copy is kept",
    )


# -- SQLite ------------------------------------------------------------------------------------

# Primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_INTERRUPT = 9
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_CONSTRAINT = 19
SQLITE_AUTH = 23
SQLITE_NOTADB = 26


def _sqlite_fault(error: sqlite3.Error, context: FaultContext) -> StorageError:
    code = getattr(error, "sqlite_errorcode", None)
    name = getattr(error, "sqlite_errorname", None) or type(error).__name__
    primary = code & 0xFF if isinstance(code, int) else None
    location = context.location
    file = location.sqlite_file
    where = str(file) if file is not None else "the in-memory database"
    timeouts = context.timeouts
    if primary == SQLITE_FULL or (
        primary == SQLITE_IOERR and file is not None and no_space_left(file)
    ):
        return _disk_full(where)
    if primary == SQLITE_IOERR:
        return DiskError(
            "the disk failed to read or write the database",
            f"{where} ({name})",
            "check the disk and its free space (the system log says more), then try again",
        )
    if primary == SQLITE_READONLY:
        return _read_only(location, context.read_only_because)
    if primary == SQLITE_CANTOPEN:
        return _cannot_open(location)
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusyError(
            "the database is busy",
            f"another process held the lock on {where} for more than {timeouts.lock:g} s",
            f"try again; if it keeps happening, raise {LOCK_TIMEOUT_VARIABLE}",
        )
    if primary == SQLITE_INTERRUPT:
        return _statement_timeout(timeouts)
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseDamagedError(
            "the file is not a usable SQLite database",
            where,
            "check the path; if it is the right file, restore it from a backup (a "
            "<file>.bak-<revision> copy is kept before each upgrade)",
        )
    if primary == SQLITE_CONSTRAINT:
        return _conflict()
    if primary in (SQLITE_PERM, SQLITE_AUTH):
        return PermissionDeniedError(
            "access to the database was refused", where, "check the file's permissions"
        )
    if primary == SQLITE_NOMEM:
        return OtherStorageError(
            "SQLite ran out of memory", where, "close other programs and retry"
        )
    if "no such table" in str(error):
        return _missing_tables(where)
    return OtherStorageError("the database refused the request", f"{where} (SQLite {name})", "")


def _disk_full(where: str) -> DiskFullError:
    return DiskFullError(
        "the disk is full",
        f"no space left on the file system holding {where}",
        "free some space, then try again",
    )


def read_only(where: str, why: str) -> DatabaseReadOnlyError:
    """The error for a write the database cannot take, and why."""
    return DatabaseReadOnlyError("the database is read-only", f"{where}: {why}", READ_ONLY_ADVICE)


def _read_only(location: DatabaseLocation, because: str) -> DatabaseReadOnlyError:
    file = location.sqlite_file
    if file is None:
        return DatabaseReadOnlyError("the database is read-only", location.where, READ_ONLY_ADVICE)
    return read_only(
        str(file), because or sqlite_file_access(file).why_not or "SQLite refused to write it"
    )


def _cannot_open(location: DatabaseLocation) -> StorageError:
    file = location.sqlite_file
    if file is None:
        return OtherStorageError("cannot open the database", location.where, "")
    if not file.parent.exists():
        return DatabaseNotFoundError(
            "no database", f"{file} (the folder {file.parent} does not exist)", "check the path"
        )
    access = sqlite_file_access(file)
    if not access.writable:
        return read_only(str(file), access.why_not)
    return OtherStorageError(
        "cannot open the database", str(file), "check the path and the file's permissions"
    )


def _statement_timeout(timeouts: Timeouts) -> DatabaseTimeoutError:
    return DatabaseTimeoutError(
        "a database statement took too long",
        f"stopped after {timeouts.statement:g} s (the statement timeout)",
        f"try again; raise {STATEMENT_TIMEOUT_VARIABLE} (0 for none) if the database is just slow",
    )


def _missing_tables(where: str) -> SchemaMismatchError:
    return SchemaMismatchError(
        "the database lacks tables this skillprobe needs",
        where,
        "run `skillprobe db upgrade`, or check that the URL names skillprobe's database",
    )


# -- PostgreSQL --------------------------------------------------------------------------------


def _is_psycopg_error(error: BaseException) -> bool:
    return type(error).__module__.startswith("psycopg")


# SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_CONNECTION_LOST = {"57P01", "57P02", "57P03", "53300"}
_BUSY = {"40001", "40P01", "55P03", "55006"}
_LOGIN_REFUSED = {"28000", "28P01"}
_DAMAGED = {"XX001", "XX002"}

# libpq's wording for failures before a session exists (no SQLSTATE yet).
_REFUSED_LOGIN_WORDS = (
    "password authentication failed",
    "no password supplied",
    "no pg_hba.conf entry",
    "peer authentication failed",
    'role "',
)


def _postgresql_fault(error: BaseException, context: FaultContext, *, lost: bool) -> StorageError:
    state = getattr(error, "sqlstate", None) or ""
    if not state:
        return _before_a_session(error, context, lost=lost)
    server = context.server
    timeouts = context.timeouts
    if state in _LOGIN_REFUSED:
        return _login_refused(context)
    if state == "3D000":
        return _no_such_database(context)
    if state == "57014":
        return _statement_timeout(timeouts)
    if state == "55P03":
        return DatabaseBusyError(
            "the database is busy",
            f"another session held a lock for more than {timeouts.lock:g} s",
            f"try again; if it keeps happening, raise {LOCK_TIMEOUT_VARIABLE}",
        )
    if state in _BUSY:
        return DatabaseBusyError(
            "the database is busy", "another session changed the same rows", "try again"
        )
    if state == "53100":
        return DiskFullError(
            "the database server's disk is full",
            server,
            "ask its administrator to free some space, then try again",
        )
    if state == "58030":
        return DiskError(
            "the database server's disk failed to read or write", server, "ask its administrator"
        )
    if state in _DAMAGED:
        return DatabaseDamagedError(
            "the database server reports damaged data", server, "ask its administrator"
        )
    if state == "25006":
        return DatabaseReadOnlyError(
            "the database is read-only",
            f"{server} accepts only reads (a standby server, or a read-only setting)",
            "point --db at the primary server",
        )
    if state == "42501":
        return PermissionDeniedError(
            "the database refused this user",
            f"user {context.user} may not do this at {server}",
            "ask the database's owner for access (docs/operations.md)",
        )
    if state == "42P01":
        return _missing_tables(context.location.shown)
    if state.startswith("23"):
        return _conflict()
    if lost or state.startswith("08") or state in _CONNECTION_LOST:
        return _connection_lost(context)
    if state == "22021" or "NUL (0x00)" in str(error):
        return _unstorable_text()
    return OtherStorageError("the database refused the request", f"SQLSTATE {state}", "")


def _before_a_session(error: BaseException, context: FaultContext, *, lost: bool) -> StorageError:
    """A failure with no SQLSTATE: libpq's while connecting, or psycopg's own."""
    text = str(error)  # read to tell the cases apart; never shown
    server = context.server
    if type(error).__name__ == "ConnectionTimeout" or "timeout expired" in text:
        return DatabaseTimeoutError(
            UNAVAILABLE,
            f"no reply from {server} within {context.timeouts.connect_whole_seconds} s (the "
            "connect timeout)",
            "check that the server is up and reachable from here; raise "
            f"{CONNECT_TIMEOUT_VARIABLE} if it is just slow",
        )
    if any(words in text for words in _REFUSED_LOGIN_WORDS):
        return _login_refused(context)
    if 'database "' in text and "does not exist" in text:
        return _no_such_database(context)
    if "failed to resolve host" in text or "could not translate host name" in text:
        return DatabaseUnavailableError(
            UNAVAILABLE,
            f"the host in {context.location.shown} is unknown",
            "check the host name in the URL",
        )
    if "Connection refused" in text:
        return DatabaseUnavailableError(
            UNAVAILABLE,
            f"{server} refused the connection",
            "check that PostgreSQL is running there and that the host and port are right",
        )
    if lost or _is_connection_error(error):
        return _connection_lost(context)
    if "NUL (0x00)" in text:  # psycopg refuses it before sending
        return _unstorable_text()
    return OtherStorageError("the database refused the request", type(error).__name__, "")


def _unstorable_text() -> OtherStorageError:
    return OtherStorageError(
        "the database cannot store this text",
        "it holds a NUL character or bytes that are not UTF-8",
        "remove them",
    )


def _login_refused(context: FaultContext) -> PermissionDeniedError:
    return PermissionDeniedError(
        "the database server refused the login",
        f"user {context.user} at {context.server}",
        "check the user name and password (a ~/.pgpass file keeps the password out of the URL)",
    )


def _no_such_database(context: FaultContext) -> DatabaseNotFoundError:
    name = make_url(context.location.url).database or "(default)"
    return DatabaseNotFoundError(
        "no such database on the server",
        f"{name} at {context.server}",
        f"create it (createdb {name}) or check the name in the URL",
    )


def _connection_lost(context: FaultContext) -> DatabaseUnavailableError:
    return DatabaseUnavailableError(
        UNAVAILABLE,
        f"the connection to {context.server} was lost or refused",
        "check that the server is running, then try again",
    )


def _is_connection_error(error: BaseException) -> bool:
    """psycopg's OperationalError or InterfaceError: the connection, not the request."""
    import psycopg

    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)
