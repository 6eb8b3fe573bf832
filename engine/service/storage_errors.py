"""The storage errors the shells catch: one type, one line each, never a traceback.

Every failure of the database reaches the service's callers as a
`StorageError` (defined with the persistence layer, which raises them, and
re-exported here for the shells): `str(error)` is the line to show, its class
says what kind of fault it is. The CLI prints it as ``skillprobe: error: ...``
and exits 1 (`engine.cli.main`); the TUI shows it in a notice and carries on
(`tui.backend`).

`AnswerNotSavedError` is the one that names what was lost: an answer the database
did not take, after the one retry that was safe.
"""

from __future__ import annotations

from engine.db.faults import (
    DatabaseBusyError,
    DatabaseConflictError,
    DatabaseDamagedError,
    DatabaseNotFoundError,
    DatabaseReadOnlyError,
    DatabaseTimeoutError,
    DatabaseUnavailableError,
    DatabaseUrlError,
    DiskError,
    DiskFullError,
    OtherStorageError,
    PermissionDeniedError,
    SchemaMismatchError,
    StorageError,
)

__all__ = [
    "AnswerNotSavedError",
    "DatabaseBusyError",
    "DatabaseConflictError",
    "DatabaseDamagedError",
    "DatabaseNotFoundError",
    "DatabaseReadOnlyError",
    "DatabaseTimeoutError",
    "DatabaseUnavailableError",
    "DatabaseUrlError",
    "DiskError",
    "DiskFullError",
    "OtherStorageError",
    "PermissionDeniedError",
    "SchemaMismatchError",
    "StorageError",
]

RESUME_COMMAND = "skillprobe quiz --resume"


class AnswerNotSavedError(StorageError):
    """An answer the database did not store; the quiz resumes at that question."""

    @classmethod
    def because(
        cls, cause: StorageError, resume_command: str = RESUME_COMMAND
    ) -> AnswerNotSavedError:
        """E.g. "your answer was not saved: the database is unavailable; run `...`"."""
        then = f"{cause.remedy}, then " if cause.remedy else ""
        return cls("your answer was not saved", cause.reason, f"{then}run `{resume_command}`")

    def resumed_with(self, command: str) -> AnswerNotSavedError:
        """The same line, naming the shell's own way to resume."""
        advice = self.advice.replace(f"`{RESUME_COMMAND}`", f"`{command}`")
        return AnswerNotSavedError(self.reason, self.detail, advice)
