"""Opening the database: resolve the URL, connect, apply pending migrations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from engine.db.database import Database, resolve_database_url
from engine.db.migrate import UpgradeResult, current_revision, ensure_schema, head_revision


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
    except OSError as error:  # e.g. the SQLite file's folder cannot be created
        raise StorageError(
            f"cannot open database {_redact(resolved)}: {error.strerror or error}. Check the "
            "path and its permissions"
        ) from error
    return OpenedDatabase(database, result)


@dataclass(frozen=True)
class SchemaStatus:
    url: str
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_status(url: str | None = None) -> SchemaStatus:
    """The database's schema revision and the newest one, without upgrading."""
    opened = open_database(url, migrate=False)
    try:
        return SchemaStatus(
            _redact(opened.database.url), current_revision(opened.database), head_revision()
        )
    except OperationalError as error:
        raise StorageError(f"cannot read the schema revision: {error.orig}") from error
    finally:
        opened.database.dispose()


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
