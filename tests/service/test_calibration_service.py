"""Calibration through the service: real quizzes in, calibrated parameter sets out.

Simulated learners (`Simulee`) answer whole quizzes through `QuizService`, on
SQLite and PostgreSQL; `calibrate` then replaces the author priors of the items
with enough answers, all in one transaction, and a reloaded `QuizService` uses
the new parameters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from engine.cli.main import main
from engine.db import calibration_store
from engine.db.database import Database
from engine.db.models import ItemParameterSet
from engine.quiz.model import Answer, QuizLength, QuizRequest
from engine.service.bank_service import import_bank
from engine.service.calibration_service import CalibrationError, calibrate
from engine.service.quiz_service import QuizService
from tests.bank.bank_factory import write_bank
from tests.service.simulee import Simulee

MATH_ITEMS = {  # id: authored difficulty (1-5 -> b = -2..2)
    "cal-1": 1,
    "cal-2": 2,
    "cal-3": 3,
    "cal-4": 4,
    "cal-5": 5,
    "cal-hard": 1,  # authored as easy, truly hard (b = +1.5)
}
TRUE_B = {"cal-hard": 1.5}
LEARNERS = 40


def _numeric_item(item_id: str, difficulty: int, prompt: str = "Type the number 7.") -> str:
    return f"""\
- id: {item_id}
  type: numeric
  difficulty: {difficulty}
  prompt: {prompt}
  answer: 7
  explanation: Because it is seven.
"""


def _bank(root: Path, *, hard_prompt: str = "Type the number 7.") -> Path:
    math = "".join(
        _numeric_item(item_id, difficulty, hard_prompt if item_id == "cal-hard" else "Type 7.")
        for item_id, difficulty in MATH_ITEMS.items()
    )
    return write_bank(
        root,
        {
            "math/probability.yaml": math,
            "ml/ml-workflow.yaml": _numeric_item("never-asked", 3),
        },
    )


@pytest.fixture
def bank_root(tmp_path: Path) -> Path:
    return _bank(tmp_path / "bank")


@pytest.fixture
def bank_database(database: Database, bank_root: Path) -> Database:
    outcome = import_bank(database, bank_root)
    assert outcome.summary is not None, outcome.errors
    return database


def _take_quizzes(database: Database, learners: int = LEARNERS) -> QuizService:
    """Every simulee answers all six math items once; answers follow TRUE_B where given."""
    service = QuizService(database)
    truth = tuple(
        dataclasses.replace(item, b=TRUE_B[item.id]) if item.id in TRUE_B else item
        for item in service.bank_items()
    )
    thetas = np.random.default_rng(42).normal(0.0, 1.0, learners)
    for number, theta in enumerate(thetas):
        simulee = Simulee(float(theta), truth, seed=number)
        request = QuizRequest(
            f"learner-{number}",
            ("math",),
            "practice",
            QuizLength(preset=None, length=6),
            seed=number,
        )
        quiz_id = service.start_quiz(request).session_id
        while (question := service.next_question(quiz_id)) is not None:
            service.submit(question, simulee.answer(question), 1000)
    return service


def _parameter_sets(database: Database) -> list[tuple[str, float, float, float, str, bool]]:
    with database.reader() as session:
        rows = session.scalars(select(ItemParameterSet).order_by(ItemParameterSet.id)).all()
        return [(p.item_id, p.a, p.b, p.c, p.source, p.is_current) for p in rows]


def _current(database: Database) -> dict[str, tuple[float, float, float, str]]:
    return {
        item: (a, b, c, source)
        for item, a, b, c, source, current in _parameter_sets(database)
        if current
    }


def test_calibration_replaces_priors_and_the_quiz_service_uses_it(
    bank_database: Database, bank_root: Path
) -> None:
    service = _take_quizzes(bank_database)
    before = _parameter_sets(bank_database)

    preview = calibrate(bank_database, dry_run=True)
    assert preview.dry_run and preview.written == 0
    assert _parameter_sets(bank_database) == before  # a dry run writes nothing
    (math, ml) = preview.areas
    assert (math.area, ml.area) == ("math", "ml")
    assert math.sessions == LEARNERS and math.responses == 6 * LEARNERS
    assert {item.item_id for item in math.calibrated} == set(MATH_ITEMS)
    assert [(kept.item_id, kept.responses) for kept in ml.kept] == [("never-asked", 0)]
    assert math.converged

    report = calibrate(bank_database)
    assert report.written == 6
    current = _current(bank_database)
    by_id = {item.item_id: item for item in report.calibrated}
    for item_id in MATH_ITEMS:
        a, b, c, source = current[item_id]
        assert source == "calibration"
        assert (a, b) == pytest.approx((by_id[item_id].new_a, by_id[item_id].new_b))
        assert c == 0.0  # guessing is kept
        assert 0.0 < by_id[item_id].se_b < 1.0
    assert current["never-asked"][3] == "difficulty"
    hard = by_id["cal-hard"]
    assert (hard.old_b, hard.old_source) == (-2.0, "difficulty")
    assert hard.new_b > 0.0  # the data say it is hard
    assert len(_parameter_sets(bank_database)) == len(before) + 6

    cached = {item.id: item for item in service.bank_items()}
    assert cached["cal-hard"].b == -2.0  # the service caches the bank until told
    service.reload_bank()
    reloaded = {item.id: item for item in service.bank_items()}
    assert reloaded["cal-hard"].b == pytest.approx(hard.new_b)
    assert reloaded["cal-hard"].parameter_source == "calibration"
    quiz_id = service.start_quiz(QuizRequest("late", ("math",), "exam", QuizLength(None, 1), 5))
    question = service.next_question(quiz_id.session_id)
    assert question is not None
    with bank_database.reader() as session:
        current_set = session.scalars(
            select(ItemParameterSet.id).where(
                ItemParameterSet.item_id == question.item_id, ItemParameterSet.is_current
            )
        ).one()
    assert question.parameter_set_id == current_set  # new answers record the new parameters

    again = calibrate(bank_database)
    assert again.written == 0 and not again.changed  # same answers, same estimates

    # An author's edit re-imports the bank without touching calibrated parameters.
    _bank(bank_root, hard_prompt="Type the number seven as digits.")
    summary = import_bank(bank_database, bank_root).summary
    assert summary is not None and summary.changed == 1
    assert _current(bank_database)["cal-hard"][3] == "calibration"


def test_too_little_data_is_a_clear_message_and_exit_0(
    bank_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    report = calibrate(bank_database)
    assert report.nothing_to_calibrate and report.written == 0
    assert main(["calibrate", "--db", bank_database.url]) == 0
    assert "no item has 30 responses yet" in capsys.readouterr().out
    assert all(source == "difficulty" for *_, source in _current(bank_database).values())


def test_the_command_prints_a_report_and_json(
    bank_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _take_quizzes(bank_database, learners=12)
    assert main(["calibrate", "--db", bank_database.url, "--min-responses", "10", "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "math: 6 calibrated, 0 anchors, 0 kept (fewer than 10 responses); 12 sessions" in text
    assert "the scale is set by this sample" in text
    assert "cal-hard" in text and "dry run: nothing written" in text
    assert main(["calibrate", "--db", bank_database.url, "--min-responses", "10", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["written"] == 6 and not document["dry_run"]
    math = next(area for area in document["areas"] if area["area"] == "math")
    assert {item["item_id"] for item in math["calibrated"]} == set(MATH_ITEMS)
    assert {"old_a", "new_a", "se_a", "old_b", "new_b", "se_b"} <= set(math["calibrated"][0])


def test_skipped_answers_count_as_wrong_and_rows_are_sessions(bank_database: Database) -> None:
    service = QuizService(bank_database)
    for number in range(2):
        request = QuizRequest("skipper", ("math",), "practice", QuizLength(None, 3), seed=number)
        quiz_id = service.start_quiz(request).session_id
        while (question := service.next_question(quiz_id)) is not None:
            service.submit(question, Answer.skip(), 100)
    with bank_database.reader() as session:
        math, ml = calibration_store.area_responses(session)
    assert math.responses.shape == (2, 6)  # one row per quiz session, one column per item
    answered = ~np.isnan(math.responses)
    assert answered.sum(axis=1).tolist() == [3, 3]
    assert np.all(math.responses[answered] == 0.0)
    assert ml.responses.shape == (0, 1)


def test_a_bank_changed_meanwhile_writes_nothing(
    bank_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _take_quizzes(bank_database, learners=12)
    before = _parameter_sets(bank_database)
    real = calibration_store.area_responses

    def stale(session):  # what was read: then the bank changes under our feet
        gathered = real(session)
        with bank_database.unit_of_work() as other:
            other.execute(
                ItemParameterSet.__table__.update()
                .where(ItemParameterSet.item_id == "cal-3")
                .values(is_current=False)
            )
            other.add(ItemParameterSet(item_id="cal-3", a=1.0, b=0.5, c=0.0, source="irt"))
        return gathered

    monkeypatch.setattr(calibration_store, "area_responses", stale)
    with pytest.raises(CalibrationError, match="re-imported"):
        calibrate(bank_database, min_responses=5)
    after_change = _parameter_sets(bank_database)
    assert len(after_change) == len(before) + 1  # only the concurrent change
    assert not any(source == "calibration" for *_, source, _ in after_change)


# -- a fixed scale, diagnostics and export ------------------------------------------------------


def _anchored_bank(root: Path) -> Path:
    """Six anchors (known a, b) and two guessed items; the learners average -0.7."""
    anchors = "".join(
        f"""\
- id: anchor-{number}
  type: numeric
  irt: {{a: 1.5, b: {b}, anchor: true}}
  prompt: Type 7.
  answer: 7
  explanation: Seven.
"""
        for number, b in enumerate((-1.5, -1.0, -0.5, 0.0, 0.5, 1.0))
    )
    guessed = "".join(_numeric_item(item_id, 3) for item_id in ("new-easy", "new-hard"))
    return write_bank(root, {"math/probability.yaml": anchors + guessed})


def _answer_all(database: Database, truth_b: dict[str, float], learners: int) -> None:
    service = QuizService(database)
    truth = tuple(
        dataclasses.replace(item, a=1.5, b=truth_b[item.id]) if item.id in truth_b else item
        for item in service.bank_items()
    )
    thetas = np.random.default_rng(8).normal(-0.7, 1.0, learners)
    for number, theta in enumerate(thetas):
        simulee = Simulee(float(theta), truth, seed=number)
        request = QuizRequest(
            f"learner-{number}", ("math",), "exam", QuizLength(None, 8), seed=number
        )
        quiz_id = service.start_quiz(request).session_id
        while (question := service.next_question(quiz_id)) is not None:
            service.submit(question, simulee.answer(question), 1000)


def test_anchors_keep_the_scale_and_diagnostics_are_stored(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from engine.service.calibration_service import (
        ScaleSource,
        area_scales,
        export_responses,
        item_diagnostics,
    )

    assert import_bank(database, _anchored_bank(tmp_path / "bank")).summary is not None
    _answer_all(database, {"new-easy": -1.0, "new-hard": 1.2}, learners=150)
    report = calibrate(database)
    (math,) = (area for area in report.areas if area.area == "math")
    assert math.scale is not None and math.scale.set_by is ScaleSource.ANCHORS
    assert math.scale.population_mean == pytest.approx(-0.7, abs=0.25)
    assert {item.item_id for item in math.calibrated} == {"new-easy", "new-hard"}
    assert sum(item.anchor for item in math.kept) == 6
    by_id = {item.item_id: item for item in math.calibrated}
    assert by_id["new-hard"].new_b > by_id["new-easy"].new_b + 1.0
    current = _current(database)
    assert current["anchor-0"][3] == "anchor"  # anchors are never rewritten
    stored = item_diagnostics(database)
    assert set(stored) == {f"anchor-{n}" for n in range(6)} | {"new-easy", "new-hard"}
    assert stored["new-hard"].responses == 150 and stored["new-hard"].infit is not None
    assert area_scales(database)["math"].set_by is ScaleSource.ANCHORS

    exported = export_responses(database, area="math", anonymous=True)
    assert len(exported.people) == 150 and all(p.startswith("anon-") for p in exported.people)
    assert exported.people == export_responses(database, anonymous=True).people  # stable
    assert np.sum(~np.isnan(exported.responses)) == 150 * 8
    out = tmp_path / "pooled.csv"
    assert main(["responses", "export", "--db", database.url, "--anonymous", "--out",
                 str(out)]) == 0  # fmt: skip
    assert "150 learners, 8 items, 1200 answers" in capsys.readouterr().out
    assert "learner-" not in out.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["responses", "export", "--db", database.url, "--area", "nope", "--out", str(out)])
    assert stopped.value.code == 1
    assert "unknown area 'nope'" in capsys.readouterr().err
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).date().isoformat()
    assert main(["responses", "export", "--db", database.url, "--since", tomorrow, "--out",
                 str(out)]) == 0  # fmt: skip
    assert "0 learners" in capsys.readouterr().out


def test_a_failed_calibration_changes_nothing(
    bank_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault while writing (after some rows went in) rolls the whole transaction back."""
    _take_quizzes(bank_database, learners=12)
    before = _parameter_sets(bank_database)

    def broken(session, records):
        raise RuntimeError("disk full")

    monkeypatch.setattr(calibration_store, "write_diagnostics", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        calibrate(bank_database, min_responses=5)
    assert _parameter_sets(bank_database) == before
    from engine.service.calibration_service import area_scales, item_diagnostics

    assert item_diagnostics(bank_database) == {} and area_scales(bank_database) == {}


def test_refit_links_back_to_the_previous_scale(bank_database: Database) -> None:
    """Recalibrating the same answers from scratch lands where the first calibration did."""
    from engine.service.calibration_service import ScaleSource

    _take_quizzes(bank_database)
    first = calibrate(bank_database)
    (math, _) = first.areas
    assert math.scale is not None and math.scale.set_by is ScaleSource.SAMPLE
    again = calibrate(bank_database, refit=True, dry_run=True)
    (math_again, _) = again.areas
    scale = math_again.scale
    assert scale is not None and scale.set_by is ScaleSource.LINKING
    assert scale.linking is not None and scale.linking.common_items == 6
    assert scale.linking.slope == pytest.approx(1.0, abs=0.02)
    assert scale.linking.intercept == pytest.approx(0.0, abs=0.02)
    before = {item.item_id: item.new_b for item in math.calibrated}
    for item in math_again.calibrated:
        assert item.new_b == pytest.approx(before[item.item_id], abs=0.02)
    assert "Stocking-Lord" in scale.note
