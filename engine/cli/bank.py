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
    fail,
    open_database_or_exit,
    print_errors,
)
from engine.service import bank_service


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bank",
        help="validate, import, describe, convert and export the question bank",
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

    _register_convert(commands)
    _register_export(commands)


def _register_convert(commands: argparse._SubParsersAction) -> None:
    convert = commands.add_parser(
        "convert",
        help="turn a GIFT or Moodle XML file into skillprobe topic files",
        description="Convert Moodle questions (GIFT: *.gift or *.txt; Moodle XML: *.xml) into "
        "YAML topic files under DIR/<area>/<topic>.yaml. Questions in a category "
        "'.../skillprobe/<area>/<topic>' (as 'bank export' writes) go back to that topic; the "
        "others go to --area/--topic. Question names that are valid ids are kept as ids, else "
        "ids are <topic>-NNN. Prints one line per question that was skipped or lost something, "
        "as file:line. A malformed file is reported in full and nothing is written (exit 1).",
        epilog="DIR without areas.yaml becomes a new bank (areas.yaml and JSON Schemas are "
        "written); in an existing bank the area and topic must already be declared. See "
        "docs/authoring.md, 'Moving questions in and out'.",
    )
    convert.add_argument("file", type=Path, metavar="FILE", help="a .gift, .txt or .xml file")
    convert.add_argument(
        "--area", metavar="AREA", help="area of questions without a skillprobe category"
    )
    convert.add_argument(
        "--topic", metavar="TOPIC", help="topic of questions without a skillprobe category"
    )
    convert.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="bank folder to write into (default: a new bank in ./<FILE name>-bank)",
    )
    convert.add_argument(
        "--replace", action="store_true", help="overwrite topic files that already exist"
    )
    convert.set_defaults(handler=run_convert)


def _register_export(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write the bank as GIFT or Moodle XML",
        description="Write the YAML bank's items as GIFT or Moodle XML for an LMS. Ids become "
        "question names (and Moodle ID numbers), categories are "
        "$course$/skillprobe/<area>/<topic>, and skillprobe's own data (difficulty, IRT "
        "values, tags, references, shuffle, patterns, units, relative tolerances) travels in a "
        "'skillprobe' comment that 'bank convert' reads back. Items Moodle cannot fully use "
        "are listed on standard error.",
    )
    export.add_argument(
        "--format",
        required=True,
        choices=("gift", "moodle-xml"),
        help="gift (plain text, Markdown kept) or moodle-xml (HTML with the Markdown source)",
    )
    export.add_argument("--area", metavar="AREA", help="only this area")
    export.add_argument("--topic", metavar="TOPIC", help="only this topic")
    export.add_argument(
        "--bank", type=Path, metavar="PATH", help="bank folder (default: the shipped bank)"
    )
    export.add_argument(
        "--out", type=Path, metavar="FILE", help="write here instead of standard output"
    )
    export.set_defaults(handler=run_export)


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


def run_convert(args: argparse.Namespace) -> int:
    from engine.interop.convert import plan_conversion, summary, write_plan
    from engine.interop.problems import one_line_per_question, printable

    if (args.area is None) != (args.topic is None):
        fail("give --area and --topic together")
    out_dir = args.out or Path(f"{args.file.stem}-bank")
    plan = plan_conversion(args.file, out_dir, args.area, args.topic, replace=args.replace)
    for problem in one_line_per_question(list(plan.problems)):
        print(problem, file=sys.stderr)
    if not plan.ok:
        errors = sum(1 for p in plan.problems if p.fatal)
        print(
            f"{errors} problem{'s' if errors != 1 else ''} found; nothing was written",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    try:
        write_plan(plan)
    except OSError as error:
        fail(f"cannot write {error.filename}: {error.strerror}")
    for line in summary(plan):
        print(printable(line))
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from engine.bank import load_bank
    from engine.interop.export import ExportFormat, export_items, select_items
    from engine.interop.problems import one_line_per_question

    root = args.bank or bank_service.shipped_bank_path()
    loaded = load_bank(root)
    if loaded.bank is None:
        print_errors(loaded.errors)
        print("nothing was exported: fix the bank first", file=sys.stderr)
        return EXIT_PROBLEM
    items, why = select_items(loaded.bank, args.area, args.topic)
    if why is not None:
        fail(why)
    header = [f"skillprobe bank export: {len(items)} items from {root}"]
    outcome = export_items(items, ExportFormat(args.format), header)
    for problem in one_line_per_question(list(outcome.problems)):
        print(problem, file=sys.stderr)
    if args.out is None:
        sys.stdout.write(outcome.text)
    else:
        try:
            args.out.write_text(outcome.text, encoding="utf-8")
        except OSError as error:
            fail(f"cannot write {args.out}: {error.strerror}")
        print(f"wrote {args.out} ({outcome.question_count} questions)", file=sys.stderr)
    return EXIT_OK
