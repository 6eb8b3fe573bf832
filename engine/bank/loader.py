"""Loading and validating a whole bank: `areas.yaml` plus `<area>/<topic>.yaml` files.

Every problem in every file is collected before anything is returned, so an
author sees them all at once, and a bank with any problem yields no `Bank`
(which is what makes imports all-or-nothing).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.bank.checks import item_findings
from engine.bank.diagnostics import BankError, Position
from engine.bank.messages import describe, did_you_mean, fields_for_item_type
from engine.bank.model import (
    DEFAULT_DISCRIMINATION,
    DIFFICULTY_TO_B,
    AreaInfo,
    Bank,
    CutScores,
    ItemSpec,
    OptionSpec,
    TopicInfo,
    default_guessing,
)
from engine.bank.schema import (
    ITEM_MODELS,
    AreasFile,
    NumericItem,
    TextItem,
    TopicFile,
    TrueFalseItem,
    _ChoiceItemBase,
    _ItemBase,
)
from engine.bank.yaml_source import YamlDocument, read_yaml

AREAS_FILE = "areas.yaml"
TOPIC_SUFFIXES = (".yaml", ".yml")
#: Calibrated parameters shipped with the bank, one file per area (docs/authoring.md).
PARAMETERS_FILE = "parameters.csv"
# Parameter sources (the values of `engine.irt.pretest.ParameterSource`, kept as plain
# strings here so that loading a bank does not import the numerical core).
ANCHOR_SOURCE = "anchor"
SHIPPED_SOURCE = "shipped"


@dataclass(frozen=True)
class LoadedBank:
    """The outcome of loading: a bank when there were no errors, and every error."""

    root: Path | None
    bank: Bank | None
    errors: tuple[BankError, ...]
    files: tuple[Path, ...]
    valid_items: tuple[ItemSpec, ...] = ()  # every item that passed, even when others did not

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def items(self) -> tuple[ItemSpec, ...]:
        return self.bank.items if self.bank else ()


def find_bank_root(path: Path) -> Path | None:
    """The folder holding `areas.yaml`: `path` itself or its nearest ancestor."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if (folder / AREAS_FILE).is_file():
            return folder
    return None


def load_bank(path: Path | str, only: Iterable[Path] | None = None) -> LoadedBank:
    """Load and validate the bank that `path` belongs to.

    Parameters
    ----------
    path
        The bank folder (holding ``areas.yaml``), or any file or folder inside it.
    only
        Report errors only for these files (and ``areas.yaml``); the rest of the
        bank is still read so that ids are checked for uniqueness bank-wide.
    """
    path = Path(path)
    root = find_bank_root(path)
    if root is None:
        message = (
            f"no {AREAS_FILE} found here or in any parent folder; a bank is a folder with "
            f"{AREAS_FILE} and <area>/<topic>.yaml files"
        )
        return LoadedBank(None, None, (BankError(path, Position(), message),), ())
    errors: list[BankError] = []
    areas = _load_areas(root / AREAS_FILE, errors)
    topic_files = _topic_files(root, errors)
    items: list[ItemSpec] = []
    first_definition: dict[str, tuple[Path, Position]] = {}
    for file in topic_files:
        items.extend(_load_topic_file(root, file, areas, first_definition, errors))
    parameter_files = _parameter_files(root)
    items = _apply_shipped_parameters(items, parameter_files, errors)
    if only is not None:
        wanted = {p.resolve() for p in only} | {(root / AREAS_FILE).resolve()}
        errors = [e for e in errors if e.path.resolve() in wanted]
    errors.sort(key=BankError.sort_key)
    bank = None
    if not errors and areas is not None:
        bank = Bank(tuple(areas.values()), tuple(items), bank_digest(root))
    files = (root / AREAS_FILE, *topic_files, *parameter_files)
    return LoadedBank(root, bank, tuple(errors), files, tuple(items))


def bank_digest(root: Path) -> str:
    """A digest of the bank's files: equal digests mean nothing to import.

    Reads bytes without parsing, so "is the stored bank current?" costs a few
    milliseconds at start-up instead of a full validation.
    """
    digest = hashlib.sha256()
    paths = [root / AREAS_FILE, *_topic_files(root, []), *_parameter_files(root)]
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


def _parameter_files(root: Path) -> list[Path]:
    return sorted(path for path in root.glob(f"*/{PARAMETERS_FILE}") if path.is_file())


def _apply_shipped_parameters(
    items: list[ItemSpec], files: Sequence[Path], errors: list[BankError]
) -> list[ItemSpec]:
    """Items listed in an area's ``parameters.csv`` take those (calibrated) parameters.

    Every problem is reported at its ``file:row:column``: a malformed file, an
    id that is not an item of that area, or an anchor (whose parameters are the
    author's by definition).
    """
    from engine.io.csv_tables import read_items_csv

    by_id = {item.id: index for index, item in enumerate(items)}
    result = list(items)
    for path in files:
        table, problems = read_items_csv(path)
        errors.extend(
            BankError(path, Position(p.row, p.column), f"{p.message}; fix {PARAMETERS_FILE}")
            for p in problems
        )
        if table is None:
            continue
        area = path.parent.name
        for row, (item_id, line) in enumerate(zip(table.ids, table.lines, strict=True)):
            index = by_id.get(item_id)
            if index is None or items[index].area != area:
                errors.append(
                    BankError(
                        path,
                        Position(line, 1),
                        f"'{item_id}' is not an item of area '{area}'; remove the row or "
                        "move it to its area's file",
                    )
                )
                continue
            if items[index].parameter_source == ANCHOR_SOURCE:
                errors.append(
                    BankError(
                        path,
                        Position(line, 1),
                        f"'{item_id}' is an anchor: its parameters are the ones in its "
                        "topic file; remove the row",
                        item_id,
                    )
                )
                continue
            result[index] = dataclasses.replace(
                items[index],
                a=float(table.a[row]),
                b=float(table.b[row]),
                c=float(table.c[row]),
                parameter_source=SHIPPED_SOURCE,
            )
    return result


def _topic_files(root: Path, errors: list[BankError]) -> list[Path]:
    files: list[Path] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in TOPIC_SUFFIXES:
            continue
        depth = len(path.relative_to(root).parts)
        if depth == 2:
            files.append(path)
        elif path.name != AREAS_FILE or depth != 1:
            errors.append(
                BankError(
                    path,
                    Position(),
                    "not part of the bank: topic files go in <area>/<topic>.yaml under "
                    f"{root}; move or rename it",
                )
            )
    return files


def _load_areas(path: Path, errors: list[BankError]) -> dict[str, AreaInfo] | None:
    document, read_errors = read_yaml(path)
    errors.extend(read_errors)
    if document is None:
        return None
    try:
        parsed = AreasFile.model_validate(document.data)
    except ValidationError as error:
        errors.extend(_validation_errors(document, error.errors(), item_level=False))
        return None
    areas: dict[str, AreaInfo] = {}
    topic_owner: dict[str, str] = {}
    for area_index, area in enumerate(parsed.areas):
        location = ("areas", area_index)
        if area.id in areas:
            errors.append(_at(document, (*location, "id"), f"duplicate area id '{area.id}'"))
        cuts = area.cut_scores
        if not cuts.developing < cuts.job_ready < cuts.strong:
            errors.append(
                _at(
                    document,
                    (*location, "cut_scores"),
                    "cut scores must increase: developing < job_ready < strong",
                )
            )
        topics: list[TopicInfo] = []
        for topic_index, topic in enumerate(area.topics):
            if topic.id in topic_owner:
                errors.append(
                    _at(
                        document,
                        (*location, "topics", topic_index, "id"),
                        f"duplicate topic id '{topic.id}' (also in area '{topic_owner[topic.id]}')",
                    )
                )
            topic_owner[topic.id] = area.id
            topics.append(
                TopicInfo(topic.id, area.id, topic.title, topic.description, tuple(topic.study))
            )
        areas[area.id] = AreaInfo(
            area.id,
            area.title,
            area.description,
            CutScores(cuts.developing, cuts.job_ready, cuts.strong),
            tuple(topics),
        )
    return areas


def _load_topic_file(
    root: Path,
    path: Path,
    areas: dict[str, AreaInfo] | None,
    first_definition: dict[str, tuple[Path, Position]],
    errors: list[BankError],
) -> list[ItemSpec]:
    area_id, topic_id = path.parent.name, path.stem
    if areas is not None:
        area = areas.get(area_id)
        if area is None:
            errors.append(
                BankError(
                    path,
                    Position(),
                    f"unknown area '{area_id}'{did_you_mean(area_id, areas)}; declare it in "
                    f"{root / AREAS_FILE} or move the file (areas: {', '.join(areas)})",
                )
            )
        elif topic_id not in {t.id for t in area.topics}:
            topic_ids = [t.id for t in area.topics]
            errors.append(
                BankError(
                    path,
                    Position(),
                    f"unknown topic '{topic_id}' in area '{area_id}'"
                    f"{did_you_mean(topic_id, topic_ids)}; declare it in {AREAS_FILE} "
                    f"(topics: {', '.join(topic_ids)})",
                )
            )
    document, read_errors = read_yaml(path)
    errors.extend(read_errors)
    if document is None:
        return []
    if document.data is None:
        return []  # an empty topic file is allowed while a topic is being started
    if not isinstance(document.data, list):
        errors.append(
            _at(document, (), "a topic file is a list of items: start each item with '- id: ...'")
        )
        return []
    items: list[ItemSpec] = []
    for index, raw in enumerate(document.data):
        duplicate = _duplicate_id_error(document, index, raw, first_definition)
        if duplicate is not None:
            errors.append(duplicate)
        item = _validate_item(document, index, raw, errors)
        if item is None or duplicate is not None:
            continue
        line = document.position_of((index,)).line
        items.append(_to_spec(item, area_id, topic_id, path, line))
    return items


def _duplicate_id_error(
    document: YamlDocument,
    index: int,
    raw: object,
    first_definition: dict[str, tuple[Path, Position]],
) -> BankError | None:
    """Ids are checked on the raw data, so even an otherwise broken item claims its id."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(item_id, str):
        return None
    position = document.position_of((index, "id"))
    previous = first_definition.setdefault(item_id, (document.path, position))
    if previous == (document.path, position):
        return None
    return BankError(
        document.path,
        position,
        f"duplicate id '{item_id}': already used at {previous[0]}:{previous[1].line}; ids "
        "must be unique across the bank",
        item_id,
    )


def _validate_item(
    document: YamlDocument, index: int, raw: object, errors: list[BankError]
) -> _ItemBase | None:
    item_id = raw.get("id") if isinstance(raw, dict) else None
    item_id = item_id if isinstance(item_id, str) else None
    try:
        # Validate one item at a time so one bad item does not hide the rest.
        item = TopicFile.model_validate([raw]).root[0]
    except ValidationError as error:
        shifted = [{**e, "loc": (index, *e["loc"][1:])} for e in error.errors()]
        errors.extend(_validation_errors(document, shifted, item_level=True, item_id=item_id))
        return None
    findings = list(item_findings(item))
    for location, message in findings:
        errors.append(_at(document, (index, *location), message, item.id))
    return None if findings else item


def _validation_errors(
    document: YamlDocument,
    raw_errors: Sequence[Mapping[str, Any]],
    *,
    item_level: bool,
    item_id: str | None = None,
) -> list[BankError]:
    result: list[BankError] = []
    for error in raw_errors:
        location = tuple(error["loc"])
        relative: tuple[int | str, ...] = location
        allowed: Iterable[str] = ()
        if item_level and location:
            # pydantic puts the union tag ("single", ...) after the item index.
            rest = location[1:]
            if rest and rest[0] in ITEM_MODELS and rest[0] != error.get("input"):
                rest = rest[1:]
            relative = rest
            raw = document.data[location[0]] if isinstance(document.data, list) else None
            item_type = raw.get("type") if isinstance(raw, dict) else None
            allowed = _allowed_at(item_type, rest)
        elif error["type"] == "extra_forbidden":
            allowed = _areas_allowed_at(location)
        key = error["type"] == "extra_forbidden"
        position = document.position_of(location, key=key)
        result.append(
            BankError(document.path, position, describe(error, relative, allowed), item_id)
        )
    return result


def _allowed_at(item_type: object, relative: Sequence[int | str]) -> list[str]:
    from engine.bank.schema import IrtParameters, Option, Tolerance

    parents = [p for p in relative[:-1] if isinstance(p, str)]
    if parents and parents[-1] == "options":
        return list(Option.model_fields)
    if parents and parents[-1] == "irt":
        return list(IrtParameters.model_fields)
    if parents and parents[-1] == "tolerance":
        return list(Tolerance.model_fields)
    return fields_for_item_type(item_type)


def _areas_allowed_at(location: Sequence[int | str]) -> list[str]:
    from engine.bank.schema import AreaSpec, CutScores, TopicSpec

    names = [p for p in location[:-1] if isinstance(p, str)]
    if not names:
        return list(AreasFile.model_fields)
    sections: dict[str, type[BaseModel]] = {
        "areas": AreaSpec,
        "topics": TopicSpec,
        "cut_scores": CutScores,
    }
    return list(sections.get(names[-1], AreaSpec).model_fields)


def _at(
    document: YamlDocument, location: Sequence[int | str], message: str, item_id: str | None = None
) -> BankError:
    return BankError(document.path, document.position_of(location), message, item_id)


# Each item model's `type` value (the models declare it as a Literal field).
_ITEM_TYPES: dict[type[_ItemBase], str] = {model: name for name, model in ITEM_MODELS.items()}


def _to_spec(item: _ItemBase, area: str, topic: str, path: Path, line: int) -> ItemSpec:
    item_type = _ITEM_TYPES[type(item)]
    options: tuple[OptionSpec, ...] = ()
    if isinstance(item, _ChoiceItemBase):
        options = tuple(OptionSpec(o.text, o.correct, o.feedback) for o in item.options)
    if item.irt is not None:
        a, b, c = item.irt.a, item.irt.b, item.irt.c
        source = ANCHOR_SOURCE if item.irt.anchor else "irt"
    else:
        assert item.difficulty is not None  # guaranteed by item_findings
        a, b = DEFAULT_DISCRIMINATION, DIFFICULTY_TO_B[item.difficulty]
        c, source = default_guessing(item_type, len(options)), "difficulty"
    answers: dict[str, object] = {}
    if isinstance(item, TrueFalseItem | NumericItem):
        answers["answer"] = item.answer
    if isinstance(item, NumericItem) and item.tolerance is not None:
        answers["absolute_tolerance"] = item.tolerance.absolute
        answers["relative_tolerance"] = item.tolerance.relative
    if isinstance(item, NumericItem):
        answers["unit"] = item.unit
    if isinstance(item, TextItem):
        answers["accept"] = tuple(item.accept)
        answers["pattern"] = item.pattern
    return ItemSpec(
        id=item.id,
        area=area,
        topic=topic,
        type=item_type,
        prompt=item.prompt,
        explanation=item.explanation,
        a=a,
        b=b,
        c=c,
        parameter_source=source,
        difficulty=item.difficulty,
        options=options,
        shuffle=getattr(item, "shuffle", True),
        tags=tuple(item.tags),
        references=tuple(item.references),
        source_path=path,
        source_line=line,
        **answers,  # type: ignore[arg-type]
    )
