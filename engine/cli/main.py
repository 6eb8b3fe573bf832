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
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skillprobe",
        description=(
            "Adaptive skills assessment for ML engineering jobs. "
            "Without a command, opens the terminal app."
        ),
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy database URL (default: $SKILLPROBE_DATABASE_URL, else a SQLite "
        "file in the user data directory)",
    )
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


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = _app_arguments(arguments)
    if args is None:
        args = build_parser().parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        from engine.cli.app import run_app

        handler = run_app
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
