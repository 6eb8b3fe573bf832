"""What the report would say about simulated learners: level agreement, levels named, weak rate."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.cli.main import main
from engine.irt import ItemBank, StoppingConfig
from engine.irt.report_figures import level_outcomes, report_figures, weak_topic_flags
from engine.irt.simulation import simulate_quiz
from engine.irt.state import AdaptiveTestState, start_test

CUTS = np.array([[-1.0, 0.0, 1.2], [-1.0, 0.0, 1.2]])


def _states(bank: ItemBank, length: int, theta: np.ndarray, seed: int) -> list[AdaptiveTestState]:
    states: list[AdaptiveTestState] = []
    plan = StoppingConfig(length, length).plan()
    simulate_quiz(bank, plan, theta, np.random.default_rng(seed), final_states=states)
    return states


def test_precise_quizzes_name_single_levels_that_hold_the_truth() -> None:
    rng = np.random.default_rng(1)
    n = 300
    bank = ItemBank.from_arrays(
        np.full(2 * n, 3.0),
        np.tile(np.linspace(-3, 3, n), 2),
        np.zeros(2 * n),
        areas=["a"] * n + ["b"] * n,
    )
    theta = rng.normal(0, 1, (80, 2))
    outcomes = level_outcomes(_states(bank, 40, theta, 2), theta, CUTS)
    # SE about 0.1 with 40 items of a = 3: one level nearly always, and calibrated.
    assert outcomes.sizes.mean() < 1.3
    assert outcomes.contains.mean() > 0.85
    assert outcomes.composite_contains.mean() > 0.85


def test_areas_without_enough_answers_name_every_level(two_area_bank: ItemBank) -> None:
    state = start_test(two_area_bank)
    outcomes = level_outcomes([state], np.zeros((1, 2)), CUTS)
    assert outcomes.sizes.tolist() == [[4, 4]]
    assert outcomes.contains.all()


def test_short_quizzes_hedge_and_stay_near_their_promise(two_area_bank: ItemBank) -> None:
    theta = np.random.default_rng(3).normal(0, 1, (200, 2))
    outcomes = level_outcomes(_states(two_area_bank, 6, theta, 4), theta, CUTS)
    # Named runs hold at least 80% of the posterior; with the model true the
    # truth falls inside about that often or more (simulation error allowed).
    assert outcomes.contains.mean() >= 0.78
    assert 1.5 < outcomes.sizes.mean() < 3.5


def test_report_figures_keys_and_no_false_alarms_without_topic_effects(
    two_area_bank: ItemBank,
) -> None:
    theta = np.random.default_rng(5).normal(0, 1, (60, 2))
    states = _states(two_area_bank, 9, theta, 6)
    figures = report_figures(states, theta, CUTS, two_area_bank.area_labels)
    assert set(figures["level_agreement_by_area"]) == {"math", "ml"}
    assert 0.0 <= figures["weak_topic_rate"] <= 0.1
    assert figures["weak_topic_rate"] == pytest.approx(weak_topic_flags(states).mean())


def test_simulate_json_reports_the_report_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(7)
    rows = [f"q{i},{rng.uniform(0.8, 2):.3f},{rng.uniform(-3, 3):.3f},0.1" for i in range(80)]
    bank = tmp_path / "bank.csv"
    bank.write_text("id,a,b,c\n" + "\n".join(rows) + "\n")
    args = ["simulate", "--items", str(bank), "--examinees", "40", "--length", "10", "--json"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    for key in ("level_agreement", "mean_levels_named", "weak_topic_rate"):
        assert 0.0 <= summary[key] <= 4.0
    assert 1.0 <= summary["mean_levels_named"] <= 4.0
    assert 0.0 <= summary["level_agreement"] <= 1.0
    assert main(args[:-1]) == 0
    assert "level_agreement" in capsys.readouterr().out
