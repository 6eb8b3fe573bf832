"""A database holding the shipped bank, shared by the service tests."""

from __future__ import annotations

import pytest

from engine.db.database import Database
from engine.service.bank_service import import_bank
from engine.service.quiz_service import QuizService


@pytest.fixture
def loaded_database(database: Database) -> Database:
    outcome = import_bank(database)
    assert outcome.summary is not None, outcome.errors
    return database


@pytest.fixture
def service(loaded_database: Database) -> QuizService:
    return QuizService(loaded_database)
