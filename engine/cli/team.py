"""`skillprobe team`: a team database on PostgreSQL, with learners kept apart by row-level security.

Run by the database's owner (the role that created the schema). See
docs/operations.md ("Private learner data") for the roles and the trust model.
"""

from __future__ import annotations

import argparse
import sys

from engine.cli.common import EXIT_OK, add_database_option, fail, open_database_or_exit
from engine.service import team_service
from engine.service.storage import OpenedDatabase
from engine.service.team_service import AddedLogin, TeamError
from engine.text import printable


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "team",
        help="roles and row-level security for a shared PostgreSQL database",
        description="Set up a shared PostgreSQL database for a team: an instructors' role that "
        "reads everything and manages cohorts, and a learner role per learner that reads the "
        "bank and only its own learners' quizzes and answers (row-level security). Run as the "
        "owner of the skillprobe tables. PostgreSQL only.",
    )
    actions = parser.add_subparsers(dest="team_action", metavar="ACTION", required=True)

    init = actions.add_parser(
        "init",
        help="create the group roles and the row-level security policies",
        description="Create the group roles PREFIX_instructors and PREFIX_learners and give "
        "every table its privileges and policies. Safe to run again: after `skillprobe db "
        "upgrade`, run it so that new tables get their policies.",
    )
    init.add_argument(
        "--prefix",
        metavar="PREFIX",
        help="role-name prefix (default: the database's name; roles are shared by every "
        "database on the server)",
    )
    add_database_option(init)
    init.set_defaults(handler=run_init)

    learner = actions.add_parser(
        "add-learner",
        help="a login role for a learner (created if new)",
        description="Give the learner NAME (created if new) a login role that can read and "
        "write only that learner's data. A new role gets a generated password, printed once.",
    )
    learner.add_argument("name", metavar="NAME")
    learner.add_argument(
        "--role", metavar="ROLE", help="login role name (default: made from NAME, e.g. ana_lima)"
    )
    _password_options(learner)
    add_database_option(learner)
    learner.set_defaults(handler=run_add_learner)

    instructor = actions.add_parser(
        "add-instructor",
        help="a login role in the instructors' group",
        description="Create the login role ROLE in the instructors' group (or add an existing "
        "role to it). Instructors read every learner's data and manage cohorts.",
    )
    instructor.add_argument("role", metavar="ROLE")
    _password_options(instructor)
    add_database_option(instructor)
    instructor.set_defaults(handler=run_add_instructor)

    status = actions.add_parser(
        "status",
        help="the roles, which learners each owns, and tables without a policy",
        description="Show the group roles, the instructors, each learner role's learners, and "
        "any table the row-level security plan does not cover.",
    )
    add_database_option(status)
    status.set_defaults(handler=run_status)


def _password_options(parser: argparse.ArgumentParser) -> None:
    how = parser.add_mutually_exclusive_group()
    how.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new role's password from the first line of standard input",
    )
    how.add_argument(
        "--no-password",
        action="store_true",
        help="no password (for certificate, peer or LDAP logins set up on the server)",
    )


def _password(args: argparse.Namespace) -> tuple[str | None, bool]:
    """(password, generate?) as the options say."""
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            fail("--password-stdin: standard input gave no password")
        return line, False
    return None, not args.no_password


def _open_team_database(args: argparse.Namespace, *, writes: bool = True) -> OpenedDatabase:
    try:
        team_service.require_postgresql(getattr(args, "db", None))
    except TeamError as error:
        fail(str(error))
    return open_database_or_exit(args, writes=writes)


def run_init(args: argparse.Namespace) -> int:
    opened = _open_team_database(args)
    try:
        setup = team_service.init_team(opened.database, args.prefix)
    except TeamError as error:
        fail(str(error))
    verb = "created" if setup.created else "refreshed"
    print(
        f"team set-up {verb}: instructors' role {setup.groups.instructors}, learners' role "
        f"{setup.groups.learners}; row-level security on every per-learner table"
    )
    print("next: `skillprobe team add-instructor ROLE` and `skillprobe team add-learner NAME`")
    return EXIT_OK


def _report_login(url: str, added: AddedLogin, what: str) -> None:
    if added.created:
        print(f"created login role {added.role} ({what}, in {added.group})")
    else:
        print(
            f"existing role {added.role} is now {what} (in {added.group}); "
            "its password is unchanged"
        )
    if added.password is not None and added.created:
        print(f"password (shown once, not stored): {added.password}")
        print(f"connect with: --db '{team_service.login_url(url, added.role, added.password)}'")


def run_add_learner(args: argparse.Namespace) -> int:
    opened = _open_team_database(args)
    password, generate = _password(args)
    try:
        added = team_service.add_learner(
            opened.database, args.name, args.role, password=password, generate_password=generate
        )
    except TeamError as error:
        fail(str(error))
    name = printable(added.learner or args.name)
    if added.learner_created:
        print(f"created learner {name}")
    _report_login(opened.database.url, added, f"learner {name}'s role")
    return EXIT_OK


def run_add_instructor(args: argparse.Namespace) -> int:
    opened = _open_team_database(args)
    password, generate = _password(args)
    try:
        added = team_service.add_instructor(
            opened.database, args.role, password=password, generate_password=generate
        )
    except TeamError as error:
        fail(str(error))
    _report_login(opened.database.url, added, "an instructor")
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    opened = _open_team_database(args, writes=False)
    try:
        state = team_service.team_status(opened.database)
    except TeamError as error:
        fail(str(error))
    if state.groups is None:
        print("no team set-up on this database: `skillprobe team init` creates it")
        return EXIT_OK
    print(f"instructors' role: {state.groups.instructors}")
    print(f"  members: {', '.join(state.instructors) or 'none yet'}")
    print(f"learners' role: {state.groups.learners}")
    for mapped in state.learner_roles:
        print(f"  {mapped.role}: {', '.join(printable(n) for n in mapped.learners)}")
    if not state.learner_roles:
        print("  no learner roles yet")
    if state.unprotected_tables:
        print(
            "tables no team role may use until they are added to engine/db/row_security.py: "
            + ", ".join(state.unprotected_tables)
        )
    return EXIT_OK
