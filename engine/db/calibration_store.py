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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.db.bank_store import CALIBRATION_SOURCE
from engine.db.models import Area, Item, ItemParameterSet, ItemVersion, Response

FloatArray = npt.NDArray[np.float64]

#: Ids per UPDATE ... WHERE id IN (...), well under every backend's parameter limit.
_CHUNK = 500


class ParametersChangedError(Exception):
    """An item's current parameter set is no longer the one that was calibrated."""


@dataclass(frozen=True)
class CalibrationItem:
    """An item's current parameters and the centre of its difficulty prior.

    ``prior_b`` is the difficulty of the item's latest parameter set that did
    not come from calibration (the author's ``difficulty`` or ``irt:``), so a
    second calibration shrinks towards the author's prior, not towards the
    previous calibration of the same data.
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
    author_b: dict[str, float] = {}
    for item_id, b in session.execute(
        select(ItemParameterSet.item_id, ItemParameterSet.b)
        .where(ItemParameterSet.source != CALIBRATION_SOURCE)
        .order_by(ItemParameterSet.id)
    ):
        author_b[item_id] = b  # the latest wins
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
            prior_b=author_b.get(item_id, parameters.b),
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
