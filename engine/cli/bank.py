"""`skillprobe bank`: validate, import, describe and publish the schema of the question bank."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from engine.bank.json_schema import write_schemas
from engine.bank.stats import Counts
from engine.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    add_database_option,
    open_database_or_exit,
    print_errors,
)
from engine.service import bank_service


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bank",
        help="validate, import and describe the question bank",
        description="Work with the YAML question bank (see docs/authoring.md).",
    )
    commands = parser.add_subparsers(dest="bank_command", metavar="ACTION", required=True)

    validate = commands.add_parser(
        "validate",
        help="check bank files and report every problem as file:line:column",
        description="Check YAML bank files. Prints every problem at once as "
        "file:line:column: [item-id] message; exits 0 when clean, 1 otherwise.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="bank folder, area folder or topic file (default: the shipped bank)",
    )
    validate.set_defaults(handler=run_validate)

    importer = commands.add_parser(
        "import",
        help="load the bank into the database (all-or-nothing)",
        description="Validate the whole bank, then load it in one transaction: a bank with "
        "any problem changes nothing. Edited items get a new version; removed items are "
        "retired, never deleted.",
    )
    importer.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="bank folder (default: shipped bank)"
    )
    importer.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_database_option(importer)
    importer.set_defaults(handler=run_import)

    stats = commands.add_parser(
        "stats",
        help="count items per area, topic, type, difficulty and parameter source",
        description="Count the bank's items per area, topic, type and difficulty, and how "
        "many have calibrated (shipped), anchor or authored parameters.",
    )
    stats.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="bank folder (default: shipped bank)"
    )
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    stats.set_defaults(handler=run_stats)

    schema = commands.add_parser(
        "schema",
        help="write the JSON Schemas that editors use to validate bank files",
        description="Write schema.json (topic files) and areas.schema.json next to areas.yaml, "
        "generated from the bank's typed models.",
    )
    schema.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="bank folder (default: shipped bank)"
    )
    schema.set_defaults(handler=run_schema)


def run_validate(args: argparse.Namespace) -> int:
    paths = args.paths or [bank_service.shipped_bank_path()]
    errors = bank_service.validate_paths(paths)
    if print_errors(errors):
        return EXIT_PROBLEM
    print("bank is valid: no problems found")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    opened = open_database_or_exit(args)
    started = time.perf_counter()
    outcome = bank_service.import_bank(opened.database, args.path)
    elapsed = time.perf_counter() - started
    if outcome.summary is None:
        print_errors(outcome.errors)
        print("nothing was imported: fix the problems above and run again", file=sys.stderr)
        return EXIT_PROBLEM
    if args.json:
        print(json.dumps({**outcome.summary.as_dict(), "seconds": round(elapsed, 3)}))
    else:
        print(f"{outcome.summary} ({elapsed:.2f} s)")
    return EXIT_OK


def run_stats(args: argparse.Namespace) -> int:
    stats, errors = bank_service.stats(args.path)
    if stats is None:
        print_errors(errors)
        return EXIT_PROBLEM
    if args.json:
        print(json.dumps(stats.as_dict(), indent=2))
        return EXIT_OK
    header = f"{'area / topic':<34}{'items':>6}  " + " ".join(
        f"{name:>8}" for name in stats.total.by_type
    )
    header += "   d1  d2  d3  d4  d5"
    print(header)
    print("-" * len(header))

    def row(label: str, counts: Counts) -> str:
        types = " ".join(f"{n:>8}" for n in counts.by_type.values())
        levels = "".join(f"{n:>4}" for n in counts.by_difficulty.values())
        return f"{label:<34}{counts.total:>6}  {types} {levels}"

    for area, counts in stats.areas.items():
        print(row(area, counts))
        for topic in stats.topics:
            if topic.area == area:
                print(row(f"  {topic.topic}", topic.counts))
    print("-" * len(header))
    print(row("total", stats.total))
    sources = stats.total.by_source
    print(
        f"parameters: {sources['shipped']} calibrated (shipped), {sources['anchor']} anchors, "
        f"{sources['irt'] + sources['difficulty']} authored; calibrated locally: "
        "see 'skillprobe calibrate --dry-run'"
    )
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    root = args.path or bank_service.shipped_bank_path()
    for written in write_schemas(root):
        print(f"wrote {written}")
    return EXIT_OK
