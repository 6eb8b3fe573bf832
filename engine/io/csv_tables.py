"""Item-parameter and response CSV files, read and written for `score`, `simulate` and `calibrate`.

Items (parameters): a CSV with header ``id,a,b,c`` (``c`` optional, default 0);
`write_items_csv` writes the same layout, so ``calibrate --out`` feeds
``score --items`` and ``simulate --items``. Responses: one row per person, an
optional first column ``person`` or ``id``, and one column per item id holding
1 (correct), 0 (wrong) or nothing (not answered).

Every problem in a file is collected, not just the first, as a `CsvProblem`
located by 1-based row (line) and column: ``file:row:column: message``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

PERSON_COLUMNS = ("person", "id")
REQUIRED_ITEM_COLUMNS = ("id", "a", "b")
OPTIONAL_ITEM_COLUMNS = ("c",)


@dataclass(frozen=True)
class CsvProblem:
    """One problem in a CSV file, located by 1-based row (line) and column."""

    path: Path
    row: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.row}:{self.column}: {self.message}"


def sorted_problems(problems: Sequence[CsvProblem]) -> list[CsvProblem]:
    """Problems in file order (row, then column)."""
    return sorted(problems, key=lambda problem: (problem.row, problem.column))


@dataclass(frozen=True)
class ItemTable:
    """Items read from a CSV file."""

    ids: tuple[str, ...]
    a: npt.NDArray[np.float64]
    b: npt.NDArray[np.float64]
    c: npt.NDArray[np.float64]
    lines: tuple[int, ...] = ()  # each item's line in the file


@dataclass(frozen=True)
class ResponseTable:
    """Response patterns: ``responses[person, item]`` in ``item_ids`` order (NaN = missing)."""

    people: tuple[str, ...]
    item_ids: tuple[str, ...]
    responses: npt.NDArray[np.float64]


def _csv_rows(path: Path, problems: list[CsvProblem]) -> Iterator[tuple[int, list[str]]]:
    """``(line number, fields)`` for every non-blank row; read errors become problems."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            for fields in reader:
                if fields and any(field.strip() for field in fields):
                    yield reader.line_num, [field.strip() for field in fields]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        problems.append(CsvProblem(path, 1, 1, f"cannot read the file: {reason}"))


def _number(
    text: str, path: Path, row: int, column: int, name: str, problems: list[CsvProblem]
) -> float:
    """Parse a finite float, recording a problem (and returning NaN) when it is not one."""
    try:
        value = float(text)
    except ValueError:
        problems.append(CsvProblem(path, row, column, f"{name} must be a number, got {text!r}"))
        return math.nan
    if not math.isfinite(value):
        problems.append(CsvProblem(path, row, column, f"{name} must be finite, got {text!r}"))
        return math.nan
    return value


def _check_item(
    values: dict[str, float], path: Path, row: int, columns: dict[str, int]
) -> list[CsvProblem]:
    """Range checks of one item's parameters (numbers already parsed)."""
    problems = []
    a, c = values["a"], values["c"]
    if "a" in columns and not math.isnan(a) and a <= 0.0:
        problems.append(
            CsvProblem(path, row, columns["a"], f"discrimination a must be > 0, got {a:g}")
        )
    if "c" in columns and not math.isnan(c) and not 0.0 <= c < 1.0:
        problems.append(
            CsvProblem(path, row, columns["c"], f"guessing c must be in [0, 1), got {c:g}")
        )
    return problems


def _header(
    path: Path, rows: Iterator[tuple[int, list[str]]], problems: list[CsvProblem], expected: str
) -> tuple[int, list[str]] | None:
    """The header row, or None with a problem recorded for an empty file."""
    header = next(rows, None)
    if header is None and not problems:
        problems.append(CsvProblem(path, 1, 1, f"the file is empty; expected a header {expected}"))
    return header


def read_items_csv(path: Path) -> tuple[ItemTable | None, list[CsvProblem]]:
    """Read and validate an items file; returns ``(items or None, problems)``."""
    problems: list[CsvProblem] = []
    rows = _csv_rows(path, problems)
    header = _header(path, rows, problems, "id,a,b,c")
    if header is None:
        return None, problems
    header_row, names = header
    columns: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        key = name.lower()
        if key in columns:
            problems.append(CsvProblem(path, header_row, position, f"duplicate column {name!r}"))
        columns.setdefault(key, position)
    for name in (name for name in REQUIRED_ITEM_COLUMNS if name not in columns):
        problems.append(
            CsvProblem(
                path,
                header_row,
                len(names) + 1,
                f"missing column {name!r} (expected a header with id,a,b and optionally c)",
            )
        )
    ids: list[str] = []
    lines: list[int] = []
    params: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    first_row_of: dict[str, int] = {}
    for row, fields in rows:
        if len(fields) != len(names):
            problems.append(_field_count_problem(path, row, names, fields))
            continue
        item_id = fields[columns["id"] - 1] if "id" in columns else f"row {row}"
        if not item_id:
            problems.append(CsvProblem(path, row, columns["id"], "empty item id"))
        elif "id" in columns and item_id in first_row_of:
            problems.append(
                CsvProblem(
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
        lines.append(row)
        for name in params:
            params[name].append(values[name])
    if not ids and not problems:
        problems.append(CsvProblem(path, header_row + 1, 1, "no items after the header"))
    if problems:
        return None, problems
    table = ItemTable(
        tuple(ids),
        np.array(params["a"]),
        np.array(params["b"]),
        np.array(params["c"]),
        tuple(lines),
    )
    return table, problems


def _field_count_problem(path: Path, row: int, names: list[str], fields: list[str]) -> CsvProblem:
    return CsvProblem(
        path, row, 1, f"expected {len(names)} fields like the header, got {len(fields)}"
    )


def read_responses_csv(
    path: Path,
    item_ids: tuple[str, ...] | None,
    *,
    header_defines_items: bool = False,
    known_as: str = "the items file",
    require_answers: bool = False,
) -> tuple[ResponseTable | None, list[CsvProblem]]:
    """Read a responses file.

    Parameters
    ----------
    item_ids
        The known items: every item column must be one of them, and the table's
        columns follow this order. None when the items file itself failed: the
        header is still checked (duplicates, values) but no table is returned.
    header_defines_items
        The header's own columns are the items (``calibrate`` without a bank);
        ``item_ids`` is then ignored.
    known_as
        How the list of known items is named in a message ("the items file").
    require_answers
        Every item column must hold at least one answer (an item nobody answered
        cannot be calibrated).
    """
    problems: list[CsvProblem] = []
    rows = _csv_rows(path, problems)
    header = _header(path, rows, problems, "of item ids")
    if header is None:
        return None, problems
    header_row, names = header
    has_person = bool(names) and names[0].lower() in PERSON_COLUMNS
    item_columns = names[1:] if has_person else names
    offset = 2 if has_person else 1
    if header_defines_items:
        item_ids = tuple(dict.fromkeys(name for name in item_columns if name))
    known: dict[str, int] = {}
    for index, item_id in enumerate(item_ids or ()):
        known.setdefault(item_id, index)
    n_items = len(item_ids or ())
    seen: set[str] = set()
    for position, name in enumerate(item_columns, start=offset):
        if not name:
            problems.append(
                CsvProblem(path, header_row, position, "empty column name: give the item id")
            )
        elif name in seen:
            problems.append(CsvProblem(path, header_row, position, f"duplicate column {name!r}"))
        elif item_ids is not None and name not in known:
            problems.append(
                CsvProblem(path, header_row, position, f"item {name!r} is not in {known_as}")
            )
        seen.add(name)
    people: list[str] = []
    patterns: list[npt.NDArray[np.float64]] = []
    for row, fields in rows:
        if len(fields) != len(names):
            problems.append(_field_count_problem(path, row, names, fields))
            continue
        pattern = np.full(n_items, np.nan)
        for position, (name, text) in enumerate(
            zip(item_columns, fields[offset - 1 :], strict=True), start=offset
        ):
            if text not in ("", "0", "1"):
                problems.append(
                    CsvProblem(path, row, position, f"expected 0, 1 or empty, got {text!r}")
                )
            elif text and name in known:
                pattern[known[name]] = float(text)
        people.append(fields[0] if has_person else str(len(people) + 1))
        patterns.append(pattern)
    responses = np.array(patterns) if patterns else np.empty((0, n_items))
    if require_answers and not problems:
        answered = np.sum(~np.isnan(responses), axis=0)
        for position, name in enumerate(item_columns, start=offset):
            if name in known and answered[known[name]] == 0:
                problems.append(
                    CsvProblem(
                        path,
                        header_row,
                        position,
                        f"nobody answered item {name!r}: remove the column or add answers",
                    )
                )
    if problems or item_ids is None:
        return None, problems
    return ResponseTable(tuple(people), item_ids, responses), problems


def item_ids_only(path: Path) -> tuple[str, ...] | None:
    """Item ids from an items file that failed validation, to still check a responses header."""
    ignored: list[CsvProblem] = []
    rows = _csv_rows(path, ignored)
    header = next(rows, None)
    if header is None:
        return None
    names = [name.lower() for name in header[1]]
    if "id" not in names:
        return None
    position = names.index("id")
    return tuple(fields[position] for _, fields in rows if len(fields) > position)


def write_items_csv(
    path: Path,
    ids: Sequence[str],
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    c: npt.ArrayLike,
) -> None:
    """Write ``id,a,b,c`` (six decimals), the layout `read_items_csv` reads."""
    columns = [np.broadcast_to(np.asarray(v, dtype=np.float64), (len(ids),)) for v in (a, b, c)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "a", "b", "c"])
        for index, item_id in enumerate(ids):
            writer.writerow([item_id, *(f"{float(column[index]):.6f}" for column in columns)])


def write_responses_csv(
    path: Path,
    people: Sequence[str],
    item_ids: Sequence[str],
    responses: npt.NDArray[np.float64],
) -> None:
    """Write one row per person (``person`` first), 1 / 0 / empty per item."""
    symbols = {0.0: "0", 1.0: "1"}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["person", *item_ids])
        for person, row in zip(people, responses, strict=True):
            writer.writerow([person, *(symbols.get(float(value), "") for value in row)])
