"""Importing the bank: all-or-nothing, idempotent, versioned, never deleting."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from engine.cli.main import main
from engine.db.database import Database
from engine.db.models import BankImport, Item, ItemParameterSet, ItemVersion
from engine.service.bank_service import import_bank
from tests.bank.bank_factory import single_item, write_bank


def _count(database: Database, model: type) -> int:
    with database.reader() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_import_then_reimport_writes_nothing(database: Database, tmp_path: Path) -> None:
    root = write_bank(
        tmp_path / "bank",
        {"math/probability.yaml": single_item("p-1") + single_item("p-2")},
    )
    first = import_bank(database, root).summary
    assert first is not None and (first.added, first.changed, first.unchanged) == (2, 0, 0)
    imports = _count(database, BankImport)
    second = import_bank(database, root).summary
    assert str(second) == "0 added, 0 changed, 0 retired, 2 unchanged"
    assert _count(database, BankImport) == imports


def test_a_comment_only_edit_changes_nothing(database: Database, tmp_path: Path) -> None:
    root = write_bank(tmp_path / "bank", {"math/probability.yaml": single_item("p-1")})
    import_bank(database, root)
    imports = _count(database, BankImport)
    write_bank(root, {"math/probability.yaml": "# reviewed\n" + single_item("p-1")})
    summary = import_bank(database, root).summary
    assert str(summary) == "0 added, 0 changed, 0 retired, 1 unchanged"
    assert _count(database, BankImport) == imports
    assert _count(database, ItemVersion) == 1


def test_editing_an_item_adds_a_version_and_keeps_the_old_one(
    database: Database, tmp_path: Path
) -> None:
    root = write_bank(tmp_path / "bank", {"math/probability.yaml": single_item("p-1")})
    import_bank(database, root)
    write_bank(root, {"math/probability.yaml": single_item("p-1", prompt="Pick again.")})
    summary = import_bank(database, root).summary
    assert summary is not None and (summary.changed, summary.unchanged) == (1, 0)
    with database.reader() as session:
        versions = session.scalars(select(ItemVersion).order_by(ItemVersion.version)).all()
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].content["prompt"] == "Pick one."
    assert versions[1].content["prompt"] == "Pick again."


def test_changing_difficulty_adds_a_parameter_set(database: Database, tmp_path: Path) -> None:
    root = write_bank(tmp_path / "bank", {"math/probability.yaml": single_item("p-1")})
    import_bank(database, root)
    write_bank(root, {"math/probability.yaml": single_item("p-1", difficulty=5)})
    assert import_bank(database, root).summary.changed == 1
    with database.reader() as session:
        current = session.scalars(select(ItemParameterSet).where(ItemParameterSet.is_current)).one()
    assert (current.b, current.source) == (2.0, "difficulty")
    assert _count(database, ItemParameterSet) == 2


def test_removed_items_are_retired_and_come_back(database: Database, tmp_path: Path) -> None:
    root = write_bank(
        tmp_path / "bank", {"math/probability.yaml": single_item("p-1") + single_item("p-2")}
    )
    import_bank(database, root)
    write_bank(root, {"math/probability.yaml": single_item("p-1")})
    summary = import_bank(database, root).summary
    assert (summary.retired, summary.unchanged) == (1, 1)
    with database.reader() as session:
        retired = session.get(Item, "p-2")
        assert retired is not None and retired.retired_at is not None
    write_bank(root, {"math/probability.yaml": single_item("p-1") + single_item("p-2")})
    summary = import_bank(database, root).summary
    assert (summary.added, summary.changed) == (0, 1)
    with database.reader() as session:
        assert session.get(Item, "p-2").retired_at is None


def test_a_bank_with_any_error_changes_nothing(database: Database, tmp_path: Path) -> None:
    root = write_bank(tmp_path / "bank", {"math/probability.yaml": single_item("p-1")})
    import_bank(database, root)
    before = [_count(database, m) for m in (Item, ItemVersion, ItemParameterSet, BankImport)]
    write_bank(
        root,
        {
            "math/probability.yaml": single_item("p-1", prompt="Edited.") + single_item("p-2"),
            "math/statistics.yaml": single_item("s-1", difficulty=8),
        },
    )
    outcome = import_bank(database, root)
    assert outcome.summary is None and len(outcome.errors) == 1
    after = [_count(database, m) for m in (Item, ItemVersion, ItemParameterSet, BankImport)]
    assert after == before


def test_import_command_prints_json_and_exits_1_on_errors(
    database_url: str, tmp_path: Path, capsys
) -> None:
    import json

    root = write_bank(tmp_path / "bank", {"math/probability.yaml": single_item("p-1")})
    assert main(["bank", "import", str(root), "--db", database_url, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert {k: summary[k] for k in ("added", "changed", "retired", "unchanged")} == {
        "added": 1,
        "changed": 0,
        "retired": 0,
        "unchanged": 0,
    }
    write_bank(root, {"math/probability.yaml": "- id: [broken\n"})
    assert main(["bank", "import", str(root), "--db", database_url]) == 1
    err = capsys.readouterr().err
    assert "probability.yaml:2:1: YAML syntax error" in err
    assert "nothing was imported" in err


def test_shipped_bank_is_imported_only_when_its_files_change(
    database: Database, tmp_path: Path
) -> None:
    from engine.service.bank_service import bank_needs_import

    root = write_bank(tmp_path / "bank", {"math/probability.yaml": single_item("p-1")})
    assert bank_needs_import(database, root)
    import_bank(database, root)
    assert not bank_needs_import(database, root)
    write_bank(root, {"math/probability.yaml": single_item("p-1", prompt="Edited.")})
    assert bank_needs_import(database, root)
    import_bank(database, root)
    other = write_bank(tmp_path / "other", {"swe/git.yaml": single_item("g-1")})
    # The stored bank came from `root`: a different bank is never imported behind its back.
    assert not bank_needs_import(database, other)


def _calibrate(database: Database, item_id: str, b: float) -> None:
    from sqlalchemy import update

    with database.unit_of_work() as session:
        session.execute(
            update(ItemParameterSet)
            .where(ItemParameterSet.item_id == item_id)
            .values(is_current=False)
        )
        session.add(ItemParameterSet(item_id=item_id, a=1.7, b=b, c=0.1, source="calibration"))


def _current_parameters(database: Database, item_id: str) -> tuple[float, str]:
    with database.reader() as session:
        row = session.scalars(
            select(ItemParameterSet).where(
                ItemParameterSet.item_id == item_id, ItemParameterSet.is_current
            )
        ).one()
        return row.b, row.source


IRT_ITEM = """\
- id: p-9
  type: true_false
  irt: {a: 1.2, b: %s, c: 0.5}
  prompt: %s
  explanation: Because.
  answer: true
"""


def test_calibrated_parameters_survive_edits_until_the_author_changes_irt(
    database: Database, tmp_path: Path
) -> None:
    root = write_bank(
        tmp_path / "bank",
        {"math/probability.yaml": single_item("p-1") + IRT_ITEM % ("0.3", "Fair?")},
    )
    import_bank(database, root)
    _calibrate(database, "p-1", 0.8)
    _calibrate(database, "p-9", -0.4)
    # Editing the text (or the difficulty guess) keeps the data-based parameters...
    write_bank(
        root,
        {
            "math/probability.yaml": single_item("p-1", difficulty=5, prompt="Edited.")
            + IRT_ITEM % ("0.3", "Still fair?")
        },
    )
    import_bank(database, root)
    assert _current_parameters(database, "p-1") == (0.8, "calibration")
    assert _current_parameters(database, "p-9") == (-0.4, "calibration")
    # ...but new explicit `irt:` values are the author's deliberate override.
    write_bank(
        root,
        {
            "math/probability.yaml": single_item("p-1", difficulty=5, prompt="Edited.")
            + IRT_ITEM % ("1.5", "Still fair?")
        },
    )
    import_bank(database, root)
    assert _current_parameters(database, "p-9") == (1.5, "irt")
    assert _current_parameters(database, "p-1") == (0.8, "calibration")
