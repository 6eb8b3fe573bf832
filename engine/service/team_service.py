"""Team set-up on PostgreSQL: instructors and learners as database roles, row-level security.

`init_team` creates the two group roles and the policies of
`engine.db.row_security`; `add_learner` and `add_instructor` create (or enrol)
login roles. Everything happens in one transaction. On SQLite every call
raises `TeamError` with `NEEDS_POSTGRESQL`: there are no roles to tell people
apart, and file permissions are the only access control. docs/operations.md
describes the trust model.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from engine.db import team_store
from engine.db.database import Database, resolve_database_url
from engine.db.faults import StorageError
from engine.db.row_security import GroupRoles
from engine.db.team_store import AddedRole, TeamRefusalError, TeamState
from engine.text import printable

NEEDS_POSTGRESQL = (
    "team set-up needs PostgreSQL: row-level security and database roles exist only there. "
    "A SQLite database is one file, readable by whoever can read the file; point --db at a "
    "postgresql:// URL for a team"
)
#: Generated passwords: 24 URL-safe characters (144 bits).
PASSWORD_BYTES = 18

Result = TypeVar("Result")


class TeamError(Exception):
    """A team operation that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class TeamSetup:
    groups: GroupRoles
    created: tuple[str, ...]  # group roles created now (empty when refreshed)


@dataclass(frozen=True)
class AddedLogin:
    """A login role added to a group; ``password`` is set when it was generated here."""

    role: str
    created: bool
    group: str
    learner: str | None = None
    learner_created: bool = False
    password: str | None = None


def login_url(database_url: str, role: str, password: str | None) -> str:
    """The database URL with another role's name and password, for the person it belongs to."""
    from sqlalchemy.engine import make_url

    return (
        make_url(database_url)
        .set(username=role, password=password)
        .render_as_string(hide_password=False)
    )


def new_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


def require_postgresql(explicit_url: str | None) -> None:
    """Raise `TeamError` unless the database (as `--db` or the environment name it) is
    PostgreSQL: checked before opening, so a team command never creates a SQLite file."""
    if make_url(resolve_database_url(explicit_url)).get_backend_name() != "postgresql":
        raise TeamError(NEEDS_POSTGRESQL)


@contextmanager
def _team_transaction(database: Database) -> Iterator[Session]:
    if database.engine.dialect.name != "postgresql":
        raise TeamError(NEEDS_POSTGRESQL)
    try:
        with database.unit_of_work() as session:
            yield session
    except TeamRefusalError as refusal:
        raise TeamError(str(refusal)) from refusal
    except StorageError as error:  # the unit of work's translation: already one safe line
        raise TeamError(str(error)) from error
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise TeamError(f"the database refused: {printable(reason)}") from error


def _run(database: Database, work: Callable[[Session], Result]) -> Result:
    with _team_transaction(database) as session:
        return work(session)


def init_team(database: Database, prefix: str | None = None) -> TeamSetup:
    """Create or refresh the group roles, privileges and policies (idempotent)."""

    def work(session: Session) -> TeamSetup:
        groups, created = team_store.init_team(session, prefix)
        return TeamSetup(groups, tuple(created))

    return _run(database, work)


def _login(
    added: AddedRole, group: str, password: str | None, learner: str | None = None
) -> AddedLogin:
    return AddedLogin(
        role=added.role,
        created=added.created,
        group=group,
        learner=learner,
        learner_created=added.learner_created,
        password=password if added.created else None,
    )


def add_learner(
    database: Database,
    learner: str,
    role: str | None = None,
    *,
    password: str | None = None,
    generate_password: bool = True,
) -> AddedLogin:
    """Give ``learner`` (created if new) the login role ``role`` (default: from the name).

    A new role gets ``password``, or a generated one when ``generate_password``
    (returned once, never stored), or none (for certificate or peer logins).
    An existing role is enrolled as it is, unless it could read everyone's rows.
    """
    name = learner.strip()
    if not name:
        raise TeamError("the learner name is empty")
    chosen_role = role or team_store.slug_role_name(name)
    if not chosen_role:
        raise TeamError(f"cannot make a role name from {printable(name)!r}; give one with --role")
    secret = password if password is not None else new_password() if generate_password else None

    def work(session: Session) -> AddedLogin:
        added = team_store.add_learner_role(session, name, chosen_role, secret)
        groups = team_store.group_roles(session)
        assert groups is not None
        return _login(added, groups.learners, secret, name)

    return _run(database, work)


def add_instructor(
    database: Database,
    role: str,
    *,
    password: str | None = None,
    generate_password: bool = True,
) -> AddedLogin:
    """Create the login role ``role`` in the instructors' group, or enrol an existing one."""
    secret = password if password is not None else new_password() if generate_password else None

    def work(session: Session) -> AddedLogin:
        added = team_store.add_instructor_role(session, role, secret)
        groups = team_store.group_roles(session)
        assert groups is not None
        return _login(added, groups.instructors, secret)

    return _run(database, work)


def team_status(database: Database) -> TeamState:
    """The group roles, instructors, which role owns which learners, and unlisted tables."""
    return _run(database, team_store.team_state)
