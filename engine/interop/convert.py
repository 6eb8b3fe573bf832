"""`bank convert`: a GIFT or Moodle XML file to skillprobe topic files.

Planning reads the source and the destination and decides every file's text
without writing anything; only a plan without errors is written, so bad input
never changes a bank.

Where the items go:

* ``--out DIR`` is a bank folder. If it has no ``areas.yaml`` yet, a new bank
  is started there (``areas.yaml`` declaring the areas and topics used, and the
  JSON Schemas editors read). If it has one, every area and topic used must be
  declared in it, and ids already used elsewhere in that bank are not reused.
* A question in a category ``.../skillprobe/<area>/<topic>`` (what ``bank
  export`` writes) goes back to that area and topic; every other question goes
  to ``--area``/``--topic``. Other categories are noted above their items.
* An existing topic file is only replaced with ``replace=True``.
"""

from __future__ import annotations

import enum
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from engine.bank.json_schema import rendered_schemas
from engine.bank.loader import AREAS_FILE, load_bank
from engine.bank.schema import AreasFile
from engine.bank.yaml_source import read_yaml
from engine.interop.gift import parse_gift
from engine.interop.mapping import (
    DEFAULT_DIFFICULTY,
    ConvertedItem,
    destination,
    items_from_questions,
)
from engine.interop.moodle_xml import parse_moodle_xml
from engine.interop.problems import Problem, Severity, has_errors
from engine.interop.question import Question
from engine.interop.yaml_writer import areas_file_text, topic_file_text, topic_snippet


class SourceFormat(enum.Enum):
    GIFT = "gift"
    MOODLE_XML = "moodle-xml"


_SUFFIXES = {".gift": SourceFormat.GIFT, ".txt": SourceFormat.GIFT, ".xml": SourceFormat.MOODLE_XML}


def source_format_for(path: Path) -> SourceFormat | None:
    return _SUFFIXES.get(path.suffix.lower())


@dataclass(frozen=True)
class PlannedFile:
    path: Path
    text: str
    item_count: int = 0
    replaces: bool = False


@dataclass(frozen=True)
class ConversionPlan:
    """Every file a conversion would write, and everything to tell the author."""

    source: Path
    files: tuple[PlannedFile, ...]
    problems: tuple[Problem, ...]
    question_count: int
    item_count: int
    new_bank: bool
    defaulted_difficulty: int = 0  # items given the default difficulty

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def read_utf8(path: Path) -> tuple[bytes | None, str | None, list[Problem]]:
    """The file's bytes and text (BOM removed, line ends normalised), or why not."""
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return None, None, [Problem(path, 0, Severity.ERROR, f"cannot read the file: {reason}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = (
            f"the file is not UTF-8 (byte 0x{data[error.start]:02X} at column {column}); "
            "save it as UTF-8, as Moodle requires too"
        )
        return None, None, [Problem(path, line, Severity.ERROR, message)]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return data, text, []


def read_questions(path: Path) -> tuple[list[Question], list[Problem]]:
    """The questions in a GIFT or Moodle XML file, and every problem found reading it."""
    source_format = source_format_for(path)
    if source_format is None:
        message = "unknown file type: name GIFT files *.gift (or *.txt) and Moodle XML *.xml"
        return [], [Problem(path, 0, Severity.ERROR, message)]
    data, text, problems = read_utf8(path)
    if data is None or text is None:
        return [], problems
    if source_format is SourceFormat.GIFT:
        gift = parse_gift(text, path)
        return list(gift.questions), list(gift.problems)
    xml = parse_moodle_xml(data, path)
    return list(xml.questions), list(xml.problems)


def plan_conversion(
    source: Path,
    out_dir: Path,
    area: str | None = None,
    topic: str | None = None,
    *,
    replace: bool = False,
) -> ConversionPlan:
    """Decide what converting `source` into the bank at `out_dir` would write."""
    questions, problems = read_questions(source)
    areas_path = out_dir / AREAS_FILE
    new_bank = not areas_path.exists()
    declared: dict[str, set[str]] = {}
    if not new_bank:
        declared, area_problems = _declared_topics(areas_path)
        problems.extend(area_problems)
    if has_errors(problems):
        return ConversionPlan(source, (), tuple(problems), len(questions), 0, new_bank)
    destinations = {_destination_file(out_dir, q, area, topic) for q in questions}
    replaced = {path.resolve() for path in destinations if path is not None and path.exists()}
    taken = set()
    if not new_bank:
        taken = {
            item.id
            for item in load_bank(out_dir).valid_items
            if item.source_path is None or item.source_path.resolve() not in replaced
        }
    items, mapping_problems = items_from_questions(questions, source, area, topic, taken)
    problems.extend(mapping_problems)
    by_file: dict[tuple[str, str], list[ConvertedItem]] = {}
    for item in items:
        by_file.setdefault((item.area, item.topic), []).append(item)
    problems.extend(_destination_problems(out_dir, by_file, declared, new_bank, replace=replace))
    files = [
        PlannedFile(
            out_dir / area_id / f"{topic_id}.yaml",
            topic_file_text(group, source.name),
            len(group),
            (out_dir / area_id / f"{topic_id}.yaml").exists(),
        )
        for (area_id, topic_id), group in by_file.items()
    ]
    if new_bank and files:
        used: dict[str, list[str]] = {}
        for area_id, topic_id in by_file:
            used.setdefault(area_id, []).append(topic_id)
        files.append(PlannedFile(areas_path, areas_file_text(used, source.name)))
        files.extend(PlannedFile(out_dir / name, text) for name, text in rendered_schemas().items())
    problems.sort(key=Problem.sort_key)
    defaulted = sum(1 for item in items if item.difficulty_defaulted)
    return ConversionPlan(
        source, tuple(files), tuple(problems), len(questions), len(items), new_bank, defaulted
    )


def _destination_file(
    out_dir: Path, question: Question, area: str | None, topic: str | None
) -> Path | None:
    place = destination(question.category, area, topic)
    return None if place is None else out_dir / place[0] / f"{place[1]}.yaml"


def _declared_topics(areas_path: Path) -> tuple[dict[str, set[str]], list[Problem]]:
    document, errors = read_yaml(areas_path)
    problem = Problem(
        areas_path,
        errors[0].position.line if errors else 0,
        Severity.ERROR,
        f"this bank's {AREAS_FILE} has problems; run 'skillprobe bank validate "
        f"{areas_path.parent}' and fix them first",
    )
    if document is None:
        return {}, [problem]
    try:
        parsed = AreasFile.model_validate(document.data)
    except ValidationError:
        return {}, [problem]
    return {area.id: {t.id for t in area.topics} for area in parsed.areas}, []


def _destination_problems(
    out_dir: Path,
    by_file: dict[tuple[str, str], list[ConvertedItem]],
    declared: dict[str, set[str]],
    new_bank: bool,
    *,
    replace: bool,
) -> list[Problem]:
    problems: list[Problem] = []
    areas_path = out_dir / AREAS_FILE
    for (area, topic), group in by_file.items():
        target = out_dir / area / f"{topic}.yaml"
        if target.exists() and not replace:
            problems.append(
                Problem(
                    target,
                    0,
                    Severity.ERROR,
                    f"already exists ({len(group)} converted items would go here): choose "
                    "another --out, or --replace to overwrite it",
                )
            )
        if new_bank:
            continue
        if area not in declared or topic not in declared[area]:
            where = f"area '{area}'" if area in declared else "the areas"
            snippet = " ".join(topic_snippet(area, topic, area in declared).split())
            problems.append(
                Problem(
                    areas_path,
                    0,
                    Severity.ERROR,
                    f"topic '{topic}' of area '{area}' is not declared; add it to {where}: "
                    f"{snippet}",
                )
            )
    return problems


def write_plan(plan: ConversionPlan) -> list[Path]:
    """Write every planned file; temporary files first, then renames, so a failure
    part-way leaves whole files only."""
    if not plan.ok:
        raise ValueError("a plan with errors is never written")
    staged: list[tuple[Path, Path]] = []
    try:
        for planned in plan.files:
            planned.path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                prefix=f".{planned.path.name}.", dir=planned.path.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(planned.text)
            staged.append((Path(name), planned.path))
        for temporary, final in staged:
            os.replace(temporary, final)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [planned.path for planned in plan.files]


def summary(plan: ConversionPlan) -> Sequence[str]:
    """What was written, one line per file, then the totals."""
    lines = []
    for planned in plan.files:
        what = f"{planned.item_count} items" if planned.item_count else "bank file"
        verb = "replaced" if planned.replaces else "wrote"
        lines.append(f"{verb} {planned.path} ({what})")
    skipped = sum(1 for p in plan.problems if p.severity is Severity.SKIPPED)
    total = plan.item_count + skipped
    lines.append(
        f"{plan.item_count} of {total} questions converted"
        + (f"; {skipped} not carried over (listed above)" if skipped else "")
    )
    if plan.defaulted_difficulty:
        lines.append(
            f"{plan.defaulted_difficulty} items had no skillprobe data and got difficulty "
            f"{DEFAULT_DIFFICULTY} (medium): set each one's difficulty (1-5) in the topic file"
        )
    return lines
