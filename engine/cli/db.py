"""`skillprobe db`: schema upgrades for operators."""

from __future__ import annotations

import argparse

from engine.cli.common import EXIT_OK, add_database_option, open_database_or_exit
from engine.service.storage import schema_status


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "db",
        help="show or upgrade the database schema",
        description="Operator commands for the database schema. Skillprobe also upgrades "
        "automatically when it opens a database (a SQLite file is first copied to "
        "<file>.bak-<revision>).",
    )
    commands = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = commands.add_parser("upgrade", help="apply pending migrations")
    add_database_option(upgrade)
    upgrade.set_defaults(handler=run_upgrade)
    current = commands.add_parser("current", help="print the schema revision and the latest one")
    add_database_option(current)
    current.set_defaults(handler=run_current)


def run_upgrade(args: argparse.Namespace) -> int:
    result = open_database_or_exit(args).upgrade
    if result.changed:
        print(f"upgraded {result.previous or 'empty database'} -> {result.current}")
        if result.backup:
            print(f"backup of the previous file: {result.backup}")
    else:
        print(f"already at the latest revision {result.current}")
    return EXIT_OK


def run_current(args: argparse.Namespace) -> int:
    status = schema_status(getattr(args, "db", None))
    state = "up to date" if status.up_to_date else "upgrade pending"
    print(f"database: {status.url}")
    print(f"revision: {status.current or 'none (empty database)'}; latest: {status.head} ({state})")
    return EXIT_OK
