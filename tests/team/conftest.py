"""A team database on PostgreSQL: an admin, two learners and an instructor, each a real login.

Roles belong to the whole server, so every test makes its own with a unique prefix
and drops them afterwards (the schema first: privileges and policies go with it).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.db.database import Database
from engine.practice.model import PracticeRequest
from engine.quiz.model import Answer, QuizLength, QuizRequest
from engine.service import team_service
from engine.service.bank_service import import_bank
from engine.service.practice_service import PracticeService
from engine.service.quiz_service import QuizService
from engine.service.storage import open_database
from tests.bank.bank_factory import single_item, write_bank
from tests.conftest import TEST_DATABASE_URL_VARIABLE, reset_postgres, worker_schema
from tests.service.simulee import Simulee


@dataclass
class Team:
    url: str
    schema: str
    prefix: str
    admin: Database
    ana: Database
    bob: Database
    teacher: Database
    roles: tuple[str, ...]

    def role_of(self, who: str) -> str:
        return f"{self.prefix}_{who}"


def small_bank(root: Path) -> Path:
    return write_bank(
        root,
        {
            "math/probability.yaml": "".join(single_item(f"p-{k}") for k in range(8)),
            "swe/git.yaml": "".join(single_item(f"g-{k}") for k in range(8)),
        },
    )


def take_quiz(database: Database, learner: str, seed: int, length: int = 6) -> int:
    service = QuizService(database)
    simulee = Simulee(0.0, service.bank_items(), seed=seed)
    request = QuizRequest(learner, (), "practice", QuizLength(preset=None, length=length), seed)
    quiz_id = service.start_quiz(request).session_id
    while (question := service.next_question(quiz_id)) is not None:
        service.submit(question, simulee.answer(question), 100)
    return quiz_id


def practise(database: Database, learner: str, seed: int, count: int = 3) -> int:
    """A short practice session, every question skipped (so each gets a due card)."""
    service = PracticeService(QuizService(database), seed_source=lambda: seed)
    session_id = service.start(PracticeRequest(learner, count=count, seed=seed)).session_id
    while (shown := service.next_question(session_id)) is not None:
        service.submit(shown, Answer.skip(), 100)
    return session_id


def login(url: str, role: str, password: str) -> Database:
    return open_database(team_service.login_url(url, role, password)).database


@pytest.fixture
def postgres_url(worker_id: str) -> str:
    url = os.environ.get(TEST_DATABASE_URL_VARIABLE)
    if not url:
        pytest.skip(f"{TEST_DATABASE_URL_VARIABLE} is not set")
    return reset_postgres(url, worker_schema(worker_id))


@pytest.fixture
def team(postgres_url: str, tmp_path: Path, worker_id: str) -> Iterator[Team]:
    prefix = "t" + uuid.uuid4().hex[:10]
    admin = open_database(postgres_url).database
    outcome = import_bank(admin, small_bank(tmp_path / "bank"))
    assert outcome.summary is not None, outcome.errors
    setup = team_service.init_team(admin, prefix)
    roles = [setup.groups.instructors, setup.groups.learners]
    logins = {}
    try:
        for who in ("ana", "bob"):
            added = team_service.add_learner(admin, who, f"{prefix}_{who}", password=f"pw-{who}")
            roles.append(added.role)
            logins[who] = login(postgres_url, added.role, f"pw-{who}")
        teacher = team_service.add_instructor(admin, f"{prefix}_teacher", password="pw-teacher")
        roles.append(teacher.role)
        logins["teacher"] = login(postgres_url, teacher.role, "pw-teacher")
        yield Team(
            postgres_url,
            worker_schema(worker_id) or "public",
            prefix,
            admin,
            logins["ana"],
            logins["bob"],
            logins["teacher"],
            tuple(roles),
        )
    finally:
        for database in (*logins.values(), admin):
            database.dispose()
        _drop(postgres_url, worker_schema(worker_id) or "public", roles)


def _drop(url: str, schema: str, roles: list[str]) -> None:
    engine = create_engine(make_url(url).difference_update_query(["options"]))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        for role in reversed(roles):
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    engine.dispose()
