"""``skillprobe simulate``: level cuts, perturbed truths, pretest items and bank-use figures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.cli.main import main

SELECTION_KEYS = {
    "share_of_items_given",
    "items_reaching_30_answers",
    "unscored_per_quiz",
    "mean_item_difficulty_slope",
}


def _items_csv(folder: Path, n: int = 60) -> Path:
    rng = np.random.default_rng(0)
    rows = [f"q{i},{rng.uniform(0.8, 2.0):.3f},{rng.uniform(-2.5, 2.5):.3f},0.1" for i in range(n)]
    path = folder / "items.csv"
    path.write_text("id,a,b,c\n" + "\n".join(rows) + "\n")
    return path


def _bank_folder(folder: Path) -> Path:
    root = folder / "quizzes"
    areas = []
    for area in ("alpha", "beta"):
        topics = ""
        (root / area).mkdir(parents=True)
        for topic in ("one", "two"):
            topics += (
                f"      - id: {area}-{topic}\n        title: {topic.title()}\n"
                f"        description: Topic {topic}.\n"
            )
            items = [
                f"- id: {area}-{topic}-{i:03d}\n  type: text\n"
                f"  irt: {{a: 1.0, b: {-2 + i / 4:.2f}, c: 0.0}}\n"
                f'  prompt: Question {i}?\n  accept: ["answer {i}"]\n  explanation: Because.\n'
                for i in range(17)
            ]
            (root / area / f"{area}-{topic}.yaml").write_text("\n".join(items))
        areas.append(
            f"  - id: {area}\n    title: {area.title()}\n    description: Area {area}.\n"
            "    cut_scores: {developing: -1.0, job_ready: 0.0, strong: 1.2}\n"
            f"    topics:\n{topics}"
        )
    (root / "areas.yaml").write_text("areas:\n" + "".join(areas))
    return root


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["simulate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_bank_use_figures_for_every_arm_and_area(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _bank_folder(tmp_path)
    summary = _run(capsys, "--bank", str(root), "--examinees", "40", "--preset", "standard")
    for block in (summary, summary["random"], summary["oracle"], summary["areas"]["alpha"]):
        assert set(block) >= SELECTION_KEYS
    # Every level cut of areas.yaml is known to the plan.
    assert summary["settings"]["stopping"]["level_cuts"] == {
        "alpha": [-1.0, 0.0, 1.2],
        "beta": [-1.0, 0.0, 1.2],
    }
    assert summary["settings"]["stopping"]["cut_scores"] == {"alpha": 0.0, "beta": 0.0}
    assert 0 < summary["share_of_items_given"] <= 1
    assert summary["random"]["share_of_items_given"] > summary["share_of_items_given"] - 0.5
    assert summary["unscored_per_quiz"] == 0.0
    # Items follow the learner in the adaptive arm, not in the random one.
    assert summary["mean_item_difficulty_slope"] > 0.3
    assert abs(summary["random"]["mean_item_difficulty_slope"]) < 0.3


def test_pretest_share_seeds_unscored_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _items_csv(tmp_path)
    summary = _run(
        capsys, "--items", str(items), "--examinees", "30", "--length", "20",
        "--pretest-share", "0.25", "--seed", "2",
    )  # fmt: skip
    assert summary["settings"]["pretest_items"] == 15
    assert summary["pretest_items"] == 15 and "pretest_items" not in summary["oracle"]
    assert 0 <= summary["pretest_items_reaching_30_answers"] <= 15
    assert summary["mean_length"] == 20  # scored items: pretest ones come on top
    assert 1.0 <= summary["unscored_per_quiz"] <= 3.0


def test_perturbed_truths_move_the_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _items_csv(tmp_path)
    base = ["--items", str(items), "--examinees", "150", "--length", "15", "--seed", "4"]
    authored = _run(capsys, *base)
    harder = _run(capsys, *base, "--true-b-shift", "1.0")
    weaker = _run(capsys, *base, "--population-mean", "-1.0")
    noisy = _run(capsys, *base, "--true-b-sd", "0.7", "--true-a-sd", "0.3")
    assert abs(authored["bias"]) < 0.15
    assert harder["bias"] < -0.5  # items harder than the engine thinks: estimates too low
    assert weaker["bias"] > 0.1  # the N(0, 1) prior pulls a weaker population up
    assert noisy["rmse"] > authored["rmse"]
    assert harder["settings"]["truth"]["true_b_shift"] == 1.0


def test_bad_truth_and_pretest_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = _items_csv(tmp_path)
    args = ["simulate", "--items", str(items), "--examinees", "5", "--length", "3",
            "--true-b-sd", "-1", "--true-a-sd", "nan", "--pretest-share", "1",
            "--population-mean", "inf"]  # fmt: skip
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "--true-b-sd must be a number >= 0" in out
    assert "--true-a-sd must be a number >= 0" in out
    assert "--pretest-share must be at least 0 and below 1" in out
    assert "--population-mean must be a finite number" in out
    assert "Traceback" not in out


def test_text_output_lists_the_new_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _items_csv(tmp_path)
    args = ["simulate", "--items", str(items), "--examinees", "20", "--length", "12"]
    assert main([*args, "--pretest-share", "0.2"]) == 0
    out = capsys.readouterr().out
    for key in (*SELECTION_KEYS, "pretest_items_reaching_30_answers"):
        assert key in out
    assert main(args) == 0
    assert "pretest_items" not in capsys.readouterr().out
    line = next(row for row in out.splitlines() if "items_reaching_30_answers" in row)
    assert "." not in line  # a count, printed without decimals
