"""Alembic environment, configured in code.

No ``fileConfig``: Alembic's default would reconfigure logging and write to
stderr, which corrupts a running TUI. The connection usually comes from
``engine.db.migrate`` through ``config.attributes["connection"]``; the
``alembic`` command line (configured by ``[tool.alembic]`` in pyproject.toml)
gets its URL from ``-x url=...``, ``SKILLPROBE_DATABASE_URL`` or the default file.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from engine.db.database import create_database_engine, resolve_database_url
from engine.db.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get("url") or resolve_database_url()
    context.configure(url=url, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or resolve_database_url()
    engine = create_database_engine(url)
    try:
        with engine.begin() as new_connection:
            _configure(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
