"""Where the database is, and how to connect to it.

SQLite is the zero-setup default (a file in the user's data directory);
any SQLAlchemy URL (PostgreSQL with psycopg 3) works through ``--db`` or
``SKILLPROBE_DATABASE_URL``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL_VARIABLE = "SKILLPROBE_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 5000


def default_database_path() -> Path:
    """`$XDG_DATA_HOME/skillprobe/skillprobe.db` on Linux; the platform's data folder elsewhere."""
    from platformdirs import user_data_path

    return user_data_path("skillprobe", appauthor=False) / "skillprobe.db"


def resolve_database_url(explicit: str | None = None) -> str:
    """The URL given on the command line, else the environment, else the default file."""
    url = explicit or os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return normalise_url(url)
    return f"sqlite:///{default_database_path()}"


def normalise_url(url: str) -> str:
    """Let people write ``postgresql://`` and still get the psycopg 3 driver we ship."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def create_database_engine(url: str) -> Engine:
    """An engine with the settings skillprobe relies on (WAL, busy timeout, foreign keys)."""
    path = sqlite_path(url)
    options: dict[str, Any] = {}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL makes NORMAL durable across application crashes (not power loss), and much faster.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


class Database:
    """An engine and a session factory; each unit of work gets its own session."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_database_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back if it raises."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
