"""Pieces shared by the sub-commands: the database option, opening it, and error printing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import NoReturn

from engine.bank import BankError
from engine.clock import ClockError, SystemClock
from engine.service.storage import OpenedDatabase, open_database

EXIT_OK = 0
EXIT_PROBLEM = 1


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="the database: sqlite:///path/to/file.db or postgresql://user@host/dbname "
        "(default: $SKILLPROBE_DATABASE_URL, else skillprobe.db in the user data directory); "
        "timeouts and read-only use: skillprobe --help",
    )


def open_database_or_exit(args: argparse.Namespace, *, writes: bool = True) -> OpenedDatabase:
    """The database of ``--db``; a storage problem ends the command with its one line.

    Only a command that `writes` may create a database (and says where); a
    reading command is refused when there is none, and opens a read-only file
    read-only. (`engine.cli.main` prints the `StorageError` and exits 1.)
    """
    opened = open_database(getattr(args, "db", None), for_writing=writes)
    if opened.created_note:
        print(f"skillprobe: {opened.created_note}", file=sys.stderr)
    return opened


def clock_or_exit() -> SystemClock:
    """The one clock of a command: the wall clock, or the instant `SKILLPROBE_NOW` pins."""
    try:
        return SystemClock.from_environment()
    except ClockError as error:
        fail(str(error))


def name_list(text: str | None) -> tuple[str, ...]:
    """A comma-separated option ("math, ml") as names, empty entries left out."""
    return tuple(name.strip() for name in (text or "").split(",") if name.strip())


def print_errors(errors: Iterable[BankError]) -> int:
    count = 0
    for error in errors:
        print(error, file=sys.stderr)
        count += 1
    if count:
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
    return count


def fail(message: str) -> NoReturn:
    print(f"skillprobe: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_PROBLEM)
