"""`skillprobe calibrate`: item parameters from learners' answers, on a scale that holds.

Two sources of answers: the database (default) or response files
(``--responses``, the layout ``score`` reads). See docs/engine.md, "Item
calibration", and docs/operations.md for pooling answers across installations.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    add_database_option,
    fail,
    open_database_or_exit,
)
from engine.io.csv_tables import (
    CsvProblem,
    read_items_csv,
    read_responses_csv,
    sorted_problems,
    write_items_csv,
)
from engine.service.calibration_service import (
    DEFAULT_MIN_RESPONSES,
    AnchorParameters,
    AreaCalibration,
    BankItem,
    CalibrationError,
    CalibrationReport,
    ItemDiagnostics,
    MatrixCalibration,
    Model,
    Scale,
    calibrate,
    calibrate_bank_responses,
    calibrate_responses,
    load_bank_items,
    shipped_parameter_rows,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="estimate item parameters from learners' answers (database or CSV)",
        description="Estimate item parameters by marginal maximum a posteriori (EM), on a "
        "scale fixed by anchor items whose parameters are held while each area's ability "
        "mean and SD are estimated (Kim, 2006). From the database (default): one ability "
        "per area; anchors are the items marked 'anchor: true' in the bank, parameters "
        "shipped with the bank and earlier calibrations; items with fewer than "
        "--min-responses answers keep their parameters (pretest items); single-choice and "
        "true/false guessing is estimated with a prior below 1/options; results are stored "
        "as 'calibration' parameter sets, with the area's scale and item diagnostics, in "
        "one transaction. From a response file (--responses): every column is estimated "
        "except the items of --anchors, and --out writes id,a,b,c for score/simulate "
        "--items. Without enough anchors the scale is set by the sample, and the output "
        "says what that does to the cut scores.",
    )
    parser.add_argument(
        "--responses",
        type=Path,
        action="append",
        metavar="R.csv",
        help="calibrate a response file instead of the database (one row per person, "
        "optional first column person/id, a column per item with 1, 0 or nothing); repeat "
        "to pool several files (their item columns are merged by id)",
    )
    parser.add_argument(
        "--model",
        choices=[str(model) for model in Model],
        help="with --responses: 1pl (a = 1, the ability SD estimated), 2pl (default) or 3pl "
        "(guessing estimated with a Beta prior of mean 0.2)",
    )
    parser.add_argument(
        "--anchors",
        type=Path,
        metavar="PARAMS.csv",
        help="with --responses: id,a,b,c of items held fixed to set the scale",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="PARAMS.csv",
        help="with --responses: write id,a,b,c of every item (anchors included)",
    )
    parser.add_argument(
        "--bank",
        type=Path,
        metavar="DIR",
        help="with --responses: the columns are this bank's items (unknown ids are an "
        "error); calibrate per area against its anchors and shipped parameters, with the "
        "authors' parameters as priors and --min-responses as for the database",
    )
    parser.add_argument(
        "--write-parameters",
        action="store_true",
        help="with --bank: write each calibrated area's <area>/parameters.csv into the bank "
        "(the parameters shipped with it; docs/operations.md)",
    )
    parser.add_argument(
        "--min-responses",
        type=_positive_int,
        default=DEFAULT_MIN_RESPONSES,
        metavar="N",
        help=f"database: calibrate only items with at least N answers "
        f"(default: {DEFAULT_MIN_RESPONSES})",
    )
    parser.add_argument(
        "--refit",
        action="store_true",
        help="database: re-estimate earlier calibrations too, linked back to their scale "
        "(Stocking-Lord) unless enough anchors fix it",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="database: estimate and print, but write nothing"
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
    if args.responses:
        return run_files(args)
    for option in ("anchors", "out", "bank", "model"):
        if getattr(args, option) is not None:
            fail(f"--{option} needs --responses (the database's items come from the bank)")
    if args.write_parameters:
        fail("--write-parameters needs --responses and --bank")
    opened = open_database_or_exit(args, writes=not args.dry_run)
    try:
        report = calibrate(
            opened.database,
            min_responses=args.min_responses,
            dry_run=args.dry_run,
            refit=args.refit,
        )
    except CalibrationError as error:
        fail(str(error))
    finally:
        opened.database.dispose()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(render_text(report), end="")
    return EXIT_OK


# -- response files ---------------------------------------------------------------------------


def _pooled(
    paths: list[Path], bank_ids: tuple[str, ...] | None
) -> tuple[tuple[str, ...], np.ndarray, list[CsvProblem]]:
    """Every file's rows stacked, item columns merged by id (NaN where a file lacks one).

    With ``bank_ids`` every column must be a bank item; columns of the bank
    nobody answered in any file are dropped.
    """
    problems: list[CsvProblem] = []
    tables = []
    for path in paths:
        table, found = read_responses_csv(
            path,
            bank_ids,
            header_defines_items=bank_ids is None,
            known_as="the bank",
            require_answers=len(paths) == 1,
        )
        problems.extend(sorted_problems(found))
        if table is not None:
            tables.append(table)
    if problems:
        return (), np.empty((0, 0)), problems
    ids = tuple(dict.fromkeys(item for table in tables for item in table.item_ids))
    column = {item: index for index, item in enumerate(ids)}
    blocks = []
    for table in tables:
        block = np.full((table.responses.shape[0], len(ids)), np.nan)
        block[:, [column[item] for item in table.item_ids]] = table.responses
        blocks.append(block)
    matrix = np.vstack(blocks) if blocks else np.empty((0, len(ids)))
    answered = np.sum(~np.isnan(matrix), axis=0)
    if bank_ids is not None:
        keep = answered > 0
        return tuple(np.array(ids)[keep]), matrix[:, keep], problems
    for item, count in zip(ids, answered, strict=True):
        if count == 0:
            problems.append(
                CsvProblem(paths[0], 1, 1, f"nobody answered item {item!r} in any file")
            )
    return ids, matrix, problems


def run_files(args: argparse.Namespace) -> int:
    """Calibrate response files; every input problem printed, exit 1, nothing written."""
    for option in ("refit", "dry_run"):
        if getattr(args, option):
            fail(f"--{option.replace('_', '-')} applies to the database, not to --responses")
    if args.write_parameters and args.bank is None:
        fail("--write-parameters needs --bank")
    if args.bank is not None and args.model is not None:
        fail("--model does not apply with --bank: each item's model follows its type")
    bank_items: tuple[BankItem, ...] = ()
    if args.bank is not None:
        bank_items, bank_problems = load_bank_items(args.bank)
        if bank_problems:
            for line in bank_problems:
                print(line)
            return EXIT_PROBLEM
    problems: list[CsvProblem] = []
    anchors: dict[str, AnchorParameters] = {}
    if args.anchors is not None:
        table, found = read_items_csv(args.anchors)
        problems.extend(sorted_problems(found))
        if table is not None:
            anchors = {
                item: AnchorParameters(float(a), float(b), float(c))
                for item, a, b, c in zip(table.ids, table.a, table.b, table.c, strict=True)
            }
    bank_ids = tuple(item.item_id for item in bank_items) if args.bank is not None else None
    ids, matrix, found = _pooled(list(args.responses), bank_ids)
    problems.extend(found)
    if problems:
        for problem in problems:
            print(problem)
        return EXIT_PROBLEM
    if args.bank is not None:
        return _run_bank_file(args, bank_items, ids, matrix, anchors)
    outcome = calibrate_responses(ids, matrix, Model(args.model or Model.TWO_PL), anchors)
    if args.out is not None:
        _write(args.out, outcome.items)
    if args.json:
        print(json.dumps(_json_safe(outcome.as_dict()), indent=2))
    else:
        print(render_matrix(outcome, persons=matrix.shape[0]), end="")
    return EXIT_OK


def _run_bank_file(
    args: argparse.Namespace,
    bank_items: tuple[BankItem, ...],
    ids: tuple[str, ...],
    matrix: np.ndarray,
    anchors: dict[str, AnchorParameters],
) -> int:
    """Pooled answers to a bank's items, per area; optionally written back as parameters.csv."""
    outcomes = calibrate_bank_responses(
        bank_items, ids, matrix, anchors=anchors, min_responses=args.min_responses
    )
    if not outcomes:
        print(f"no item that is not an anchor has {args.min_responses} answers; nothing to do")
        return EXIT_OK
    every = [item for outcome in outcomes.values() for item in outcome.items]
    if args.out is not None:
        _write(args.out, every)
    if args.write_parameters:
        for area, outcome in outcomes.items():
            path = args.bank / area / "parameters.csv"
            _write(path, shipped_parameter_rows(bank_items, area, outcome))
            print(f"wrote {path}", file=sys.stderr)
    if args.json:
        document = {area: outcome.as_dict() for area, outcome in outcomes.items()}
        print(json.dumps(_json_safe({"areas": document}), indent=2))
    else:
        for area, outcome in outcomes.items():
            print(f"{area}:")
            print(render_matrix(outcome, persons=matrix.shape[0]), end="")
    return EXIT_OK


def _write(path: Path, items: Sequence[ItemDiagnostics | BankItem]) -> None:
    try:
        write_items_csv(
            path,
            [item.item_id for item in items],
            [item.a for item in items],
            [item.b for item in items],
            [item.c for item in items],
        )
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")


def _json_safe(value: object) -> object:
    """NaN and infinities become null: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


# -- text ---------------------------------------------------------------------------------------


def _number(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _item_rows(items: tuple[ItemDiagnostics, ...]) -> list[str]:
    width = max([len("item"), *(len(item.item_id) for item in items)])
    lines = [
        f"  {'item':<{width}}  {'n':>5}  {'a (SE)':<13}  {'b (SE)':<14}  {'c':>5}  "
        f"{'infit':>5}  {'outfit':>6}  flags"
    ]
    for item in items:
        role = "anchor" if item.anchor else ", ".join(str(flag) for flag in item.flags)
        lines.append(
            (
                f"  {item.item_id:<{width}}  {item.responses:>5}  "
                f"{item.a:5.2f} ({item.se_a:4.2f})  {item.b:+6.2f} ({item.se_b:4.2f})  "
                f"{item.c:5.2f}  {_number(item.infit, '5.2f'):>5}  "
                f"{_number(item.outfit, '6.2f'):>6}  {role}"
            ).rstrip()
        )
    return lines


def _flag_advice(items: tuple[ItemDiagnostics, ...]) -> list[str]:
    flags = sorted({flag for item in items for flag in item.flags})
    return [f"  {flag}: {flag.advice}" for flag in flags]


def _scale_line(scale: Scale) -> str:
    return f"population N({scale.population_mean:+.2f}, {scale.population_sd:.2f}^2); {scale.note}"


def render_matrix(outcome: MatrixCalibration, *, persons: int) -> str:
    status = "converged" if outcome.converged else "NOT converged"
    lines = [
        f"{len(outcome.items)} items, {persons} persons; {status} after {outcome.iterations} "
        f"EM steps; log-likelihood {outcome.log_likelihood:.3f}",
        _scale_line(outcome.scale),
        *_item_rows(outcome.items),
        *_flag_advice(outcome.items),
    ]
    return "\n".join(lines) + "\n"


def _area_lines(area: AreaCalibration, min_responses: int) -> list[str]:
    iterations = f"{area.iterations} EM step{'s' if area.iterations != 1 else ''}"
    status = f"converged in {iterations}" if area.converged else f"NOT converged after {iterations}"
    pretest = sum(1 for item in area.kept if not item.anchor)
    anchors = len(area.kept) - pretest
    lines = [
        f"{area.area}: {len(area.calibrated)} calibrated, {anchors} anchors, {pretest} kept "
        f"(fewer than {min_responses} responses); {area.sessions} sessions, "
        f"{area.responses} responses" + (f"; {status}" if area.calibrated else "")
    ]
    if not area.calibrated:
        return lines
    if area.scale is not None:
        lines.append(f"  {_scale_line(area.scale)}")
    width = max(len(item.item_id) for item in area.calibrated)
    lines.append(f"  {'item':<{width}}  {'n':>5}  {'a (SE)':<22}  {'b (SE)':<24}  c")
    for item in area.calibrated:
        a = f"{item.old_a:.2f} -> {item.new_a:.2f} ({item.se_a:.2f})"
        b = f"{item.old_b:+.2f} -> {item.new_b:+.2f} ({item.se_b:.2f})"
        c = f"{item.old_c:.2f} -> {item.new_c:.2f}" if item.se_c > 0 else f"{item.new_c:.2f}"
        notes = [] if item.changed else ["unchanged"]
        if item.retired:
            notes.append("retired")
        notes.extend(str(flag) for flag in item.flags)
        row = f"  {item.item_id:<{width}}  {item.responses:>5}  {a:<22}  {b:<24}  {c}"
        lines.append((row + ("  " + ", ".join(notes) if notes else "")).rstrip())
    lines.extend(_flag_advice(area.diagnostics))
    return lines


def render_text(report: CalibrationReport) -> str:
    """The report as a few lines per area and one line per calibrated item."""
    if report.nothing_to_calibrate:
        most = max(report.kept, key=lambda item: item.responses, default=None)
        detail = f" (most answered: {most.item_id}, {most.responses})" if most else ""
        return f"no item has {report.min_responses} responses yet{detail}; nothing calibrated.\n"
    lines = [line for area in report.areas for line in _area_lines(area, report.min_responses)]
    changed = len(report.changed)
    if report.dry_run:
        lines.append(f"dry run: nothing written ({changed} parameter sets would be written).")
    else:
        lines.append(f"wrote {report.written} parameter sets.")
    return "\n".join(lines) + "\n"
