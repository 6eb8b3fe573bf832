"""Item calibration: replace author priors by parameters estimated from learners' answers.

`calibrate` reads every stored response, estimates each area's item
parameters by marginal maximum a posteriori (`engine.irt.calibration`; one
ability per area, each quiz session x area one examinee) and stores the
estimates as new current parameter sets with ``source="calibration"``, all in
one transaction. Items with fewer than ``min_responses`` responses keep their
parameters; they still take part in the estimation with their current values
(fixed-parameter calibration), so their answers still inform the learners'
abilities. A running `QuizService` sees the new parameters after
`QuizService.reload_bank()`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from engine.db import calibration_store
from engine.db.database import Database
from engine.irt.calibration import CalibrationResult, calibrate_items

DEFAULT_MIN_RESPONSES = 30
#: A new parameter set is written only when ``a`` or ``b`` moves at least this much,
#: so calibrating twice on the same answers writes nothing the second time.
CHANGE_THRESHOLD = 1.0e-3


class CalibrationError(Exception):
    """Calibration could not be stored; the message says why and what to do."""


@dataclass(frozen=True)
class ItemCalibration:
    """One item's parameters before and after calibration."""

    item_id: str
    responses: int
    retired: bool
    c: float
    old_a: float
    old_b: float
    old_source: str
    new_a: float
    new_b: float
    se_a: float
    se_b: float

    @property
    def changed(self) -> bool:
        return (
            self.old_source != calibration_store.CALIBRATION_SOURCE
            or abs(self.new_a - self.old_a) >= CHANGE_THRESHOLD
            or abs(self.new_b - self.old_b) >= CHANGE_THRESHOLD
        )


@dataclass(frozen=True)
class KeptItem:
    """An item left as it was because it has too few responses."""

    item_id: str
    responses: int


@dataclass(frozen=True)
class AreaCalibration:
    area: str
    sessions: int
    responses: int
    calibrated: tuple[ItemCalibration, ...]
    kept: tuple[KeptItem, ...]
    iterations: int
    converged: bool


@dataclass(frozen=True)
class CalibrationReport:
    """What `calibrate` did (or, with ``dry_run``, would do)."""

    min_responses: int
    dry_run: bool
    areas: tuple[AreaCalibration, ...]
    written: int  # parameter sets written (0 for a dry run)

    @property
    def calibrated(self) -> tuple[ItemCalibration, ...]:
        return tuple(item for area in self.areas for item in area.calibrated)

    @property
    def kept(self) -> tuple[KeptItem, ...]:
        return tuple(item for area in self.areas for item in area.kept)

    @property
    def changed(self) -> tuple[ItemCalibration, ...]:
        return tuple(item for item in self.calibrated if item.changed)

    @property
    def nothing_to_calibrate(self) -> bool:
        return not self.calibrated

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (`skillprobe calibrate --json`)."""
        return {
            "min_responses": self.min_responses,
            "dry_run": self.dry_run,
            "written": self.written,
            "areas": [
                {
                    "area": area.area,
                    "sessions": area.sessions,
                    "responses": area.responses,
                    "iterations": area.iterations,
                    "converged": area.converged,
                    "calibrated": [
                        {**asdict(item), "changed": item.changed} for item in area.calibrated
                    ],
                    "kept": [asdict(item) for item in area.kept],
                }
                for area in self.areas
            ],
        }


def calibrate(
    database: Database,
    *,
    min_responses: int = DEFAULT_MIN_RESPONSES,
    dry_run: bool = False,
) -> CalibrationReport:
    """Calibrate every item with at least ``min_responses`` responses.

    Reads in one short transaction, estimates without holding any lock, then
    writes every new parameter set in one transaction (all or nothing). Items
    whose estimates did not move (already calibrated on the same answers) are
    not written again.

    Raises
    ------
    CalibrationError
        When the bank changed between reading and writing (re-imported while
        calibrating); nothing was written.
    ValueError
        When ``min_responses`` is below 1.
    """
    if min_responses < 1:
        raise ValueError("min_responses must be at least 1")
    with database.reader() as session:
        gathered = calibration_store.area_responses(session)
    areas = tuple(_calibrate_area(area, min_responses) for area in gathered)
    updates = [
        calibration_store.NewParameters(item.item_id, set_id, item.new_a, item.new_b, item.c)
        for area, data in zip(areas, gathered, strict=True)
        for item, set_id in _with_set_ids(area, data)
        if item.changed
    ]
    written = 0
    if updates and not dry_run:
        try:
            with database.unit_of_work() as session:
                written = len(calibration_store.write_parameters(session, updates))
        except calibration_store.ParametersChangedError as error:
            raise CalibrationError(
                f"{error}: the bank was re-imported while calibrating; nothing was written, "
                "run calibrate again"
            ) from error
    return CalibrationReport(min_responses, dry_run, areas, written)


def _with_set_ids(
    area: AreaCalibration, data: calibration_store.AreaResponses
) -> list[tuple[ItemCalibration, int]]:
    set_ids = {item.id: item.parameter_set_id for item in data.items}
    return [(item, set_ids[item.item_id]) for item in area.calibrated]


def _calibrate_area(data: calibration_store.AreaResponses, min_responses: int) -> AreaCalibration:
    counts = data.response_counts
    enough = counts >= min_responses
    kept = tuple(
        KeptItem(item.id, int(count))
        for item, count, ok in zip(data.items, counts, enough, strict=True)
        if not ok
    )
    sessions, responses = int(data.responses.shape[0]), int(counts.sum())
    if not enough.any():
        return AreaCalibration(data.area, sessions, responses, (), kept, 0, True)
    result = calibrate_items(
        data.responses,
        np.array([item.a for item in data.items]),
        np.array([item.b for item in data.items]),
        np.array([item.c for item in data.items]),
        prior_b=np.array([item.prior_b for item in data.items]),
        fixed=~enough,
    )
    calibrated = _calibrated_items(data, result, enough)
    return AreaCalibration(
        data.area, sessions, responses, calibrated, kept, result.iterations, result.converged
    )


def _calibrated_items(
    data: calibration_store.AreaResponses, result: CalibrationResult, enough: np.ndarray
) -> tuple[ItemCalibration, ...]:
    return tuple(
        ItemCalibration(
            item_id=item.id,
            responses=int(result.n_responses[index]),
            retired=item.retired,
            c=item.c,
            old_a=item.a,
            old_b=item.b,
            old_source=item.source,
            new_a=float(result.a[index]),
            new_b=float(result.b[index]),
            se_a=float(result.se_a[index]),
            se_b=float(result.se_b[index]),
        )
        for index, item in enumerate(data.items)
        if enough[index]
    )
