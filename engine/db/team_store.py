"""Team roles on PostgreSQL: group roles, login roles mapped to learners, and the policies.

Runs the plan of `engine.db.row_security` in the caller's unit of work (one
transaction: PostgreSQL's role and policy DDL is transactional, so a failure
changes nothing). Functions return plain values; refusals raise `TeamRefusalError`
with a message for the person at the terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from engine.db import quiz_store
from engine.db.models import Learner, LearnerRole, TeamRole
from engine.db.row_security import TABLE_ACCESS, GroupRoles, table_statements

if TYPE_CHECKING:
    import psycopg

INSTRUCTORS = "instructors"
LEARNERS = "learners"
#: Role names are kept to what PostgreSQL folds unquoted names to, so that they can be
#: typed in a URL or psql as they are.
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_GROUP_SUFFIXES = {INSTRUCTORS: "_instructors", LEARNERS: "_learners"}


class TeamRefusalError(Exception):
    """A team operation that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class RoleFacts:
    exists: bool
    superuser: bool = False
    bypasses_rls: bool = False
    can_login: bool = False


@dataclass(frozen=True)
class MappedRole:
    role: str
    learners: tuple[str, ...]


@dataclass(frozen=True)
class TeamState:
    groups: GroupRoles | None
    instructors: tuple[str, ...]
    learner_roles: tuple[MappedRole, ...]
    unprotected_tables: tuple[str, ...]  # tables in the schema the plan does not list


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _quote(session: Session, name: str) -> str:
    return session.get_bind().dialect.identifier_preparer.quote(name)


def slug_role_name(text_: str) -> str:
    """A role name made from a learner or database name: lower case, ``_`` between words."""
    slug = re.sub(r"[^a-z0-9]+", "_", text_.lower()).strip("_")
    if slug and slug[0].isdigit():
        slug = "_" + slug
    return slug[:63]


def check_role_name(name: str) -> None:
    if not ROLE_NAME.match(name):
        raise TeamRefusalError(
            f"{name!r} is not a usable role name: use 1 to 63 lower-case letters, digits and "
            "underscores, starting with a letter or underscore"
        )


def group_roles(session: Session) -> GroupRoles | None:
    """The team's group roles, or None when `team init` has not been run here."""
    rows = dict(session.execute(select(TeamRole.kind, TeamRole.role_name)).all())
    if INSTRUCTORS not in rows or LEARNERS not in rows:
        return None
    return GroupRoles(rows[INSTRUCTORS], rows[LEARNERS])


def default_prefix(session: Session) -> str:
    """The database's name as a role-name prefix (roles are shared by a whole server)."""
    name = str(session.execute(text("SELECT current_database()")).scalar_one())
    return slug_role_name(name)[: 63 - max(len(s) for s in _GROUP_SUFFIXES.values())] or "team"


def role_facts(session: Session, role: str) -> RoleFacts:
    row = session.execute(
        text("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = :name"),
        {"name": role},
    ).first()
    if row is None:
        return RoleFacts(False)
    return RoleFacts(True, bool(row[0]), bool(row[1]), bool(row[2]))


def _is_member(session: Session, role: str, group: str) -> bool:
    return bool(
        session.execute(
            text("SELECT pg_has_role(:role, :group, 'MEMBER')"), {"role": role, "group": group}
        ).scalar_one()
    )


def _owns_the_tables(session: Session, role: str) -> bool:
    """Whether ``role`` owns (or is a member of the owner of) the learners table."""
    owner = session.execute(
        text(
            "SELECT tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'learners'"
        )
    ).scalar()
    return owner is not None and _is_member(session, role, str(owner))


def existing_tables(session: Session) -> set[str]:
    rows = session.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ).scalars()
    return set(rows)


def _serial_sequence(session: Session, table: str) -> str | None:
    has_id = session.execute(
        text(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = :table AND column_name = 'id'"
        ),
        {"table": table},
    ).first()
    if has_id is None:
        return None
    sequence = session.execute(
        text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": _quote(session, table)}
    ).scalar()
    return str(sequence) if sequence else None


def init_team(session: Session, prefix: str | None) -> tuple[GroupRoles, list[str]]:
    """Create (or refresh) the group roles, privileges and policies; returns the groups and
    the new roles created."""
    if not _owns_the_tables(session, str(session.execute(text("SELECT current_user")).scalar())):
        raise TeamRefusalError(
            "run `skillprobe team init` as the role that owns the skillprobe tables (the one "
            "that created the schema): only it can enable row-level security"
        )
    stored = group_roles(session)
    if stored is not None and prefix is not None:
        wanted = GroupRoles(
            prefix + _GROUP_SUFFIXES[INSTRUCTORS], prefix + _GROUP_SUFFIXES[LEARNERS]
        )
        if wanted != stored:
            raise TeamRefusalError(
                f"this database is already set up with the roles {stored.instructors} and "
                f"{stored.learners}; run `skillprobe team init` without --prefix to refresh it"
            )
    if stored is None:
        base = prefix if prefix is not None else default_prefix(session)
        groups = GroupRoles(base + _GROUP_SUFFIXES[INSTRUCTORS], base + _GROUP_SUFFIXES[LEARNERS])
    else:
        groups = stored
    for name in (groups.instructors, groups.learners):
        check_role_name(name)
    created = []
    for name in (groups.instructors, groups.learners):
        facts = role_facts(session, name)
        if not facts.exists:
            session.execute(text(f"CREATE ROLE {_quote(session, name)} NOLOGIN"))
            created.append(name)
        elif facts.superuser or facts.bypasses_rls or facts.can_login:
            raise TeamRefusalError(
                f"the role {name} exists and is not a plain group role (it can log in or "
                "bypasses row-level security); choose another --prefix"
            )
    quote = _quote(session, groups.instructors), _quote(session, groups.learners)
    session.execute(text(f"GRANT USAGE ON SCHEMA {_schema(session)} TO {quote[0]}, {quote[1]}"))
    present = existing_tables(session)
    for access in TABLE_ACCESS:
        if access.table not in present:
            continue
        for statement in table_statements(access, groups, lambda name: _quote(session, name)):
            session.execute(text(statement))
        sequence = _serial_sequence(session, access.table)
        inserting = (access.instructors_write, "INSERT" in access.learners_write)
        writers = [q for q, inserts in zip(quote, inserting, strict=True) if inserts]
        if sequence and writers:
            session.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO {', '.join(writers)}"))
    if stored is None:
        session.add_all(
            [
                TeamRole(kind=INSTRUCTORS, role_name=groups.instructors),
                TeamRole(kind=LEARNERS, role_name=groups.learners),
            ]
        )
    return groups, created


def _schema(session: Session) -> str:
    return _quote(session, str(session.execute(text("SELECT current_schema()")).scalar_one()))


def _required_groups(session: Session) -> GroupRoles:
    groups = group_roles(session)
    if groups is None:
        raise TeamRefusalError(
            "this database has no team set-up yet: run `skillprobe team init` first"
        )
    return groups


def _create_login_role(session: Session, role: str, password: str | None, group: str) -> None:
    """CREATE ROLE ... LOGIN, with the password sent as a SCRAM verifier, never in clear."""
    from psycopg import sql

    connection: psycopg.Connection[object] = session.connection().connection.driver_connection  # type: ignore[assignment]
    statement = sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
        sql.Identifier(role), sql.Identifier(group)
    )
    if password is not None:
        verifier = connection.pgconn.encrypt_password(
            password.encode(), role.encode(), b"scram-sha-256"
        )
        statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(verifier.decode()))
    # Straight to the driver, in the session's transaction: the verifier is a literal.
    with connection.cursor() as cursor:
        cursor.execute(statement)


def _checked_existing_role(session: Session, role: str, groups: GroupRoles, joining: str) -> None:
    facts = role_facts(session, role)
    if facts.superuser or facts.bypasses_rls or _owns_the_tables(session, role):
        raise TeamRefusalError(
            f"the role {role} is a superuser, bypasses row-level security or owns the tables: "
            "it would see every learner's data; give the person a role of their own"
        )
    other = groups.instructors if joining == groups.learners else groups.learners
    if _is_member(session, role, other):
        raise TeamRefusalError(
            f"the role {role} is already in {other}; a role is an instructor or a learner, not both"
        )
    session.execute(text(f"GRANT {_quote(session, joining)} TO {_quote(session, role)}"))


@dataclass(frozen=True)
class AddedRole:
    role: str
    created: bool  # False: an existing role was given the group's rights
    learner_created: bool = False


def add_learner_role(session: Session, learner: str, role: str, password: str | None) -> AddedRole:
    """Map ``role`` to the learner (created if new); create the role if it does not exist."""
    groups = _required_groups(session)
    check_role_name(role)
    learner_created = quiz_store.learner_id(session, learner, create=False) is None
    learner_id = quiz_store.learner_id(session, learner, create=True)
    exists = role_facts(session, role).exists
    if exists:
        _checked_existing_role(session, role, groups, groups.learners)
    else:
        _create_login_role(session, role, password, groups.learners)
    known = session.get(LearnerRole, (role, learner_id))
    if known is None:
        session.add(LearnerRole(role_name=role, learner_id=learner_id))
    return AddedRole(role, not exists, learner_created)


def add_instructor_role(session: Session, role: str, password: str | None) -> AddedRole:
    groups = _required_groups(session)
    check_role_name(role)
    exists = role_facts(session, role).exists
    if exists:
        _checked_existing_role(session, role, groups, groups.instructors)
    else:
        _create_login_role(session, role, password, groups.instructors)
    return AddedRole(role, not exists)


def unmap_learner_role(session: Session, role: str) -> int:
    """Forget which learners ``role`` owns (the role itself is left to the server admin)."""
    result = session.execute(delete(LearnerRole).where(LearnerRole.role_name == role))
    return int(getattr(result, "rowcount", 0) or 0)


def team_state(session: Session) -> TeamState:
    groups = group_roles(session)
    mapped: dict[str, list[str]] = {}
    rows = session.execute(
        select(LearnerRole.role_name, Learner.name)
        .join(Learner, Learner.id == LearnerRole.learner_id)
        .order_by(LearnerRole.role_name, Learner.name)
    )
    for role, name in rows:
        mapped.setdefault(role, []).append(name)
    instructors: tuple[str, ...] = ()
    if groups is not None:
        instructors = tuple(
            session.execute(
                text(
                    "SELECT member.rolname FROM pg_auth_members m "
                    "JOIN pg_roles grp ON grp.oid = m.roleid "
                    "JOIN pg_roles member ON member.oid = m.member "
                    "WHERE grp.rolname = :group ORDER BY member.rolname"
                ),
                {"group": groups.instructors},
            ).scalars()
        )
    listed = {access.table for access in TABLE_ACCESS}
    unprotected = tuple(sorted(existing_tables(session) - listed))
    return TeamState(
        groups,
        instructors,
        tuple(MappedRole(role, tuple(names)) for role, names in mapped.items()),
        unprotected,
    )
