"""`skillprobe calibrate`: estimate item parameters from the stored answers."""

from __future__ import annotations

import argparse
import json

from engine.cli.common import EXIT_OK, add_database_option, fail, open_database_or_exit
from engine.service.calibration_service import (
    DEFAULT_MIN_RESPONSES,
    CalibrationError,
    CalibrationReport,
    calibrate,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="estimate item parameters (a, b) from learners' answers",
        description="Replace the authors' prior item parameters by estimates from every "
        "stored answer: marginal maximum a posteriori estimation of each item's "
        "discrimination a and difficulty b (guessing c kept), one ability per area, with "
        "priors that keep items with few answers near where they were. Items with fewer "
        "than --min-responses answers keep their parameters. New parameters are stored as "
        "'calibration' parameter sets in one transaction, and a later bank import does not "
        "overwrite them with difficulty priors.",
    )
    parser.add_argument(
        "--min-responses",
        type=_positive_int,
        default=DEFAULT_MIN_RESPONSES,
        metavar="N",
        help=f"calibrate only items with at least N answers (default: {DEFAULT_MIN_RESPONSES})",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="estimate and print, but write nothing"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_database_option(parser)
    parser.set_defaults(handler=run)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run(args: argparse.Namespace) -> int:
    opened = open_database_or_exit(args)
    try:
        report = calibrate(opened.database, min_responses=args.min_responses, dry_run=args.dry_run)
    except CalibrationError as error:
        fail(str(error))
    finally:
        opened.database.dispose()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(render_text(report), end="")
    return EXIT_OK


def render_text(report: CalibrationReport) -> str:
    """The report as a few lines per area and one line per calibrated item."""
    if report.nothing_to_calibrate:
        most = max(report.kept, key=lambda item: item.responses, default=None)
        detail = f" (most answered: {most.item_id}, {most.responses})" if most else ""
        return f"no item has {report.min_responses} responses yet{detail}; nothing calibrated.\n"
    lines = []
    for area in report.areas:
        iterations = f"{area.iterations} iteration{'s' if area.iterations != 1 else ''}"
        status = (
            f"converged in {iterations}" if area.converged else f"NOT converged after {iterations}"
        )
        lines.append(
            f"{area.area}: {len(area.calibrated)} calibrated, {len(area.kept)} kept "
            f"(fewer than {report.min_responses} responses); {area.sessions} sessions, "
            f"{area.responses} responses" + (f"; {status}" if area.calibrated else "")
        )
        if not area.calibrated:
            continue
        width = max(len(item.item_id) for item in area.calibrated)
        lines.append(f"  {'item':<{width}}  {'n':>5}  {'a (SE)':<22}  b (SE)")
        for item in area.calibrated:
            a = f"{item.old_a:.2f} -> {item.new_a:.2f} ({item.se_a:.2f})"
            b = f"{item.old_b:+.2f} -> {item.new_b:+.2f} ({item.se_b:.2f})"
            note = "" if item.changed else "  unchanged"
            if item.retired:
                note += "  retired"
            row = f"  {item.item_id:<{width}}  {item.responses:>5}  {a:<22}  {b:<24}{note}"
            lines.append(row.rstrip())
    changed = len(report.changed)
    if report.dry_run:
        lines.append(f"dry run: nothing written ({changed} parameter sets would be written).")
    else:
        lines.append(f"wrote {report.written} parameter sets.")
    return "\n".join(lines) + "\n"
