"""Opening the database: resolve the URL, connect, apply pending migrations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from engine.db.database import Database, resolve_database_url
from engine.db.migrate import UpgradeResult, ensure_schema


class StorageError(Exception):
    """The database cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class OpenedDatabase:
    database: Database
    upgrade: UpgradeResult


def open_database(url: str | None = None, *, migrate: bool = True) -> OpenedDatabase:
    """Connect to `url` (or the configured default) with the schema up to date."""
    resolved = resolve_database_url(url)
    try:
        database = Database(resolved)
        result = ensure_schema(database) if migrate else UpgradeResult(None, "")
    except (ArgumentError, NoSuchModuleError) as error:
        raise StorageError(
            f"cannot use database URL {_redact(resolved)!r}: {error}. Use a SQLAlchemy URL such "
            "as sqlite:///path/to/file.db or postgresql+psycopg://user@host/dbname"
        ) from error
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StorageError(
            f"cannot open database {_redact(resolved)}: {reason}. Check that it is reachable "
            "and that you may write to it"
        ) from error
    return OpenedDatabase(database, result)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
