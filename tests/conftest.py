"""Shared fixtures: isolated data directories and a database on each configured backend."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.db.database import DATABASE_URL_VARIABLE, Database
from engine.service.storage import open_database

TEST_DATABASE_URL_VARIABLE = "SKILLPROBE_TEST_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_BANK = REPO_ROOT / "quizzes"

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Never read or write the developer's real data directory or database."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)


def _backends() -> list[object]:
    postgres_url = os.environ.get(TEST_DATABASE_URL_VARIABLE)
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param(
            postgres_url,
            id="postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(
                    not postgres_url, reason=f"{TEST_DATABASE_URL_VARIABLE} is not set"
                ),
            ],
        ),
    ]


def worker_schema(worker: str) -> str | None:
    """The PostgreSQL schema of a pytest-xdist worker ("gw0", ...); None outside xdist.

    Workers share one test database, so each gets a schema of its own (reached
    through the connection's search_path) instead of resetting `public` under
    the others' feet.
    """
    return None if worker in ("", "master") else f"skillprobe_{worker}"


def reset_postgres(url: str, schema: str | None = None) -> str:
    """Empty `schema` (default: public) and return the URL whose connections use it."""
    from sqlalchemy import create_engine, text

    name = schema or "public"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    if schema is None:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path, worker_id: str) -> str:
    """A URL to an empty database: a SQLite file, and PostgreSQL when configured."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return reset_postgres(request.param, worker_schema(worker_id))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An empty database with the schema at the latest migration."""
    opened = open_database(database_url)
    yield opened.database
    opened.database.dispose()
