"""Opening the database: where it is, what this command may do there, the schema up to date.

The rules both shells follow (docs/operations.md):

* Only commands that write create a database. A reading command
  (``for_writing=False``: report, responses export, db current) given a path
  where there is no database, or an empty database, says so and creates
  nothing; a command that writes creates it and says where (`created`).
* A reading command on a SQLite file this user may not write (the file, its
  folder or the whole file system is read-only), or on a full disk, opens it
  read-only, without switching it to WAL or creating ``-wal``/``-shm`` files
  it cannot create. A command that writes is refused at once with the reason
  (a full disk: at its first write).
* Migrations run under the setup lock (`engine.db.migrate`), so twenty
  processes starting on one empty database all succeed.

Every failure is a `StorageError` whose text is the line to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.db.classify import read_only
from engine.db.database import Database
from engine.db.faults import StorageError
from engine.db.location import (
    DatabaseLocation,
    create_folders,
    locate_database,
    missing_database,
    no_space_left,
    sqlite_file_access,
)
from engine.db.migrate import UpgradeResult, current_revision, ensure_schema, head_revision
from engine.db.timeouts import timeouts_from_environment

__all__ = [
    "OpenedDatabase",
    "SchemaStatus",
    "StorageError",
    "open_database",
    "schema_status",
]


@dataclass(frozen=True)
class OpenedDatabase:
    database: Database
    upgrade: UpgradeResult
    created: str | None = None  # where this call set up a new database, for the shells to say

    @property
    def created_note(self) -> str | None:
        """What the shells say when this call set up a new database."""
        if self.created is None:
            return None
        if self.database.backend == "sqlite":
            return f"created a new database at {self.created}"
        return f"created a new database (skillprobe's tables) in {self.created}"

    @property
    def read_only_because(self) -> str:
        """Why the database was opened read-only; empty when it may be written."""
        return self.database.read_only_because


def open_database(
    url: str | None = None, *, for_writing: bool = True, migrate: bool = True
) -> OpenedDatabase:
    """Connect to `url` (or the configured default) with the schema up to date.

    `for_writing` says whether the command writes: only then may a new database
    be created, and only then is a read-only file refused rather than opened
    for reading.
    """
    location = locate_database(url)
    timeouts = timeouts_from_environment()
    read_only_because = _check_file(location, for_writing=for_writing)
    database = Database(
        location.url, timeouts=timeouts, read_only_because=read_only_because, wal=for_writing
    )
    try:
        result = ensure_schema(database, create=for_writing) if migrate else UpgradeResult(None, "")
    except BaseException:
        database.dispose()
        raise
    created = location.where if migrate and result.previous is None and result.changed else None
    return OpenedDatabase(database, result, created)


def _check_file(location: DatabaseLocation, *, for_writing: bool) -> str:
    """Refuse what the file system will not allow; the reason to open read-only, if any."""
    path = location.sqlite_file
    if path is None:
        return ""
    access = sqlite_file_access(path)
    if not access.exists:
        if not for_writing:
            raise missing_database(location)
        create_folders(location)
        access = sqlite_file_access(path)
    if not access.writable:
        if for_writing:
            raise read_only(str(path), access.why_not)
        return access.why_not
    if not for_writing and no_space_left(path):
        # Even reading a WAL database writes: its -wal and -shm files. Read the file as is.
        return "there is no space left on its disk"
    return ""


@dataclass(frozen=True)
class SchemaStatus:
    url: str
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_status(url: str | None = None) -> SchemaStatus:
    """The database's schema revision and the newest one, without upgrading or creating."""
    opened = open_database(url, for_writing=False, migrate=False)
    try:
        return SchemaStatus(
            opened.database.location.shown, current_revision(opened.database), head_revision()
        )
    finally:
        opened.database.dispose()
