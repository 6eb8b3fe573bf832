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

COMMAND_MODULES = ("bank", "db", "quiz", "report", "score", "simulate", "preview", "calibrate")


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
