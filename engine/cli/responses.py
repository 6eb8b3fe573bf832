"""`skillprobe responses export`: the stored answers as a response file, for pooling.

The file has the layout that ``score`` and ``calibrate --responses`` read: one
row per learner (first column ``person``), one column per item, 1 / 0 / empty,
holding each learner's *first* answer to each item (a later attempt at the same
item has seen the feedback). ``--anonymous`` replaces names by stable random
ids, so installations can pool their files (docs/operations.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from engine.cli.common import EXIT_OK, add_database_option, fail, open_database_or_exit
from engine.io.csv_tables import write_responses_csv
from engine.service.calibration_service import CalibrationError, export_responses


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "responses",
        help="export the stored answers as a response file (CSV)",
        description="Work with the stored answers as response files (docs/operations.md).",
    )
    commands = parser.add_subparsers(dest="responses_command", metavar="ACTION", required=True)
    export = commands.add_parser(
        "export",
        help="write every learner's first answer to every item as CSV",
        description="Write the stored answers in the layout score and calibrate --responses "
        "read: one row per learner (first column person), one column per item id, 1 "
        "(correct), 0 (wrong or skipped) or empty (not asked); each learner's first answer "
        "to each item.",
    )
    export.add_argument("--area", metavar="AREA", help="only the items of this area")
    export.add_argument(
        "--since",
        type=_date,
        metavar="DATE",
        help="only answers given on or after this date (YYYY-MM-DD, UTC)",
    )
    export.add_argument(
        "--anonymous",
        action="store_true",
        help="replace learner names by stable random ids (anon-...)",
    )
    export.add_argument("--out", type=Path, required=True, metavar="R.csv")
    add_database_option(export)
    export.set_defaults(handler=run_export)


def _date(text: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def run_export(args: argparse.Namespace) -> int:
    opened = open_database_or_exit(args, writes=False)
    try:
        exported = export_responses(
            opened.database, area=args.area, since=args.since, anonymous=args.anonymous
        )
    except CalibrationError as error:
        fail(str(error))
    finally:
        opened.database.dispose()
    try:
        write_responses_csv(args.out, exported.people, exported.item_ids, exported.responses)
    except OSError as error:
        fail(f"cannot write {args.out}: {error.strerror or error}")
    answers = int((exported.responses == exported.responses).sum())  # NaN != NaN
    print(
        f"wrote {args.out}: {len(exported.people)} learners, {len(exported.item_ids)} items, "
        f"{answers} answers"
    )
    return EXIT_OK
