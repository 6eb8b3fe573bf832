"""Entry point of the `skillprobe` command.

Every sub-command lives in its own module under `engine.cli` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``(argparse.Namespace) -> int`` returning the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

# Light (no SQLAlchemy): the app's first paint must not wait for the storage stack.
from engine.service.storage_errors import StorageError

DATABASE_HELP = (
    "the database: sqlite:///path/to/file.db or postgresql://user@host/dbname (default: "
    "$SKILLPROBE_DATABASE_URL, else a SQLite file in the user data directory); only commands "
    "that write create one"
)
ENVIRONMENT_HELP = """\
environment:
  SKILLPROBE_DATABASE_URL       the database, when --db is not given
  SKILLPROBE_CONNECT_TIMEOUT    seconds to wait for the database server to answer (10)
  SKILLPROBE_STATEMENT_TIMEOUT  seconds one statement may run, 0 for no limit (30)
  SKILLPROBE_LOCK_TIMEOUT       seconds to wait for another process's lock (30)
  SKILLPROBE_SETUP_TIMEOUT      seconds to wait for another process's schema upgrade
                                or bank import (300)
Timeouts, locks, read-only databases and every fault message: docs/operations.md."""

COMMAND_MODULES = (
    "bank",
    "db",
    "quiz",
    "report",
    "score",
    "simulate",
    "preview",
    "calibrate",
    "responses",
    "cohort",
    "team",
    "practice",
)


class OneLineErrorParser(argparse.ArgumentParser):
    """Usage mistakes as one clear line and exit code 1, like every other bad input.

    argparse's default prints the whole usage and exits 2; the project's rule is one
    line, `skillprobe COMMAND: error: ...`, and exit 1 (`--help` still shows the usage).
    """

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="skillprobe",
        description=(
            "Adaptive skills assessment for ML engineering jobs. "
            "Without a command, opens the terminal app."
        ),
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="URL", help=DATABASE_HELP)
    parser.add_argument(
        "--cohort",
        metavar="NAME",
        help="the app: join this cohort (default: $SKILLPROBE_COHORT; see `skillprobe cohort`)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"engine.cli.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"engine.cli.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def _app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options of a bare `skillprobe [--db URL] [--cohort NAME]`, or None with a command.

    Opening the app must not import every command's dependencies (SQLAlchemy,
    NumPy, pydantic: about 0.4 s) before the first screen is painted, so the
    full parser is only built when a command or --help is asked for.
    """
    light = argparse.ArgumentParser(prog="skillprobe", add_help=False)
    light.add_argument("--db", metavar="URL")
    light.add_argument("--cohort", metavar="NAME")
    args, rest = light.parse_known_args(argv)
    return None if rest else args


#: Options whose value may start with "-" ("--time-limit -5m"): argparse would take the value
#: for an option and say only "expected one argument"; joined as "--time-limit=-5m", the
#: command itself explains what is wrong with the value.
DASH_VALUE_OPTIONS = frozenset({"--time-limit"})


def _join_dash_values(arguments: list[str]) -> list[str]:
    joined: list[str] = []
    rest = iter(arguments)
    for argument in rest:
        if argument in DASH_VALUE_OPTIONS:
            value = next(rest, None)
            if value is not None and value.startswith("-") and value[1:2].isdigit():
                joined.append(f"{argument}={value}")
                continue
            joined.append(argument)
            if value is not None:
                joined.append(value)
            continue
        joined.append(argument)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _join_dash_values(list(sys.argv[1:] if argv is None else argv))
    args = _app_arguments(arguments)
    if args is None:
        args = build_parser().parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        from engine.cli.app import run_app

        handler = run_app
    try:
        return int(handler(args))
    except StorageError as error:
        # The one place a storage fault becomes output: one line, never a traceback
        # (which would show the SQL and the values in it).
        print(f"skillprobe: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
