"""What item calibration reads and writes: response matrices and new parameter sets.

The only calibration code that sees the ORM. Functions take the caller's
`Session` and return plain values (numpy arrays and frozen dataclasses).

* `area_responses` gathers, per area, one row per quiz session that answered
  anything in the area and one column per item (by item id, whatever version
  the learner saw): 1 correct, 0 wrong, NaN not asked. A skipped answer counts
  as wrong, as everywhere in skillprobe.
* `write_parameters` adds a ``source="calibration"`` parameter set per item,
  makes it current and retires the one it replaces, refusing (and so rolling
  back the caller's transaction) if the current set changed since it was read.
* `write_scale` and `write_diagnostics` record each area's estimated
  population and the items' diagnostics; `latest_scales` and `diagnostics`
  read them back.
* `first_answers` gathers, for export, every learner's first answer to every
  item (rows are learners, not sessions).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from engine.db.bank_store import CALIBRATION_SOURCE
from engine.db.models import (
    Area,
    AreaScale,
    Item,
    ItemDiagnostic,
    ItemParameterSet,
    ItemVersion,
    Learner,
    QuizSession,
    Response,
)

FloatArray = npt.NDArray[np.float64]

#: Ids per UPDATE ... WHERE id IN (...), well under every backend's parameter limit.
_CHUNK = 500


class ParametersChangedError(Exception):
    """An item's current parameter set is no longer the one that was calibrated."""


@dataclass(frozen=True)
class CalibrationItem:
    """An item's current parameters and the centre of its difficulty prior.

    ``prior_b`` and ``prior_c`` are the difficulty and guessing of the item's
    latest parameter set that did not come from calibration (the author's
    ``difficulty``, ``irt:`` or the shipped parameters), so a second
    calibration shrinks towards the author's prior, not towards the previous
    calibration of the same data.
    """

    id: str
    area: str
    retired: bool
    parameter_set_id: int
    a: float
    b: float
    c: float
    source: str
    prior_b: float
    prior_c: float


@dataclass(frozen=True, eq=False)
class AreaResponses:
    """One area's response matrix: rows are quiz sessions, columns are `items`."""

    area: str
    items: tuple[CalibrationItem, ...]
    sessions: tuple[int, ...]
    responses: FloatArray  # (sessions, items): 1.0, 0.0 or NaN; read-only

    @property
    def response_counts(self) -> npt.NDArray[np.intp]:
        return np.sum(~np.isnan(self.responses), axis=0).astype(np.intp)


@dataclass(frozen=True)
class NewParameters:
    """Calibrated parameters for one item, replacing the set it was calibrated from."""

    item_id: str
    replaces_set_id: int
    a: float
    b: float
    c: float


def calibration_items(session: Session) -> list[CalibrationItem]:
    """Every item with a current parameter set, in area order then by id."""
    author: dict[str, tuple[float, float]] = {}
    for item_id, b, c in session.execute(
        select(ItemParameterSet.item_id, ItemParameterSet.b, ItemParameterSet.c)
        .where(ItemParameterSet.source != CALIBRATION_SOURCE)
        .order_by(ItemParameterSet.id)
    ):
        author[item_id] = (b, c)  # the latest wins
    rows = session.execute(
        select(Item.id, Item.area_id, Item.retired_at, ItemParameterSet)
        .join(ItemParameterSet, (ItemParameterSet.item_id == Item.id) & ItemParameterSet.is_current)
        .join(Area, Area.id == Item.area_id)
        .order_by(Area.position, Item.id)
    ).all()
    return [
        CalibrationItem(
            id=item_id,
            area=area,
            retired=retired_at is not None,
            parameter_set_id=parameters.id,
            a=parameters.a,
            b=parameters.b,
            c=parameters.c,
            source=parameters.source,
            prior_b=author.get(item_id, (parameters.b, parameters.c))[0],
            prior_c=author.get(item_id, (parameters.b, parameters.c))[1],
        )
        for item_id, area, retired_at, parameters in rows
    ]


def area_responses(session: Session) -> list[AreaResponses]:
    """Per area (in the bank's order), every stored response as a sessions x items matrix."""
    items = calibration_items(session)
    by_area: dict[str, list[CalibrationItem]] = {}
    for item in items:
        by_area.setdefault(item.area, []).append(item)
    place = {
        item.id: (code, column)
        for code, area_items in enumerate(by_area.values())
        for column, item in enumerate(area_items)
    }
    rows = session.execute(
        select(Response.session_id, ItemVersion.item_id, Response.correct, Response.skipped)
        .join(ItemVersion, Response.item_version_id == ItemVersion.id)
        # Pretest answers are what calibration is for; an answer given after the key was
        # shown is not a first exposure and would make the item look easy.
        .where(Response.key_shown.is_(False))
        .order_by(Response.session_id, Response.position)
    ).all()
    count = len(rows)
    sessions = np.fromiter((row[0] for row in rows), dtype=np.int64, count=count)
    codes = np.fromiter((place.get(row[1], (-1, -1))[0] for row in rows), np.intp, count)
    columns = np.fromiter((place.get(row[1], (-1, -1))[1] for row in rows), np.intp, count)
    values = np.fromiter(
        (1.0 if correct and not skipped else 0.0 for _, _, correct, skipped in rows),
        dtype=np.float64,
        count=count,
    )
    result = []
    for code, (area, area_items) in enumerate(by_area.items()):
        in_area = codes == code
        area_sessions, row_index = np.unique(sessions[in_area], return_inverse=True)
        matrix = np.full((area_sessions.size, len(area_items)), np.nan)
        # An item is never asked twice in one session; if it were, the last answer would win.
        matrix[row_index, columns[in_area]] = values[in_area]
        matrix.setflags(write=False)
        result.append(
            AreaResponses(
                area=area,
                items=tuple(area_items),
                sessions=tuple(int(s) for s in area_sessions),
                responses=matrix,
            )
        )
    return result


def write_parameters(session: Session, parameters: Sequence[NewParameters]) -> list[int]:
    """Add a current ``calibration`` parameter set per item, in the caller's transaction.

    Raises
    ------
    ParametersChangedError
        When an item's current set is not ``replaces_set_id`` any more (the bank
        was re-imported meanwhile); nothing should then be committed.
    """
    if not parameters:
        return []
    wanted = {p.item_id: p.replaces_set_id for p in parameters}
    current = dict(
        session.execute(
            select(ItemParameterSet.item_id, ItemParameterSet.id)
            .where(ItemParameterSet.is_current)
            .with_for_update()
        ).all()
    )
    changed = sorted(item for item, set_id in wanted.items() if current.get(item) != set_id)
    if changed:
        raise ParametersChangedError(
            f"the parameters of {len(changed)} item(s) changed since they were read "
            f"(first: {changed[0]})"
        )
    replaced = list(wanted.values())
    for start in range(0, len(replaced), _CHUNK):
        session.execute(
            update(ItemParameterSet)
            .where(ItemParameterSet.id.in_(replaced[start : start + _CHUNK]))
            .values(is_current=False)
        )
    rows = [
        ItemParameterSet(
            item_id=p.item_id,
            a=float(p.a),
            b=float(p.b),
            c=float(p.c),
            source=CALIBRATION_SOURCE,
            is_current=True,
        )
        for p in parameters
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


@dataclass(frozen=True)
class ScaleRecord:
    """An area's ability scale after a calibration."""

    area: str
    population_mean: float
    population_sd: float
    set_by: str  # "anchors", "sample" or "linking"
    anchors: int
    sessions: int
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class DiagnosticRecord:
    """One item's diagnostics from the latest calibration."""

    item_id: str
    parameter_set_id: int
    responses: int
    se_a: float
    se_b: float
    se_c: float
    proportion_correct: float | None
    infit: float | None
    outfit: float | None
    ability_correlation: float | None
    flags: tuple[str, ...]
    calibrated_at: dt.datetime | None = None


def write_scale(session: Session, scale: ScaleRecord) -> None:
    session.add(
        AreaScale(
            area_id=scale.area,
            population_mean=scale.population_mean,
            population_sd=scale.population_sd,
            set_by=scale.set_by,
            anchors=scale.anchors,
            sessions=scale.sessions,
        )
    )


def latest_scales(session: Session) -> dict[str, ScaleRecord]:
    """The newest recorded scale of every calibrated area."""
    latest: dict[str, ScaleRecord] = {}
    for row in session.scalars(select(AreaScale).order_by(AreaScale.id)):
        latest[row.area_id] = ScaleRecord(
            row.area_id,
            row.population_mean,
            row.population_sd,
            row.set_by,
            row.anchors,
            row.sessions,
            row.created_at,
        )
    return latest


def write_diagnostics(session: Session, records: Sequence[DiagnosticRecord]) -> None:
    """Replace the stored diagnostics of these items."""
    ids = [record.item_id for record in records]
    for start in range(0, len(ids), _CHUNK):
        session.execute(
            delete(ItemDiagnostic).where(ItemDiagnostic.item_id.in_(ids[start : start + _CHUNK]))
        )
    session.add_all(
        ItemDiagnostic(
            item_id=record.item_id,
            parameter_set_id=record.parameter_set_id,
            responses=record.responses,
            se_a=record.se_a,
            se_b=record.se_b,
            se_c=record.se_c,
            proportion_correct=record.proportion_correct,
            infit=record.infit,
            outfit=record.outfit,
            ability_correlation=record.ability_correlation,
            flags=list(record.flags),
        )
        for record in records
    )


def diagnostics(session: Session) -> list[DiagnosticRecord]:
    """Every item's stored diagnostics, by item id."""
    return [
        DiagnosticRecord(
            row.item_id,
            row.parameter_set_id,
            row.responses,
            row.se_a,
            row.se_b,
            row.se_c,
            row.proportion_correct,
            row.infit,
            row.outfit,
            row.ability_correlation,
            tuple(str(flag) for flag in row.flags),
            row.calibrated_at,
        )
        for row in session.scalars(select(ItemDiagnostic).order_by(ItemDiagnostic.item_id))
    ]


@dataclass(frozen=True, eq=False)
class FirstAnswers:
    """Every learner's first answer to every item: rows are learners, columns items."""

    learners: tuple[str, ...]
    anonymous_ids: tuple[str, ...]  # stable ids that do not reveal the name
    item_ids: tuple[str, ...]
    responses: FloatArray  # 1.0, 0.0 or NaN


def area_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Area.id).order_by(Area.position)))


def anonymous_id(learner_id: int, created_at: dt.datetime) -> str:
    """A stable id for a learner that does not reveal their name.

    Derived from the row's id and creation instant (microseconds), which differ
    between installations, so two exports of one database agree and ids from
    different installations do not collide in a pooled file.
    """
    digest = hashlib.sha256(f"{learner_id}|{created_at.isoformat()}".encode()).hexdigest()
    return f"anon-{digest[:16]}"


def first_answers(
    session: Session, *, area: str | None = None, since: dt.datetime | None = None
) -> FirstAnswers:
    """The first answer (in time) of every learner to every item, optionally one area only.

    A skipped answer counts as wrong. ``since`` keeps answers given at or after it.
    """
    query = (
        select(
            Learner.id,
            Learner.name,
            Learner.created_at,
            ItemVersion.item_id,
            Response.correct,
            Response.skipped,
        )
        .join(QuizSession, QuizSession.id == Response.session_id)
        .join(Learner, Learner.id == QuizSession.learner_id)
        .join(ItemVersion, Response.item_version_id == ItemVersion.id)
        .join(Item, Item.id == ItemVersion.item_id)
        .where(Response.key_shown.is_(False))  # first exposures only (pretest answers too)
        .order_by(Response.answered_at, Response.id)
    )
    if area is not None:
        query = query.where(Item.area_id == area)
    if since is not None:
        query = query.where(Response.answered_at >= since)
    learners: dict[int, tuple[str, str]] = {}
    items: dict[str, int] = {}
    answers: dict[tuple[int, int], float] = {}
    for learner_id, name, created_at, item_id, correct, skipped in session.execute(query):
        learners.setdefault(learner_id, (name, anonymous_id(learner_id, created_at)))
        column = items.setdefault(item_id, len(items))
        answers.setdefault((learner_id, column), 1.0 if correct and not skipped else 0.0)
    order = sorted(learners)
    row_of = {learner_id: row for row, learner_id in enumerate(order)}
    item_order = sorted(items)
    column_of = {items[item_id]: position for position, item_id in enumerate(item_order)}
    matrix = np.full((len(order), len(item_order)), np.nan)
    for (learner_id, column), value in answers.items():
        matrix[row_of[learner_id], column_of[column]] = value
    return FirstAnswers(
        tuple(learners[i][0] for i in order),
        tuple(learners[i][1] for i in order),
        tuple(item_order),
        matrix,
    )
