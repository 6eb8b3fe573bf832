"""The score and simulate commands: output, JSON, and one clear message per input problem."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.cli.main import main
from engine.irt import estimate_ability

ITEMS = "id,a,b,c\ni1,1.0,-1.0,0\ni2,1.5,0.0,0.2\ni3,0.8,1.0,0.1\n"
RESPONSES = "person,i1,i2,i3\nann,1,0,1\nbob,1,1,\ncat,,,\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "items.csv", ITEMS), write(tmp_path, "responses.csv", RESPONSES)


@pytest.mark.parametrize("method", ["eap", "map", "ml", "wle"])
def test_score_json_matches_the_library(
    inputs: tuple[Path, Path], capsys: pytest.CaptureFixture[str], method: str
) -> None:
    items, responses = inputs
    assert main(["score", "--items", str(items), "--responses", str(responses),
                 "--method", method, "--json"]) == 0  # fmt: skip
    results = json.loads(capsys.readouterr().out)["results"]
    assert [row["person"] for row in results] == ["ann", "bob", "cat"]
    expected = estimate_ability(
        [1.0, 1.5, 0.8], [-1.0, 0.0, 1.0], [0.0, 0.2, 0.1], [1, 0, 1], method
    )
    assert results[0]["theta"] == pytest.approx(expected.theta)
    assert results[0]["se"] == pytest.approx(expected.se)
    assert [row["answered"] for row in results] == [3, 2, 0]


def test_score_table_and_rows_without_person_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = write(tmp_path, "items.csv", "id,a,b\nx,1,0\ny,1,1\n")  # c is optional
    responses = write(tmp_path, "r.csv", "y,x\n1,0\n0,\n")
    assert main(["score", "--items", str(items), "--responses", str(responses)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["person", "theta", "se", "answered"]
    assert lines[1].split()[0] == "1" and lines[2].split()[0] == "2"
    assert lines[2].split()[-1] == "1"


def test_score_reports_every_problem_with_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = write(
        tmp_path,
        "items.csv",
        "id,a,b,c\nq1,0,0,0\nq2,-1,x,1.5\nq1,1,0,-0.1\nq4,1,nan,0\nq5,1\n",
    )
    responses = write(tmp_path, "resp.csv", "id,q1,zz,q2\np1,1,0,2\np2,1,0\np3,yes,,1\n")
    code = main(["score", "--items", str(items), "--responses", str(responses)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    expected = [
        f"{items}:2:2: discrimination a must be > 0, got 0",
        f"{items}:3:2: discrimination a must be > 0, got -1",
        f"{items}:3:3: b must be a number, got 'x'",
        f"{items}:3:4: guessing c must be in [0, 1), got 1.5",
        f"{items}:4:1: duplicate item id 'q1' (first on row 2)",
        f"{items}:4:4: guessing c must be in [0, 1), got -0.1",
        f"{items}:5:3: b must be finite, got 'nan'",
        f"{items}:6:1: expected 4 fields like the header, got 2",
        f"{responses}:1:3: item 'zz' is not in the items file",
        f"{responses}:2:4: expected 0, 1 or empty, got '2'",
        f"{responses}:3:1: expected 4 fields like the header, got 3",
        f"{responses}:4:2: expected 0, 1 or empty, got 'yes'",
    ]
    assert out == expected


def test_score_missing_column_and_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = write(tmp_path, "items.csv", "id,a,c\nq1,1,0\n")
    missing = tmp_path / "nowhere.csv"
    assert main(["score", "--items", str(items), "--responses", str(missing)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{items}:1:4: missing column 'b' (expected a header with id,a,b and optionally c)"
    )
    assert out[1].startswith(f"{missing}:1:1: cannot read the file: No such file")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    assert main(["score", "--items", str(binary), "--responses", str(missing)]) == 1
    assert f"{binary}:1:1: cannot read the file" in capsys.readouterr().out


def test_score_empty_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = write(tmp_path, "empty.csv", "")
    items = write(tmp_path, "items.csv", ITEMS)
    assert main(["score", "--items", str(items), "--responses", str(empty)]) == 1
    assert capsys.readouterr().out.strip() == (
        f"{empty}:1:1: the file is empty; expected a header of item ids"
    )


def test_score_rejects_bad_prior(
    inputs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    items, responses = inputs
    args = ["score", "--items", str(items), "--responses", str(responses), "--prior-sd", "0"]
    assert main(args) == 1
    assert "--prior-sd" in capsys.readouterr().out


def _bank_csv(tmp_path: Path, n: int = 120) -> Path:
    rng = np.random.default_rng(0)
    rows = [
        f"q{i},{rng.uniform(0.8, 2):.3f},{rng.uniform(-3, 3):.3f},{rng.uniform(0, 0.2):.3f}"
        for i in range(n)
    ]
    return write(tmp_path, "bank.csv", "id,a,b,c\n" + "\n".join(rows) + "\n")


def test_simulate_json_has_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = _bank_csv(tmp_path)
    args = ["simulate", "--items", str(bank), "--examinees", "60", "--length", "8", "--json"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    keys = {"rmse", "bias", "mean_length", "mean_se", "coverage_95", "max_exposure", "overlap"}
    assert keys <= set(summary)
    assert keys <= set(summary["random"]) and keys <= set(summary["oracle"])
    assert summary["mean_length"] == summary["oracle"]["mean_length"] == 8
    assert "classification_accuracy" not in summary


def test_simulate_classification_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = _bank_csv(tmp_path)
    args = ["simulate", "--items", str(bank), "--examinees", "60", "--classify", "--cut", "0.5",
            "--max-items", "15", "--json", "--seed", "3"]  # fmt: skip
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    for block in (summary, summary["random"], summary["oracle"]):
        assert 0 <= block["classification_accuracy"] <= 1
        assert 0 <= block["calibration_error"] <= 1
    assert summary["mean_length"] <= 15


def test_simulate_se_text_output_is_reproducible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = _bank_csv(tmp_path)
    args = ["simulate", "--items", str(bank), "--examinees", "30", "--se", "0.5",
            "--max-items", "20", "--selection", "random", "--seed", "4"]  # fmt: skip
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    assert "coverage_95" in first and "oracle" in first


def test_simulate_bank_reports_each_area(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "quizzes"
    areas = []
    for area, topic in (("alpha", "one"), ("beta", "two")):
        areas.append(
            f"  - id: {area}\n    title: {area.title()}\n    description: Area {area}.\n"
            "    cut_scores: {developing: -1.0, job_ready: 0.0, strong: 1.2}\n"
            f"    topics:\n      - id: {topic}\n        title: {topic.title()}\n"
            f"        description: Topic {topic}.\n"
        )
        (root / area).mkdir(parents=True)
        items = [
            f"- id: {topic}-{i:03d}\n  type: text\n  irt: {{a: 1.2, b: {-2 + i / 3:.2f}, c: 0.0}}\n"
            f'  prompt: Question {i}?\n  accept: ["answer {i}"]\n  explanation: Because.\n'
            for i in range(12)
        ]
        (root / area / f"{topic}.yaml").write_text("\n".join(items))
    (root / "areas.yaml").write_text("areas:\n" + "".join(areas))
    args = ["simulate", "--bank", str(root), "--examinees", "20", "--classify", "--json"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary["areas"]) == {"alpha", "beta"}
    assert summary["settings"]["stopping"]["cut_scores"] == {"alpha": 0.0, "beta": 0.0}
    assert summary["mean_length"] == pytest.approx(
        summary["areas"]["alpha"]["mean_length"] + summary["areas"]["beta"]["mean_length"]
    )


def test_simulate_bank_errors_are_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["simulate", "--bank", str(tmp_path), "--examinees", "5", "--length", "3"]
    assert main(args) == 1
    assert "areas.yaml" in capsys.readouterr().out


def test_simulate_bad_items_and_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.csv", "id,a,b,c\nq1,0,0,0\n")
    assert main(["simulate", "--items", str(bad), "--examinees", "5", "--length", "3"]) == 1
    assert capsys.readouterr().out.strip() == f"{bad}:2:2: discrimination a must be > 0, got 0"
    good = _bank_csv(tmp_path)
    assert main(["simulate", "--items", str(good), "--examinees", "0", "--length", "0"]) == 1
    out = capsys.readouterr().out
    assert "--examinees must be at least 1" in out and "--length must be at least 1" in out


def test_simulate_preset_uses_the_preset_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = _bank_csv(tmp_path)
    args = ["simulate", "--items", str(bank), "--examinees", "40", "--preset", "quick", "--json"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["settings"]["preset"] == "quick"
    assert summary["settings"]["stopping"]["cut_scores"] == {"all": 0.0}
    assert 4 <= summary["mean_length"] <= 6
    assert "classification_accuracy" in summary
