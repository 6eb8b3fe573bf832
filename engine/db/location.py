"""Where the database is: the URL checked once, and what the file system allows there.

A URL that cannot work is refused here with one line that says why (an unknown
database kind, a port that is not a number, an empty ``--db ""``) before any
driver is imported. skillprobe runs on two databases, SQLite and PostgreSQL
(through psycopg 3); others are refused rather than half-supported.

For a SQLite file it also answers the questions the opening rules need: does
it exist, and may this user write it (and its folder, where SQLite keeps the
``-wal`` and ``-shm`` files)? If not, why not, in words a user can act on.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from engine.db.faults import (
    DatabaseNotFoundError,
    DatabaseReadOnlyError,
    DatabaseUrlError,
    DiskFullError,
    OtherStorageError,
    PermissionDeniedError,
    StorageError,
)

DATABASE_URL_VARIABLE = "SKILLPROBE_DATABASE_URL"
URL_EXAMPLES = "sqlite:///path/to/file.db or postgresql://user@host/dbname"
DEFAULT_SOURCE = "the default database"
# Query parameters of SQLite URLs that skillprobe passes on (the lock wait, in seconds).
SQLITE_URL_OPTIONS = frozenset({"timeout"})


@dataclass(frozen=True)
class DatabaseLocation:
    """A usable database URL and what messages may say about it."""

    url: str  # with the driver skillprobe uses (postgresql+psycopg://...)
    backend: str  # "sqlite" or "postgresql"
    shown: str  # the URL with any password hidden
    sqlite_file: Path | None = None  # None for PostgreSQL and in-memory SQLite
    source: str = "the database URL"  # where it came from: --db, the environment, the default

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    @property
    def where(self) -> str:
        """The file for SQLite, the URL without its password otherwise."""
        return str(self.sqlite_file) if self.sqlite_file is not None else self.shown


def default_database_path() -> Path:
    """`$XDG_DATA_HOME/skillprobe/skillprobe.db` on Linux; the platform's data folder elsewhere."""
    from platformdirs import user_data_path

    return user_data_path("skillprobe", appauthor=False) / "skillprobe.db"


def locate_database(
    explicit: str | None = None, environ: Mapping[str, str] | None = None
) -> DatabaseLocation:
    """The URL given with ``--db`` (even an empty one), else the environment, else the default.

    An empty ``$SKILLPROBE_DATABASE_URL`` counts as unset, as shells make it easy
    to export empty variables; an empty ``--db ""`` is always a mistake.
    """
    environ = os.environ if environ is None else environ
    if explicit is not None:
        text, source = explicit, "--db"
    elif environ.get(DATABASE_URL_VARIABLE, "").strip():
        text, source = environ[DATABASE_URL_VARIABLE], f"${DATABASE_URL_VARIABLE}"
    else:
        return check_url(f"sqlite:///{default_database_path()}", source=DEFAULT_SOURCE)
    if not text.strip():
        raise DatabaseUrlError(
            "the database URL is empty",
            f'{source} ""',
            f"give a URL such as {URL_EXAMPLES}, or leave {source} out for the default "
            f"file {default_database_path()}",
        )
    return check_url(text.strip(), source=source)


def check_url(text: str, *, source: str = "the database URL") -> DatabaseLocation:
    """`text` as a URL skillprobe can use, or a `DatabaseUrlError` saying what to change."""
    # As people write it: postgresql:// (the driver is ours to choose), no password.
    shown = _hide_password(text).replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        url = make_url(normalise_url(text))
    except ArgumentError:
        raise DatabaseUrlError(
            f"{source} is not a database URL",
            shown,
            f"write it as {URL_EXAMPLES}",
        ) from None
    except ValueError:
        # SQLAlchemy converts the port with int(): "host:abc" ends up here.
        raise DatabaseUrlError(
            f"{source} has a port that is not a number",
            shown,
            "write the port as digits, e.g. postgresql://user@host:5432/dbname",
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        return replace(_sqlite_location(url, text, shown, source), source=source)
    if backend == "postgresql":
        return replace(_postgresql_location(url, shown, source), source=source)
    raise DatabaseUrlError(
        f"{source} names a database skillprobe does not support ({backend})",
        shown,
        f"skillprobe works with SQLite and PostgreSQL: use {URL_EXAMPLES}",
    )


def normalise_url(url: str) -> str:
    """Let people write ``postgresql://`` and still get the psycopg 3 driver we ship."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_location(url: URL, text: str, shown: str, source: str) -> DatabaseLocation:
    if url.get_driver_name() != "pysqlite":
        raise DatabaseUrlError(
            f"{source} asks for the SQLite driver {url.get_driver_name()}, which skillprobe "
            "does not use",
            shown,
            "write sqlite:///path/to/file.db",
        )
    unknown = sorted(set(url.query) - SQLITE_URL_OPTIONS)
    if unknown:
        raise DatabaseUrlError(
            f"{source} has an option SQLite URLs do not take ({', '.join(unknown)})",
            shown,
            "the one option is timeout=SECONDS (how long to wait for another writer's lock)",
        )
    if "timeout" in url.query:
        _url_seconds(url, "timeout", shown, source)
    database = url.database
    if database in (None, "", ":memory:"):
        return DatabaseLocation(text, "sqlite", shown)
    path = Path(database).expanduser()
    if path.is_dir():
        raise DatabaseUrlError(
            f"{source} points at a folder, not a database file",
            str(path),
            f"name a file inside it, e.g. sqlite:///{path / 'skillprobe.db'}",
        )
    return DatabaseLocation(
        url.set(database=str(path)).render_as_string(False), "sqlite", shown, path
    )


def _postgresql_location(url: URL, shown: str, source: str) -> DatabaseLocation:
    if url.get_driver_name() != "psycopg":
        raise DatabaseUrlError(
            f"{source} asks for the PostgreSQL driver {url.get_driver_name()}, which skillprobe "
            "does not use",
            shown,
            "write postgresql://user@host/dbname (skillprobe uses psycopg 3)",
        )
    if url.port is not None and not 0 < url.port < 65536:
        raise DatabaseUrlError(
            f"{source} has a port out of range ({url.port})",
            shown,
            "ports run from 1 to 65535; PostgreSQL's usual one is 5432",
        )
    if "connect_timeout" in url.query:
        _url_seconds(url, "connect_timeout", shown, source)
    try:
        import psycopg  # noqa: F401 - only to say early and clearly that it is missing
    except ImportError:
        raise DatabaseUrlError(
            "PostgreSQL needs the psycopg driver, which is not installed",
            shown,
            "install it with: pip install 'skillprobe[postgres]'",
        ) from None
    return DatabaseLocation(url.render_as_string(False), "postgresql", shown)


def _url_seconds(url: URL, option: str, shown: str, source: str) -> float:
    value = url.query[option]
    text = value if isinstance(value, str) else ",".join(value)
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise DatabaseUrlError(
            f"{source} has {option}={text[:40]!r}, which is not a number of seconds",
            shown,
            f"write e.g. {option}=10",
        )
    return seconds


def _hide_password(text: str) -> str:
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        # Unparseable: hide whatever sits between "://user:" and "@".
        head, sep, rest = text.partition("://")
        if sep and "@" in rest:
            credentials, at, host = rest.rpartition("@")
            user = credentials.split(":", 1)[0]
            return f"{head}://{user}{':***' if ':' in credentials else ''}{at}{host}"
        return text


# -- what the file system allows --------------------------------------------------------------


@dataclass(frozen=True)
class FileAccess:
    """May this user write the SQLite file (and its folder)? If not, `why_not` says why."""

    exists: bool
    writable: bool
    why_not: str = ""


def current_user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return f"uid {os.geteuid()}" if hasattr(os, "geteuid") else "this user"


def sqlite_file_access(path: Path) -> FileAccess:
    """Whether `path` can be written, checked the way SQLite will need it.

    SQLite in WAL mode writes the file and creates `NAME-wal` and `NAME-shm`
    beside it, so a writable file in a read-only folder is not enough.
    """
    folder = path.parent if str(path.parent) else Path(".")
    exists = path.exists()
    if _read_only_mount(path if exists else folder):
        return FileAccess(exists, False, "the file system holding it is mounted read-only")
    if exists and not os.access(path, os.W_OK):
        return FileAccess(exists, False, f"the file is not writable by {current_user()}")
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        needs = f"{path.name}-wal and {path.name}-shm" if exists else path.name
        return FileAccess(
            exists,
            False,
            f"its folder {folder} is not writable by {current_user()}, and SQLite needs to "
            f"create {needs} there",
        )
    return FileAccess(exists, True)


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def no_space_left(path: Path) -> bool:
    """Whether the file system that holds `path` (or its nearest existing folder) is full."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        stats = os.statvfs(probe)
    except (OSError, AttributeError):
        return False
    # A few blocks' slack: SQLite needs whole pages, and root's reserve is not ours to count.
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def create_folders(location: DatabaseLocation) -> None:
    """Make the folders a new SQLite file goes in (only commands that write do this)."""
    path = location.sqlite_file
    if path is None or path.parent.exists():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise folder_error(error, path) from None


def folder_error(error: OSError, path: Path) -> StorageError:
    """An `OSError` met while making a SQLite file's folders or files, as a `StorageError`."""
    where = error.filename or path.parent
    if error.errno == errno.ENOSPC:
        return DiskFullError(
            "the disk is full", f"no space left to create {where}", "free some space"
        )
    if error.errno == errno.EROFS:
        return DatabaseReadOnlyError(
            "cannot create the database",
            f"{where} is on a file system mounted read-only",
            "choose a writable place with --db sqlite:///path/to/file.db",
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return PermissionDeniedError(
            "cannot create the database",
            f"{current_user()} may not create {where}",
            "choose a folder you can write with --db sqlite:///path/to/file.db",
        )
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        return DatabaseUrlError(
            "cannot create the database",
            f"part of the path {path} is a file, not a folder",
            "check the path in the database URL",
        )
    return OtherStorageError(
        "cannot create the database",
        f"{where}: {error.strerror or 'operating system error'}",
        "check the path and its permissions",
    )


def missing_database(location: DatabaseLocation) -> DatabaseNotFoundError:
    """The error a reading command gives when there is no database where the URL points."""
    path = location.sqlite_file
    assert path is not None
    if location.source == DEFAULT_SOURCE:
        return DatabaseNotFoundError(
            "nothing is stored yet",
            f"there is no database at {path}",
            "take a quiz first (`skillprobe quiz`), or name an existing database with --db",
        )
    detail = str(path)
    if not path.parent.exists():
        detail += f" (the folder {path.parent} does not exist either)"
    return DatabaseNotFoundError(
        "no database",
        detail,
        f"check the path in {location.source}; a command that writes (such as "
        "`skillprobe quiz`) creates a new one",
    )
