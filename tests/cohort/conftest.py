"""A small bank in a database on each backend, and learners who have taken real quizzes."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.db.database import Database
from engine.service.bank_service import import_bank
from tests.team.conftest import small_bank


@pytest.fixture
def bank_database(database: Database, tmp_path: Path) -> Database:
    outcome = import_bank(database, small_bank(tmp_path / "bank"))
    assert outcome.summary is not None, outcome.errors
    return database
