"""`skillprobe calibrate --responses`: response files in, parameters and diagnostics out.

Bad input is reported as ``file:row:column`` with exit status 1 and nothing
written; ``--out`` writes ``id,a,b,c`` that ``score --items`` reads back.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from engine.cli.main import main
from engine.io.csv_tables import read_items_csv, write_responses_csv
from engine.irt.model import probability
from tests.bank.bank_factory import write_bank


def _responses(path: Path, n_items: int = 8, people: int = 600, seed: int = 1) -> Path:
    rng = np.random.default_rng(seed)
    b = np.linspace(-1.5, 1.5, n_items)
    theta = rng.normal(0.0, 1.0, people)
    matrix = (rng.random((people, n_items)) < probability(theta[:, None], 1.2, b)).astype(float)
    write_responses_csv(
        path, [f"p{i}" for i in range(people)], [f"i{j}" for j in range(n_items)], matrix
    )
    return path


def test_json_has_the_documented_shape_and_out_feeds_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    responses = _responses(tmp_path / "r.csv")
    out = tmp_path / "params.csv"
    code = main(["calibrate", "--responses", str(responses), "--model", "2pl", "--json",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) >= {"items", "population", "loglik", "iterations", "converged"}
    item = document["items"][0]
    assert set(item) >= {"id", "a", "b", "c", "se_a", "se_b", "n", "fit", "flags"}
    assert item["n"] == 600 and document["converged"]
    assert document["population"] == {"mean": 0.0, "sd": 1.0}
    assert "set by this sample" in document["scale"]["note"]
    table, problems = read_items_csv(out)
    assert not problems and table is not None and len(table.ids) == 8
    assert main(["score", "--items", str(out), "--responses", str(responses), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == 600


def test_anchors_fix_the_scale_and_1pl_keeps_a_at_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    responses = _responses(tmp_path / "r.csv")
    anchors = tmp_path / "anchors.csv"
    rows = "".join(f"i{j},1.2,{b:.4f},0\n" for j, b in enumerate(np.linspace(-1.5, 1.5, 8)[:5]))
    anchors.write_text("id,a,b,c\n" + rows, encoding="utf-8")
    assert main(["calibrate", "--responses", str(responses), "--anchors", str(anchors),
                 "--json"]) == 0  # fmt: skip
    document = json.loads(capsys.readouterr().out)
    assert document["scale"]["set_by"] == "anchors"
    assert abs(document["population"]["mean"]) < 0.2
    assert sum(item["anchor"] for item in document["items"]) == 5
    assert main(["calibrate", "--responses", str(responses), "--model", "1pl", "--json"]) == 0
    one_pl = json.loads(capsys.readouterr().out)
    assert all(item["a"] == 1.0 for item in one_pl["items"])
    assert one_pl["population"]["sd"] == pytest.approx(1.2, abs=0.2)
    assert main(["calibrate", "--responses", str(responses)]) == 0
    text = capsys.readouterr().out
    assert "converged" in text and "i7" in text and "the scale is set by this sample" in text


def test_bad_response_files_are_reported_at_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "person,q1,q2,q1,q3,\nana,1,0,1,,1\nben,2,1,0,,0\ncy,1,yes,1,,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "never.csv"
    code = main(["calibrate", "--responses", str(bad), "--out", str(out)])
    printed = capsys.readouterr().out.splitlines()
    assert code == 1
    assert f"{bad}:1:4: duplicate column 'q1'" in printed
    assert f"{bad}:1:6: empty column name: give the item id" in printed
    assert f"{bad}:3:2: expected 0, 1 or empty, got '2'" in printed
    assert f"{bad}:4:3: expected 0, 1 or empty, got 'yes'" in printed
    assert not out.exists()
    nobody = tmp_path / "nobody.csv"
    nobody.write_text("q1,q2\n1,\n0,\n", encoding="utf-8")
    assert main(["calibrate", "--responses", str(nobody)]) == 1
    assert f"{nobody}:1:2: nobody answered item 'q2'" in capsys.readouterr().out


def test_unknown_items_against_a_bank_and_anchor_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = write_bank(tmp_path / "bank", {"math/probability.yaml": _numeric("m-1")})
    responses = tmp_path / "r.csv"
    responses.write_text("id,m-1,m-404\nx,1,0\n", encoding="utf-8")
    assert main(["calibrate", "--responses", str(responses), "--bank", str(bank)]) == 1
    assert f"{responses}:1:3: item 'm-404' is not in the bank" in capsys.readouterr().out
    anchors = tmp_path / "a.csv"
    anchors.write_text("id,a,b,c\nm-1,-1,0,0\n", encoding="utf-8")
    assert main(["calibrate", "--responses", str(responses), "--anchors", str(anchors)]) == 1
    assert f"{anchors}:2:2: discrimination a must be > 0" in capsys.readouterr().out


def _numeric(item_id: str, difficulty: int = 3) -> str:
    return f"""\
- id: {item_id}
  type: numeric
  difficulty: {difficulty}
  prompt: Type 7.
  answer: 7
  explanation: Seven.
"""


def test_pooled_answers_write_the_banks_parameters_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The maintainer workflow: pooled files in, <area>/parameters.csv out, loaded back."""
    items = {f"m-{j}": 1 + j % 5 for j in range(10)}
    bank = write_bank(
        tmp_path / "bank",
        {"math/probability.yaml": "".join(_numeric(i, d) for i, d in items.items())},
    )
    rng = np.random.default_rng(4)
    true_b = np.linspace(-1.0, 1.5, 10)
    for part in range(2):
        theta = rng.normal(-0.3, 1.0, 300)
        matrix = (rng.random((300, 10)) < probability(theta[:, None], 1.0, true_b)).astype(float)
        write_responses_csv(
            tmp_path / f"pool-{part}.csv",
            [f"anon-{part}-{i}" for i in range(300)],
            list(items),
            matrix,
        )
    args = ["calibrate", "--bank", str(bank), "--write-parameters", "--json"]
    for part in range(2):
        args += ["--responses", str(tmp_path / f"pool-{part}.csv")]
    assert main(args) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document["areas"]) == {"math"}
    written = bank / "math" / "parameters.csv"
    table, problems = read_items_csv(written)
    assert not problems and table is not None and set(table.ids) == set(items)
    assert np.corrcoef(table.b, true_b[[list(items).index(i) for i in table.ids]])[0, 1] > 0.95
    assert main(["bank", "stats", str(bank), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["by_source"]["shipped"] == 10
    assert math.isfinite(table.b[0])


@pytest.mark.parametrize(
    "arguments",
    [
        ["--model", "3pl"],
        ["--out", "x.csv"],
        ["--anchors", "a.csv"],
        ["--write-parameters"],
    ],
)
def test_file_options_without_responses_are_refused(
    tmp_path: Path, arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["calibrate", "--db", f"sqlite:///{tmp_path / 'x.db'}", *arguments])
    assert stopped.value.code == 1
    assert "needs --responses" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
