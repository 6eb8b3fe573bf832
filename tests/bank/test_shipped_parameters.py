"""Anchors marked in the YAML and calibrated parameters shipped in <area>/parameters.csv."""

from __future__ import annotations

from pathlib import Path

from engine.bank import load_bank
from engine.bank.loader import bank_digest
from tests.bank.bank_factory import write_bank

ITEMS = """\
- id: p-1
  type: numeric
  difficulty: 2
  prompt: Type 7.
  answer: 7
  explanation: Seven.
- id: p-2
  type: numeric
  irt: {a: 1.3, b: 0.4, c: 0.0, anchor: true}
  prompt: Type 8.
  answer: 8
  explanation: Eight.
- id: p-3
  type: numeric
  irt: {a: 0.9, b: -0.2}
  prompt: Type 9.
  answer: 9
  explanation: Nine.
"""


def _bank(root: Path, parameters: str | None = None) -> Path:
    files = {"math/probability.yaml": ITEMS}
    if parameters is not None:
        files["math/parameters.csv"] = parameters
    return write_bank(root, files)


def test_anchors_and_shipped_parameters_set_the_source(tmp_path: Path) -> None:
    root = _bank(tmp_path / "bank", "id,a,b,c\np-1,1.4,-0.8,0\np-3,1.1,0.25,0\n")
    loaded = load_bank(root)
    assert loaded.ok, loaded.errors
    items = {item.id: item for item in loaded.items}
    assert (items["p-1"].a, items["p-1"].b, items["p-1"].parameter_source) == (1.4, -0.8, "shipped")
    assert items["p-2"].parameter_source == "anchor" and items["p-2"].b == 0.4
    assert items["p-3"].parameter_source == "shipped"  # data beat an unmarked irt guess
    assert root / "math" / "parameters.csv" in loaded.files


def test_changing_the_parameters_file_changes_the_digest(tmp_path: Path) -> None:
    root = _bank(tmp_path / "bank", "id,a,b,c\np-1,1.4,-0.8,0\n")
    before = bank_digest(root)
    (root / "math" / "parameters.csv").write_text("id,a,b,c\np-1,1.5,-0.8,0\n", encoding="utf-8")
    assert bank_digest(root) != before


def test_problems_in_the_parameters_file_point_at_row_and_column(tmp_path: Path) -> None:
    parameters = "id,a,b,c\np-1,0,-0.8,0\np-2,1.0,0.0,0\nz-9,1.0,0.0,0\n"
    root = _bank(tmp_path / "bank", parameters)
    loaded = load_bank(root)
    path = root / "math" / "parameters.csv"
    messages = [str(error) for error in loaded.errors]
    assert loaded.bank is None
    assert any(m.startswith(f"{path}:2:2:") and "a must be > 0" in m for m in messages)
    loaded = load_bank(_bank(tmp_path / "other", "id,a,b,c\np-2,1.0,0.0,0\nz-9,1.0,0.0,0\n"))
    messages = [str(error) for error in loaded.errors]
    assert any(":2:1: [p-2] 'p-2' is an anchor" in m for m in messages)
    assert any(":3:1:" in m and "'z-9' is not an item of area 'math'" in m for m in messages)
