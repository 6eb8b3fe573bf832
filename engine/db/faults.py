"""What can go wrong with the database, as typed errors that read as one line.

Every failure the persistence layer lets out is a `StorageError` (the
`Database` translates driver errors where they happen: its units of work, its
connections, the schema check; see `engine.db.classify`). Each says what is
wrong (`reason`), the particular case (`detail`: which file, host or timeout)
and what to do (`advice`), and its class tells a caller what it may do next:
`retry_safe` errors (the connection went away, a lock was not granted) left
nothing half-done, so one careful retry is allowed.

The text is built from the error's kind, its SQLSTATE or SQLite result code
and the file system, never from a driver's message: SQLAlchemy's exception
strings carry the SQL statement and its parameters (a learner's answer, say),
which must never reach a screen. Interpolated pieces (paths, host names, user
names) pass through `printable`, so no control character reaches a terminal.

The module imports nothing heavy: the shells catch these errors at their
entry points without importing SQLAlchemy.
"""

from __future__ import annotations

from typing import ClassVar

from engine.text import printable


class StorageError(Exception):
    """The database cannot do what was asked; `str()` is the one line to show."""

    #: Nothing was written and nothing half-done: the same work may be retried once.
    retry_safe: ClassVar[bool] = False
    #: What the user does about it before trying again ("free some space"), if anything.
    remedy: ClassVar[str] = ""

    def __init__(self, reason: str, detail: str = "", advice: str = "") -> None:
        self.reason = printable(reason)
        self.detail = printable(detail)
        self.advice = printable(advice)
        super().__init__(self.line())

    def line(self) -> str:
        text = self.reason
        if self.detail:
            text += f": {self.detail}"
        if self.advice:
            text += f"; {self.advice}"
        return text

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries in the load benchmark and tests.
        return (type(self), (self.reason, self.detail, self.advice))


class DatabaseUrlError(StorageError):
    """The database URL (or a connection setting) cannot be used as written."""


class DatabaseNotFoundError(StorageError):
    """There is no database where the URL points (a reading command creates none)."""


class DatabaseUnavailableError(StorageError):
    """The server cannot be reached, or the connection was lost."""

    retry_safe = True


class DatabaseTimeoutError(DatabaseUnavailableError):
    """No reply within the connect timeout, or a statement ran past the statement timeout."""


class DatabaseBusyError(StorageError):
    """Another process held a lock for longer than this one would wait."""

    retry_safe = True


class DatabaseReadOnlyError(StorageError):
    """The database can be read but not written (file, folder, mount or server says so)."""

    remedy = "get write access to the database"


class DiskFullError(StorageError):
    """No space left where the database is stored."""

    remedy = "free some space"


class DiskError(StorageError):
    """The storage under the database failed to read or write (an I/O error)."""


class DatabaseDamagedError(StorageError):
    """The file is not a SQLite database, or the database reports corruption."""


class PermissionDeniedError(StorageError):
    """The server or the file system refuses this user."""


class DatabaseConflictError(StorageError):
    """A row that must be unique was written by someone else at the same time."""


class SchemaMismatchError(StorageError):
    """The schema cannot be used as it is: it needs an upgrade that cannot run here,
    or it was written by a newer skillprobe."""


class OtherStorageError(StorageError):
    """Any other refusal by the database (the message names its code, never its text)."""
