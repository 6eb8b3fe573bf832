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


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database: a SQLite file, and PostgreSQL when configured."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    reset_postgres(request.param)
    return request.param


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An empty database with the schema at the latest migration."""
    opened = open_database(database_url)
    yield opened.database
    opened.database.dispose()
