"""Bringing a database's schema up to date.

Checking whether anything needs doing must stay cheap, because it runs at
every start: the head revision is read from the migration files' text and
compared with the database's ``alembic_version`` row, and Alembic itself is
imported only when an upgrade is really needed.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from engine.db.database import Database, sqlite_path

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
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {sorted(heads)}")
    return heads.pop()


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(database: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_directory()))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def ensure_schema(database: Database) -> UpgradeResult:
    """Apply pending migrations; a no-op (one query) when the schema is current."""
    previous = current_revision(database)
    head = head_revision()
    if previous == head:
        return UpgradeResult(previous, head)
    return upgrade(database, previous=previous)


def upgrade(database: Database, target: str = "head", previous: str | None = None) -> UpgradeResult:
    """Upgrade to `target`, copying a non-empty SQLite file aside first."""
    from alembic import command

    backup = _backup_sqlite(database, previous) if previous is not None else None
    with database.engine.begin() as connection:
        config = alembic_config(database)
        config.attributes["connection"] = connection
        command.upgrade(config, target)
    return UpgradeResult(previous, current_revision(database) or "", backup)


def downgrade(database: Database, target: str) -> str | None:
    from alembic import command

    with database.engine.begin() as connection:
        config = alembic_config(database)
        config.attributes["connection"] = connection
        command.downgrade(config, target)
    return current_revision(database)


def _backup_sqlite(database: Database, revision: str) -> Path | None:
    path = sqlite_path(database.url)
    if path is None or not path.exists():
        return None
    backup = path.with_name(f"{path.name}.bak-{revision}")
    # The backup API copies a consistent snapshot, WAL contents included.
    with sqlite3.connect(path) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    return backup
