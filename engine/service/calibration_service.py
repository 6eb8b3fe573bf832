"""Item calibration: estimates from learners' answers on a scale that keeps its meaning.

Two entry points share one pure core (`calibrate_matrix`):

* `calibrate(database, ...)` estimates every area's items from the stored
  answers (one ability per area; each quiz session x area one person) and
  stores the estimates as new current parameter sets with
  ``source="calibration"``, the area's population and the items'
  diagnostics, all in one transaction.
* `calibrate_responses(...)` does the same for a response file (``skillprobe
  calibrate --responses``), with anchors from a parameters file.

**The scale** (docs/engine.md, "Item calibration"). Items whose parameters are
measured from data (`ParameterSource.from_data`: anchors marked in the YAML,
parameters shipped with the bank, earlier calibrations) are held fixed, and
with at least `MIN_ANCHORS` of them answered each area's ability mean and SD
are estimated in every EM cycle (Kim, 2006), so new items land on the
anchors' scale and the cut scores in ``areas.yaml`` keep their meaning.
Without enough anchors the scale is set by the sample (`Scale.note` says what
that does to the cuts). ``refit=True`` re-estimates earlier calibrations too
and links the result back to their scale (Stocking & Lord, 1983).

Items with fewer than ``min_responses`` answers that are not anchors are
*pretest* items: they keep their parameters and are left out of the
estimation, so their guessed parameters cannot bend the scale.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from engine.db import calibration_store
from engine.db.database import Database
from engine.irt.calibration import (
    DEFAULT_PRIOR_B_SD,
    DEFAULT_PRIOR_LOG_A_SD,
    CalibrationResult,
    Population,
    calibrate_items,
)
from engine.irt.item_fit import ItemFit, ItemFlag, item_fit, item_flags
from engine.irt.linking import Linking, apply_linking, stocking_lord
from engine.irt.pretest import ParameterSource

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

DEFAULT_MIN_RESPONSES = 30
#: A new parameter set is written only when ``a``, ``b`` or ``c`` moves at least this
#: much, so calibrating twice on the same answers writes nothing the second time.
CHANGE_THRESHOLD = 1.0e-3
#: Answered anchors needed before the population's mean and SD are estimated: fewer
#: pin the scale too loosely (two fix a line; a few more average out their errors).
MIN_ANCHORS = 5
#: The guessing prior of a single-choice or true/false item is centred at this share
#: of the blind-guess rate 1/options: an "I don't know" skip is scored wrong, so
#: real guessing is lower than blind guessing (weight 20, as BILOG-MG's default).
GUESSING_PRIOR_SHARE = 0.75
GUESSING_PRIOR_WEIGHT = 20.0
#: The Beta prior's mean for ``--model 3pl`` on a response file (options unknown).
FILE_GUESSING_PRIOR = 0.2


class CalibrationError(Exception):
    """Calibration could not be stored; the message says why and what to do."""


class Model(enum.StrEnum):
    """The item response model of a calibration."""

    ONE_PL = "1pl"  # a = 1 for every item, the population SD estimated
    TWO_PL = "2pl"
    THREE_PL = "3pl"  # guessing estimated with a Beta prior


class ScaleSource(enum.StrEnum):
    ANCHORS = "anchors"
    SAMPLE = "sample"
    LINKING = "linking"


@dataclass(frozen=True)
class Scale:
    """What fixed the ability scale of one calibration, and the population on it."""

    set_by: ScaleSource
    anchors: int
    population_mean: float
    population_sd: float
    linking: Linking | None = None

    @property
    def note(self) -> str:
        """One paragraph for the output: what the scale is and what it does to the cuts."""
        if self.set_by is ScaleSource.ANCHORS:
            return (
                f"scale fixed by {self.anchors} anchor items: the learners' ability is "
                f"estimated as N({self.population_mean:+.2f}, {self.population_sd:.2f}^2) on "
                "the anchors' scale, so the cut scores keep their meaning"
            )
        if self.set_by is ScaleSource.LINKING and self.linking is not None:
            return (
                f"linked to the previous calibration through {self.linking.common_items} "
                f"common items (Stocking-Lord: theta_old = {self.linking.slope:.3f} theta_new "
                f"{self.linking.intercept:+.3f}), so the cut scores keep their meaning"
            )
        return (
            f"the scale is set by this sample ({self.anchors} anchors answered, "
            f"{MIN_ANCHORS} needed): theta = 0 is these learners' average and 1 their SD, "
            "not the authors' scale, so a cut score of 0 now means 'above the average of "
            "this sample' (for a beginner-heavy sample, an easier bar than intended); "
            "mark anchors to keep the scale (irt: {..., anchor: true} in the bank, or "
            "--anchors PARAMS.csv)"
        )

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"set_by": str(self.set_by), "anchors": self.anchors}
        if self.linking is not None:
            result["linking"] = {
                "slope": self.linking.slope,
                "intercept": self.linking.intercept,
                "common_items": self.linking.common_items,
            }
        result["note"] = self.note
        return result


@dataclass(frozen=True)
class ItemDiagnostics:
    """An item's estimate, its precision, fit and flags, as plain values."""

    item_id: str
    a: float
    b: float
    c: float
    se_a: float
    se_b: float
    se_c: float
    responses: int
    anchor: bool
    proportion_correct: float | None
    infit: float | None
    outfit: float | None
    infit_t: float | None
    outfit_t: float | None
    ability_correlation: float | None
    flags: tuple[ItemFlag, ...]

    def as_dict(self) -> dict[str, Any]:
        """The item as in ``calibrate --json`` (issue #9's shape)."""
        return {
            "id": self.item_id,
            "a": self.a,
            "b": self.b,
            "c": self.c,
            "se_a": self.se_a,
            "se_b": self.se_b,
            "se_c": self.se_c,
            "n": self.responses,
            "anchor": self.anchor,
            "fit": {
                "proportion_correct": self.proportion_correct,
                "infit": self.infit,
                "outfit": self.outfit,
                "infit_t": self.infit_t,
                "outfit_t": self.outfit_t,
                "ability_correlation": self.ability_correlation,
            },
            "flags": [str(flag) for flag in self.flags],
        }


@dataclass(frozen=True)
class MatrixCalibration:
    """The outcome of `calibrate_matrix`: items in input order, scale, convergence."""

    items: tuple[ItemDiagnostics, ...]
    scale: Scale
    log_likelihood: float
    iterations: int
    converged: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": [item.as_dict() for item in self.items],
            "population": {"mean": self.scale.population_mean, "sd": self.scale.population_sd},
            "scale": self.scale.as_dict(),
            "loglik": self.log_likelihood,
            "iterations": self.iterations,
            "converged": self.converged,
        }


@dataclass(frozen=True, eq=False)
class CalibrationProblem:
    """One matrix to calibrate: who answered what, and what each item's role is.

    Columns that are neither ``anchor`` nor ``estimate`` are left out.
    ``link_to`` holds earlier parameters (NaN where none) to link a calibration
    without anchors back to (``refit``). With the 3PL, guessing is estimated for
    every estimated item of a response file (``prior_c`` None) and, for the
    bank, for the items whose authored guessing is above 0 (single choice,
    true/false), with a Beta prior centred at `GUESSING_PRIOR_SHARE` of it.
    """

    item_ids: tuple[str, ...]
    responses: FloatArray
    a: FloatArray
    b: FloatArray
    c: FloatArray
    anchor: BoolArray
    estimate: BoolArray
    model: Model
    prior_b: FloatArray | None = None
    prior_c: FloatArray | None = None  # the authors' guessing; None: a response file
    prior_log_a_sd: float = DEFAULT_PRIOR_LOG_A_SD
    prior_b_sd: float = DEFAULT_PRIOR_B_SD
    link_to: tuple[FloatArray, FloatArray, FloatArray] | None = None


def calibrate_matrix(problem: CalibrationProblem) -> MatrixCalibration:
    """Calibrate the estimated items against the anchors; pure (no I/O).

    The items of the result are the anchors and estimated items, in input order.
    """
    used = problem.anchor | problem.estimate
    columns = np.flatnonzero(used)
    x = problem.responses[:, columns]
    anchors = problem.anchor[columns]
    answered_anchors = int(np.sum(anchors & (np.sum(~np.isnan(x), axis=0) > 0)))
    anchored = answered_anchors >= MIN_ANCHORS
    one_pl = problem.model is Model.ONE_PL
    population = Population(estimate_mean=anchored, estimate_sd=anchored or one_pl)
    estimate_c, prior_c = _guessing(problem, columns, anchors)
    result = calibrate_items(
        x,
        np.where(anchors | (not one_pl), problem.a[columns], 1.0),
        problem.b[columns],
        problem.c[columns],
        prior_b=None if problem.prior_b is None else problem.prior_b[columns],
        prior_log_a_sd=problem.prior_log_a_sd,
        prior_b_sd=problem.prior_b_sd,
        estimate_a=np.full(columns.size, not one_pl),
        estimate_c=estimate_c,
        prior_c=prior_c,
        prior_c_weight=GUESSING_PRIOR_WEIGHT,
        fixed=anchors,
        population=population,
    )
    scale = Scale(
        ScaleSource.ANCHORS if anchored else ScaleSource.SAMPLE,
        answered_anchors,
        result.population_mean,
        result.population_sd,
    )
    a, b, se_a, se_b = result.a, result.b, result.se_a, result.se_b
    if not anchored and problem.link_to is not None:
        linked = _link(problem, columns, result)
        if linked is not None:
            linking, a, b, se_a, se_b = linked
            scale = Scale(
                ScaleSource.LINKING,
                answered_anchors,
                linking.slope * result.population_mean + linking.intercept,
                linking.slope * result.population_sd,
                linking,
            )
    fit = item_fit(x, a, b, result.c, mean=scale.population_mean, sd=scale.population_sd)
    flags = item_flags(fit, a, estimated=result.estimated)
    items = tuple(
        _diagnostics(problem.item_ids[column], index, a, b, se_a, se_b, result, fit, flags)
        for index, column in enumerate(columns)
    )
    return MatrixCalibration(
        items, scale, result.log_likelihood, result.iterations, result.converged
    )


def _guessing(
    problem: CalibrationProblem, columns: npt.NDArray[np.intp], anchors: BoolArray
) -> tuple[BoolArray, FloatArray]:
    """Which items' guessing is estimated, and the mean of each one's Beta prior."""
    if problem.model is not Model.THREE_PL:
        return np.zeros(columns.size, dtype=bool), np.full(columns.size, FILE_GUESSING_PRIOR)
    if problem.prior_c is None:
        return ~anchors, np.full(columns.size, FILE_GUESSING_PRIOR)
    authored = problem.prior_c[columns]
    estimate = ~anchors & (authored > 0.0)
    return estimate, np.where(estimate, GUESSING_PRIOR_SHARE * authored, FILE_GUESSING_PRIOR)


def _link(
    problem: CalibrationProblem, columns: npt.NDArray[np.intp], result: CalibrationResult
) -> tuple[Linking, FloatArray, FloatArray, FloatArray, FloatArray] | None:
    """Stocking-Lord linking of a sample-scaled calibration to earlier parameters."""
    assert problem.link_to is not None
    old_a, old_b, old_c = (values[columns] for values in problem.link_to)
    common = np.isfinite(old_b) & result.estimated & (result.n_responses > 0)
    if common.sum() < 2:
        return None
    linking = stocking_lord(
        old_a[common], old_b[common], old_c[common],
        result.a[common], result.b[common], result.c[common],
    )  # fmt: skip
    moved = apply_linking(linking, result.a, result.b, result.se_a, result.se_b)
    estimated = result.estimated
    a = np.where(estimated, moved.a, result.a)
    b = np.where(estimated, moved.b, result.b)
    return linking, a, b, np.where(estimated, moved.se_a, 0.0), np.where(estimated, moved.se_b, 0)


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _diagnostics(
    item_id: str,
    index: int,
    a: FloatArray,
    b: FloatArray,
    se_a: FloatArray,
    se_b: FloatArray,
    result: CalibrationResult,
    fit: ItemFit,
    flags: tuple[tuple[ItemFlag, ...], ...],
) -> ItemDiagnostics:
    return ItemDiagnostics(
        item_id=item_id,
        a=float(a[index]),
        b=float(b[index]),
        c=float(result.c[index]),
        se_a=float(se_a[index]),
        se_b=float(se_b[index]),
        se_c=float(result.se_c[index]),
        responses=int(result.n_responses[index]),
        anchor=not bool(result.estimated[index]),
        proportion_correct=_finite_or_none(fit.proportion_correct[index]),
        infit=_finite_or_none(fit.infit[index]),
        outfit=_finite_or_none(fit.outfit[index]),
        infit_t=_finite_or_none(fit.infit_t[index]),
        outfit_t=_finite_or_none(fit.outfit_t[index]),
        ability_correlation=_finite_or_none(fit.ability_correlation[index]),
        flags=flags[index],
    )


# -- a response file ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnchorParameters:
    a: float
    b: float
    c: float


def calibrate_responses(
    item_ids: Sequence[str],
    responses: FloatArray,
    model: Model,
    anchors: Mapping[str, AnchorParameters] | None = None,
) -> MatrixCalibration:
    """Calibrate a response file: every item estimated except the given anchors.

    The 1PL and 2PL are plain marginal maximum likelihood (no item priors, as
    in mirt and ltm); the 3PL puts a lognormal prior on ``a`` and a Beta prior
    with mean `FILE_GUESSING_PRIOR` on ``c``. Anchors not in the file are ignored.
    """
    known = anchors or {}
    ids = tuple(item_ids)
    anchor = np.array([item_id in known for item_id in ids], dtype=bool)
    a = np.array([known[i].a if i in known else 1.0 for i in ids])
    b = np.array([known[i].b if i in known else 0.0 for i in ids])
    c = np.array([known[i].c if i in known else 0.0 for i in ids])
    three_pl = model is Model.THREE_PL
    if three_pl:
        c = np.where(anchor, c, FILE_GUESSING_PRIOR)
    return calibrate_matrix(
        CalibrationProblem(
            ids,
            np.asarray(responses, dtype=np.float64),
            a,
            b,
            c,
            anchor,
            ~anchor,
            model,
            prior_log_a_sd=DEFAULT_PRIOR_LOG_A_SD if three_pl else math.inf,
            prior_b_sd=math.inf,
        )
    )


@dataclass(frozen=True)
class BankItem:
    """What a bank says about an item, for calibrating a response file against it."""

    item_id: str
    area: str
    a: float
    b: float
    c: float
    source: ParameterSource


def load_bank_items(path: Path) -> tuple[tuple[BankItem, ...], tuple[str, ...]]:
    """The bank's items as `BankItem` values, or every problem of the bank as text."""
    from engine.bank import load_bank

    loaded = load_bank(path)
    if loaded.bank is None:
        return (), tuple(str(error) for error in loaded.errors)
    return (
        tuple(
            BankItem(item.id, item.area, item.a, item.b, item.c, _source(item.parameter_source))
            for item in loaded.bank.items
        ),
        (),
    )


def shipped_parameter_rows(
    items: Sequence[BankItem], area: str, outcome: MatrixCalibration
) -> list[ItemDiagnostics | BankItem]:
    """What an area's ``parameters.csv`` holds after a calibration: the items shipped
    before (unless re-estimated) and the newly estimated ones, by item id."""
    estimated = {item.item_id: item for item in outcome.items if not item.anchor}
    rows: dict[str, ItemDiagnostics | BankItem] = {
        item.item_id: item
        for item in items
        if item.area == area and item.source is ParameterSource.SHIPPED
    }
    rows.update(estimated)
    return [rows[item_id] for item_id in sorted(rows)]


def calibrate_bank_responses(
    items: Sequence[BankItem],
    item_ids: Sequence[str],
    responses: FloatArray,
    *,
    anchors: Mapping[str, AnchorParameters] | None = None,
    min_responses: int = DEFAULT_MIN_RESPONSES,
) -> dict[str, MatrixCalibration]:
    """Calibrate pooled answers to a bank's items, one area (one ability) at a time.

    As `calibrate` does for the database: the bank's anchors and shipped
    parameters (and ``anchors``) are held fixed, items with at least
    ``min_responses`` answers are estimated (3PL where the authors' guessing is
    above 0, with the Beta prior below it; 2PL otherwise), the rest are left out.
    """
    extra = anchors or {}
    by_id = {item.item_id: item for item in items}
    counts = np.sum(~np.isnan(responses), axis=0)
    results: dict[str, MatrixCalibration] = {}
    for area in dict.fromkeys(item.area for item in items):
        columns = [j for j, item_id in enumerate(item_ids) if by_id[item_id].area == area]
        if not columns:
            continue
        area_items = [by_id[item_ids[j]] for j in columns]
        fixed = np.array(
            [item.source.from_data or item.item_id in extra for item in area_items], dtype=bool
        )
        enough = counts[columns] >= min_responses
        if not (enough & ~fixed).any():
            continue

        def value(item: BankItem, name: str) -> float:
            given = extra.get(item.item_id)
            return float(getattr(given if given is not None else item, name))

        results[area] = calibrate_matrix(
            CalibrationProblem(
                tuple(item.item_id for item in area_items),
                responses[:, columns],
                np.array([value(item, "a") for item in area_items]),
                np.array([value(item, "b") for item in area_items]),
                np.array([value(item, "c") for item in area_items]),
                fixed,
                ~fixed & enough,
                Model.THREE_PL,
                prior_b=np.array([item.b for item in area_items]),
                prior_c=np.array([item.c for item in area_items]),
            )
        )
    return results


# -- the stored answers ---------------------------------------------------------------------


@dataclass(frozen=True)
class ItemCalibration:
    """One item's parameters before and after calibration."""

    item_id: str
    responses: int
    retired: bool
    old_a: float
    old_b: float
    old_c: float
    old_source: str
    new_a: float
    new_b: float
    new_c: float
    se_a: float
    se_b: float
    se_c: float
    flags: tuple[ItemFlag, ...] = ()

    @property
    def changed(self) -> bool:
        return (
            self.old_source != ParameterSource.CALIBRATION
            or abs(self.new_a - self.old_a) >= CHANGE_THRESHOLD
            or abs(self.new_b - self.old_b) >= CHANGE_THRESHOLD
            or abs(self.new_c - self.old_c) >= CHANGE_THRESHOLD
        )


@dataclass(frozen=True)
class KeptItem:
    """An item left as it was: too few responses (a pretest item), or an anchor."""

    item_id: str
    responses: int
    anchor: bool = False


@dataclass(frozen=True)
class AreaCalibration:
    area: str
    sessions: int
    responses: int
    calibrated: tuple[ItemCalibration, ...]
    kept: tuple[KeptItem, ...]
    iterations: int
    converged: bool
    scale: Scale | None = None
    diagnostics: tuple[ItemDiagnostics, ...] = ()


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
                    "population": None
                    if area.scale is None
                    else {"mean": area.scale.population_mean, "sd": area.scale.population_sd},
                    "scale": None if area.scale is None else area.scale.as_dict(),
                    "calibrated": [
                        {
                            **asdict(item),
                            "flags": [str(flag) for flag in item.flags],
                            "changed": item.changed,
                        }
                        for item in area.calibrated
                    ],
                    "kept": [asdict(item) for item in area.kept],
                    "items": [item.as_dict() for item in area.diagnostics],
                }
                for area in self.areas
            ],
        }


def calibrate(
    database: Database,
    *,
    min_responses: int = DEFAULT_MIN_RESPONSES,
    dry_run: bool = False,
    refit: bool = False,
) -> CalibrationReport:
    """Calibrate every non-anchor item with at least ``min_responses`` responses.

    Reads in one short transaction, estimates without holding any lock, then
    writes every new parameter set, each area's scale and the items'
    diagnostics in one transaction (all or nothing). Items whose estimates did
    not move (already calibrated on the same answers) are not written again.
    ``refit`` re-estimates earlier calibrations too (anchors marked in the bank
    and shipped parameters stay fixed) and, without enough of those, links the
    new estimates back to the earlier ones' scale.

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
    areas = tuple(_calibrate_area(area, min_responses, refit) for area in gathered)
    set_ids = {item.id: item.parameter_set_id for data in gathered for item in data.items}
    updates = [
        calibration_store.NewParameters(
            item.item_id, set_ids[item.item_id], item.new_a, item.new_b, item.new_c
        )
        for area in areas
        for item in area.calibrated
        if item.changed
    ]
    written = 0
    if dry_run or not any(area.calibrated for area in areas):
        return CalibrationReport(min_responses, dry_run, areas, 0)
    try:
        with database.unit_of_work() as session:
            new_ids = calibration_store.write_parameters(session, updates)
            written = len(new_ids)
            current = dict(set_ids)
            current.update(
                {update.item_id: set_id for update, set_id in zip(updates, new_ids, strict=True)}
            )
            _store_scales_and_diagnostics(session, areas, current)
    except calibration_store.ParametersChangedError as error:
        raise CalibrationError(
            f"{error}: the bank was re-imported while calibrating; nothing was written, "
            "run calibrate again"
        ) from error
    return CalibrationReport(min_responses, dry_run, areas, written)


def _store_scales_and_diagnostics(
    session: Session, areas: Sequence[AreaCalibration], set_ids: Mapping[str, int]
) -> None:
    for area in areas:
        if area.scale is None or not area.calibrated:
            continue
        calibration_store.write_scale(
            session,
            calibration_store.ScaleRecord(
                area.area,
                area.scale.population_mean,
                area.scale.population_sd,
                str(area.scale.set_by),
                area.scale.anchors,
                area.sessions,
            ),
        )
        calibration_store.write_diagnostics(
            session,
            [
                calibration_store.DiagnosticRecord(
                    item.item_id,
                    set_ids[item.item_id],
                    item.responses,
                    item.se_a,
                    item.se_b,
                    item.se_c,
                    item.proportion_correct,
                    item.infit,
                    item.outfit,
                    item.ability_correlation,
                    tuple(str(flag) for flag in item.flags),
                )
                for item in area.diagnostics
            ],
        )


def _source(text: str) -> ParameterSource:
    """A stored source; one this version does not know is treated as an author's guess."""
    try:
        return ParameterSource(text)
    except ValueError:
        return ParameterSource.IRT


def _calibrate_area(
    data: calibration_store.AreaResponses, min_responses: int, refit: bool
) -> AreaCalibration:
    counts = data.response_counts
    sources = [_source(item.source) for item in data.items]
    earlier = np.array([source is ParameterSource.CALIBRATION for source in sources])
    from_data = np.array([source.from_data for source in sources], dtype=bool)
    anchor = from_data & ~(earlier & refit)
    estimate = ~anchor & (counts >= min_responses)
    kept = tuple(
        KeptItem(item.id, int(count), bool(is_anchor))
        for item, count, is_anchor, estimated in zip(
            data.items, counts, anchor, estimate, strict=True
        )
        if not estimated
    )
    sessions, responses = int(data.responses.shape[0]), int(counts.sum())
    if not estimate.any():
        return AreaCalibration(data.area, sessions, responses, (), kept, 0, True)
    link_to = None
    if refit and earlier.any():
        nan = np.full(len(data.items), np.nan)
        link_to = (
            np.where(earlier, [item.a for item in data.items], nan),
            np.where(earlier, [item.b for item in data.items], nan),
            np.where(earlier, [item.c for item in data.items], nan),
        )
    outcome = calibrate_matrix(
        CalibrationProblem(
            tuple(item.id for item in data.items),
            np.asarray(data.responses, dtype=np.float64),
            np.array([item.a for item in data.items]),
            np.array([item.b for item in data.items]),
            np.array([item.c for item in data.items]),
            anchor,
            estimate,
            Model.THREE_PL,
            prior_b=np.array([item.prior_b for item in data.items]),
            prior_c=np.array([item.prior_c for item in data.items]),
            link_to=link_to,
        )
    )
    by_id = {item.id: item for item in data.items}
    calibrated = tuple(
        ItemCalibration(
            item_id=estimate_.item_id,
            responses=estimate_.responses,
            retired=by_id[estimate_.item_id].retired,
            old_a=by_id[estimate_.item_id].a,
            old_b=by_id[estimate_.item_id].b,
            old_c=by_id[estimate_.item_id].c,
            old_source=by_id[estimate_.item_id].source,
            new_a=estimate_.a,
            new_b=estimate_.b,
            new_c=estimate_.c,
            se_a=estimate_.se_a,
            se_b=estimate_.se_b,
            se_c=estimate_.se_c,
            flags=estimate_.flags,
        )
        for estimate_ in outcome.items
        if not estimate_.anchor
    )
    return AreaCalibration(
        data.area,
        sessions,
        responses,
        calibrated,
        kept,
        outcome.iterations,
        outcome.converged,
        outcome.scale,
        outcome.items,
    )


# -- reading back -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredDiagnostics:
    """An item's diagnostics from the latest calibration (for the bank browser)."""

    item_id: str
    responses: int
    se_a: float
    se_b: float
    se_c: float
    proportion_correct: float | None
    infit: float | None
    outfit: float | None
    ability_correlation: float | None
    flags: tuple[ItemFlag, ...]
    calibrated_at: dt.datetime | None


def item_diagnostics(database: Database) -> dict[str, StoredDiagnostics]:
    """Every calibrated item's latest diagnostics, by item id (empty before any calibration)."""
    with database.reader() as session:
        records = calibration_store.diagnostics(session)
    known = {str(flag) for flag in ItemFlag}
    return {
        record.item_id: StoredDiagnostics(
            record.item_id,
            record.responses,
            record.se_a,
            record.se_b,
            record.se_c,
            record.proportion_correct,
            record.infit,
            record.outfit,
            record.ability_correlation,
            tuple(ItemFlag(flag) for flag in record.flags if flag in known),
            record.calibrated_at,
        )
        for record in records
    }


def area_scales(database: Database) -> dict[str, Scale]:
    """Each calibrated area's latest scale (population mean and SD, and what fixed it)."""
    with database.reader() as session:
        records = calibration_store.latest_scales(session)
    return {
        area: Scale(ScaleSource(r.set_by), r.anchors, r.population_mean, r.population_sd)
        for area, r in records.items()
    }


# -- export -------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ExportedResponses:
    """Rows of first answers, ready to write in the response-file layout."""

    people: tuple[str, ...]
    item_ids: tuple[str, ...]
    responses: FloatArray


def export_responses(
    database: Database,
    *,
    area: str | None = None,
    since: dt.datetime | None = None,
    anonymous: bool = False,
) -> ExportedResponses:
    """Every learner's first answer to every item, names replaced by stable ids if asked.

    Raises
    ------
    CalibrationError
        When ``area`` is not an area of the stored bank.
    """
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    with database.reader() as session:
        areas = calibration_store.area_ids(session)
        if area is not None and area not in areas:
            known = ", ".join(areas) or "none: import a bank first"
            raise CalibrationError(f"unknown area {area!r} (areas: {known})")
        answers = calibration_store.first_answers(session, area=area, since=since)
    people = answers.anonymous_ids if anonymous else answers.learners
    return ExportedResponses(people, answers.item_ids, answers.responses)


__all__ = [
    "DEFAULT_MIN_RESPONSES",
    "AnchorParameters",
    "AreaCalibration",
    "BankItem",
    "CalibrationError",
    "CalibrationProblem",
    "CalibrationReport",
    "ExportedResponses",
    "ItemCalibration",
    "ItemDiagnostics",
    "KeptItem",
    "MatrixCalibration",
    "Model",
    "Scale",
    "ScaleSource",
    "StoredDiagnostics",
    "area_scales",
    "calibrate",
    "calibrate_bank_responses",
    "calibrate_matrix",
    "calibrate_responses",
    "export_responses",
    "item_diagnostics",
    "load_bank_items",
    "shipped_parameter_rows",
]
