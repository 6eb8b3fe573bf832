"""``skillprobe score``: ability estimates for response patterns read from CSV files.

Items: a CSV with header ``id,a,b,c`` (``c`` optional, default 0). Responses: a
CSV with one row per person, an optional first column ``person`` or ``id``, and
one column per item id holding 1 (correct), 0 (wrong) or nothing (not
answered). Every problem in either file is reported at once as
``file:row:column: message`` and the command exits with status 1.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.irt import METHODS, estimate_ability

PERSON_COLUMNS = ("person", "id")
REQUIRED_ITEM_COLUMNS = ("id", "a", "b")
OPTIONAL_ITEM_COLUMNS = ("c",)


@dataclass(frozen=True)
class InputProblem:
    """One problem in an input file, located by 1-based row (line) and column."""

    path: Path
    row: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.row}:{self.column}: {self.message}"


@dataclass(frozen=True)
class ItemTable:
    """Items read from a CSV file."""

    ids: tuple[str, ...]
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray


@dataclass(frozen=True)
class ResponseTable:
    """Response patterns: ``responses[person, item]`` in items-file order (NaN = missing)."""

    people: tuple[str, ...]
    responses: np.ndarray


def _csv_rows(path: Path, problems: list[InputProblem]) -> Iterator[tuple[int, list[str]]]:
    """``(line number, fields)`` for every non-blank row; read errors become problems."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            for fields in reader:
                if fields and any(field.strip() for field in fields):
                    yield reader.line_num, [field.strip() for field in fields]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        problems.append(InputProblem(path, 1, 1, f"cannot read the file: {reason}"))


def _number(
    text: str, path: Path, row: int, column: int, name: str, problems: list[InputProblem]
) -> float:
    """Parse a finite float, recording a problem (and returning NaN) when it is not one."""
    try:
        value = float(text)
    except ValueError:
        problems.append(InputProblem(path, row, column, f"{name} must be a number, got {text!r}"))
        return math.nan
    if not math.isfinite(value):
        problems.append(InputProblem(path, row, column, f"{name} must be finite, got {text!r}"))
        return math.nan
    return value


def _check_item(
    values: dict[str, float], path: Path, row: int, columns: dict[str, int]
) -> list[InputProblem]:
    """Range checks of one item's parameters (numbers already parsed)."""
    problems = []
    a, c = values["a"], values["c"]
    if "a" in columns and not math.isnan(a) and a <= 0.0:
        problems.append(
            InputProblem(path, row, columns["a"], f"discrimination a must be > 0, got {a:g}")
        )
    if "c" in columns and not math.isnan(c) and not 0.0 <= c < 1.0:
        problems.append(
            InputProblem(path, row, columns["c"], f"guessing c must be in [0, 1), got {c:g}")
        )
    return problems


def _header(
    path: Path, rows: Iterator[tuple[int, list[str]]], problems: list[InputProblem], expected: str
) -> tuple[int, list[str]] | None:
    """The header row, or None with a problem recorded for an empty file."""
    header = next(rows, None)
    if header is None and not problems:
        problems.append(
            InputProblem(path, 1, 1, f"the file is empty; expected a header {expected}")
        )
    return header


def read_items_csv(path: Path) -> tuple[ItemTable | None, list[InputProblem]]:
    """Read and validate an items file; returns ``(items or None, problems)``."""
    problems: list[InputProblem] = []
    rows = _csv_rows(path, problems)
    header = _header(path, rows, problems, "id,a,b,c")
    if header is None:
        return None, problems
    header_row, names = header
    columns: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        key = name.lower()
        if key in columns:
            problems.append(InputProblem(path, header_row, position, f"duplicate column {name!r}"))
        columns.setdefault(key, position)
    missing = [name for name in REQUIRED_ITEM_COLUMNS if name not in columns]
    for name in missing:
        problems.append(
            InputProblem(
                path,
                header_row,
                len(names) + 1,
                f"missing column {name!r} (expected a header with id,a,b and optionally c)",
            )
        )
    ids: list[str] = []
    params: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    first_row_of: dict[str, int] = {}
    for row, fields in rows:
        if len(fields) != len(names):
            problems.append(
                InputProblem(
                    path, row, 1, f"expected {len(names)} fields like the header, got {len(fields)}"
                )
            )
            continue
        item_id = fields[columns["id"] - 1] if "id" in columns else f"row {row}"
        if not item_id:
            problems.append(InputProblem(path, row, columns["id"], "empty item id"))
        elif "id" in columns and item_id in first_row_of:
            problems.append(
                InputProblem(
                    path,
                    row,
                    columns["id"],
                    f"duplicate item id {item_id!r} (first on row {first_row_of[item_id]})",
                )
            )
        else:
            first_row_of[item_id] = row
        # Columns that are present are checked even when another is missing,
        # so that one run reports every problem.
        values = {
            name: (
                _number(fields[columns[name] - 1], path, row, columns[name], name, problems)
                if name in columns
                else (0.0 if name == "c" else math.nan)
            )
            for name in ("a", "b", "c")
        }
        problems.extend(_check_item(values, path, row, columns))
        ids.append(item_id)
        for name in params:
            params[name].append(values[name])
    if not ids and not problems:
        problems.append(InputProblem(path, header_row + 1, 1, "no items after the header"))
    if problems:
        return None, problems
    return ItemTable(
        tuple(ids), np.array(params["a"]), np.array(params["b"]), np.array(params["c"])
    ), problems


def read_responses_csv(
    path: Path, item_ids: tuple[str, ...] | None
) -> tuple[ResponseTable | None, list[InputProblem]]:
    """Read a responses file; item columns are checked against ``item_ids`` when known."""
    problems: list[InputProblem] = []
    rows = _csv_rows(path, problems)
    header = _header(path, rows, problems, "of item ids")
    if header is None:
        return None, problems
    header_row, names = header
    has_person = bool(names) and names[0].lower() in PERSON_COLUMNS
    item_columns = names[1:] if has_person else names
    offset = 2 if has_person else 1
    known: dict[str, int] = {}
    for index, item_id in enumerate(item_ids or ()):
        known.setdefault(item_id, index)
    n_items = len(item_ids or ())
    seen: set[str] = set()
    for position, name in enumerate(item_columns, start=offset):
        if name in seen:
            problems.append(InputProblem(path, header_row, position, f"duplicate column {name!r}"))
        seen.add(name)
        if item_ids is not None and name not in known:
            problems.append(
                InputProblem(path, header_row, position, f"item {name!r} is not in the items file")
            )
    people: list[str] = []
    patterns: list[np.ndarray] = []
    for row, fields in rows:
        if len(fields) != len(names):
            problems.append(
                InputProblem(
                    path, row, 1, f"expected {len(names)} fields like the header, got {len(fields)}"
                )
            )
            continue
        pattern = np.full(n_items, np.nan)
        for position, (name, text) in enumerate(
            zip(item_columns, fields[offset - 1 :], strict=True), start=offset
        ):
            if text not in ("", "0", "1"):
                problems.append(
                    InputProblem(path, row, position, f"expected 0, 1 or empty, got {text!r}")
                )
            elif text and name in known:
                pattern[known[name]] = float(text)
        people.append(fields[0] if has_person else str(len(people) + 1))
        patterns.append(pattern)
    if problems or item_ids is None:
        return None, problems
    responses = np.array(patterns) if patterns else np.empty((0, n_items))
    return ResponseTable(tuple(people), responses), problems


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``score`` command."""
    parser = subparsers.add_parser(
        "score",
        help="estimate ability from item parameters and response patterns (CSV)",
        description=(
            "Estimate ability (theta) and its standard error for every row of a responses "
            "file. Items: CSV with header id,a,b,c (3PL, logistic metric, D = 1; c optional). "
            "Responses: CSV with one row per person, an optional first column 'person' or "
            "'id', and a column per item id holding 1, 0 or nothing."
        ),
    )
    parser.add_argument("--items", type=Path, required=True, metavar="ITEMS.csv")
    parser.add_argument("--responses", type=Path, required=True, metavar="RESPONSES.csv")
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="eap",
        help="eap (default; posterior mean), map (posterior mode), ml (maximum "
        "likelihood, bounded to [-4, 4]) or wle (Warm's weighted likelihood)",
    )
    parser.add_argument(
        "--prior-mean", type=float, default=0.0, help="normal prior mean (eap, map)"
    )
    parser.add_argument("--prior-sd", type=float, default=1.0, help="normal prior SD (eap, map)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Score every response row; exit status 1 on any input problem."""
    if not (math.isfinite(args.prior_sd) and args.prior_sd > 0.0):
        print(f"error: --prior-sd must be a positive number, got {args.prior_sd}")
        return 1
    if not math.isfinite(args.prior_mean):
        print(f"error: --prior-mean must be a finite number, got {args.prior_mean}")
        return 1
    items, item_problems = read_items_csv(args.items)
    known_ids = items.ids if items is not None else _ids_only(args.items)
    responses, response_problems = read_responses_csv(args.responses, known_ids)
    problems = sorted(item_problems, key=_position) + sorted(response_problems, key=_position)
    if problems or items is None or responses is None:
        for problem in problems:
            print(problem)
        return 1
    results = []
    for person, pattern in zip(responses.people, responses.responses, strict=True):
        estimate = estimate_ability(
            items.a,
            items.b,
            items.c,
            pattern,
            args.method,
            prior_mean=args.prior_mean,
            prior_sd=args.prior_sd,
        )
        results.append(
            {
                "person": person,
                "theta": estimate.theta,
                "se": estimate.se,
                "answered": int(np.count_nonzero(~np.isnan(pattern))),
                "at_bound": estimate.at_bound,
            }
        )
    if args.json:
        print(json.dumps({"method": args.method, "results": results}, indent=2))
        return 0
    width = max([len("person")] + [len(result["person"]) for result in results])
    print(f"{'person':<{width}}  {'theta':>8}  {'se':>7}  answered")
    for result in results:
        flag = "  (at search bound)" if result["at_bound"] else ""
        print(
            f"{result['person']:<{width}}  {result['theta']:>8.3f}  {result['se']:>7.3f}"
            f"  {result['answered']:>8}{flag}"
        )
    return 0


def _position(problem: InputProblem) -> tuple[int, int]:
    return problem.row, problem.column


def _ids_only(path: Path) -> tuple[str, ...] | None:
    """Item ids from an items file that failed validation, to still check the responses header."""
    ignored: list[InputProblem] = []
    rows = _csv_rows(path, ignored)
    header = next(rows, None)
    if header is None:
        return None
    names = [name.lower() for name in header[1]]
    if "id" not in names:
        return None
    position = names.index("id")
    return tuple(fields[position] for _, fields in rows if len(fields) > position)
