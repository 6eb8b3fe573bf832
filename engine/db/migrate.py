"""Bringing a database's schema up to date.

Checking whether anything needs doing must stay cheap, because it runs at
every start: the head revision is read from the migration files' text and
compared with the database's ``alembic_version`` row, and Alembic itself is
imported only when an upgrade is really needed.

An upgrade runs in the database's setup transaction (`Database.setup_transaction`):
when twenty processes start at once on an empty database, one migrates while
the others wait for its lock, look again, and find nothing left to do.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from engine.db.classify import translated_faults
from engine.db.database import Database
from engine.db.faults import SchemaMismatchError

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"^down_revision\s*(?::[^=]*)?=\s*(None|['\"]([^'\"]+)['\"])", re.MULTILINE
)


@dataclass(frozen=True)
class UpgradeResult:
    previous: str | None
    current: str
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.previous != self.current


def migrations_directory() -> Path:
    import migrations

    return Path(migrations.__file__).parent


@cache
def head_revision() -> str:
    """The newest migration, found by reading the files (no Alembic import)."""
    revisions, parents = _revision_graph()
    heads = sorted(revisions - parents)
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {heads}")
    return heads[0]


def known_revisions() -> frozenset[str]:
    """Every revision the migration files define."""
    return _revision_graph()[0]


@cache
def _revision_graph() -> tuple[frozenset[str], frozenset[str]]:
    """The revisions the files define, and those that some revision follows."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations_directory() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        down = _DOWN_REVISION.search(source)
        if revision is None:
            continue
        revisions.add(revision.group(1))
        if down is not None and down.group(2):
            parents.add(down.group(2))
    return frozenset(revisions), frozenset(parents)


def current_revision(database: Database) -> str | None:
    with database.connect() as connection:
        return _revision_of(connection)


def _revision_of(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(database: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_directory()))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def ensure_schema(database: Database, *, create: bool = True) -> UpgradeResult:
    """Apply pending migrations; a no-op (one query) when the schema is current.

    With `create` False an empty database is left empty and reported as
    missing (reading commands never set one up).
    """
    previous = current_revision(database)
    head = head_revision()
    if previous == head:
        return UpgradeResult(previous, head)
    if previous is None and not create:
        raise SchemaMismatchError(
            "the database is empty",
            database.location.where,
            "check the URL; a command that writes (such as `skillprobe quiz`) sets it up",
        )
    _check_known(database, previous)
    if database.read_only:
        raise SchemaMismatchError(
            f"the database needs an upgrade ({previous or 'empty'} -> {head}), which a "
            "read-only database cannot take",
            f"{database.location.where}: {database.read_only_because}",
            "run `skillprobe db upgrade` as a user who can write it",
        )
    return upgrade(database, previous=previous)


def upgrade(database: Database, target: str = "head", previous: str | None = None) -> UpgradeResult:
    """Upgrade to `target` under the setup lock, copying a non-empty SQLite file aside first.

    Whoever gets the lock looks at the revision again: another process may
    have done the upgrade while this one waited.
    """
    from alembic import command

    backup = None
    with database.setup_transaction() as connection:
        found = _revision_of(connection)
        if target == "head" and found == head_revision():
            return UpgradeResult(found, found)  # done by another process while this one waited
        older = previous if previous is not None else found
        if older is not None:
            backup = _backup_sqlite(database, older)
        config = alembic_config(database)
        config.attributes["connection"] = connection
        command.upgrade(config, target)
        current = _revision_of(connection) or ""
    return UpgradeResult(older, current, backup)


def downgrade(database: Database, target: str) -> str | None:
    from alembic import command

    with database.setup_transaction() as connection:
        config = alembic_config(database)
        config.attributes["connection"] = connection
        command.downgrade(config, target)
    return current_revision(database)


def _check_known(database: Database, revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise SchemaMismatchError(
            f"the database was set up by a newer skillprobe (schema revision {revision})",
            database.location.where,
            "upgrade skillprobe to use it",
        )


def _backup_sqlite(database: Database, revision: str) -> Path | None:
    path = database.location.sqlite_file
    if path is None or not path.exists():
        return None
    backup = path.with_name(f"{path.name}.bak-{revision}")
    # The backup API copies a consistent snapshot, WAL contents included.
    with translated_faults(database.faults):
        source, copy = sqlite3.connect(path), sqlite3.connect(backup)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    return backup
