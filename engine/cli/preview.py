"""`skillprobe preview FILE`: see a topic file's items as learners will, reloading on save."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEM = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="show a topic file's items as learners see them, reloading on save",
        description="Open a topic file (quizzes/<area>/<topic>.yaml) in the terminal app: every "
        "item rendered as in a quiz (r reveals the answer), every problem listed as "
        "file:line:column. The view reloads whenever the file is saved.",
    )
    parser.add_argument("path", type=Path, metavar="FILE", help="a topic file of the bank")
    parser.add_argument(
        "--interval",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="how often to check the file for changes (default: 0.5)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.is_file():
        print(f"skillprobe: error: no such file: {path}", file=sys.stderr)
        return EXIT_PROBLEM
    if args.interval <= 0:
        print("skillprobe: error: --interval must be more than 0 seconds", file=sys.stderr)
        return EXIT_PROBLEM
    from tui.config import settings_from_environment
    from tui.preview.app import PreviewApp

    settings = settings_from_environment(None)
    PreviewApp(path, poll_interval=args.interval, theme=settings.theme).run()
    return EXIT_OK
