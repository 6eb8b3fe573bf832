"""The whole shipped bank, exported to each format and converted back, is unchanged.

No counts are hard-coded: the bank grows, and every item in it must survive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.bank import ItemSpec, load_bank
from engine.interop.convert import plan_conversion, write_plan
from engine.interop.export import ExportFormat, export_items
from engine.interop.problems import Severity
from tests.conftest import SHIPPED_BANK


def _identity(item: ItemSpec) -> tuple[object, ...]:
    return (
        item.id,
        item.area,
        item.topic,
        item.content(),  # text, options, keys, tolerances, feedback, tags, references, ...
        item.parameter_source,
        item.difficulty,
        (item.a, item.b, item.c),
    )


@pytest.fixture(scope="module")
def shipped_items() -> tuple[ItemSpec, ...]:
    loaded = load_bank(SHIPPED_BANK)
    assert loaded.bank is not None, loaded.errors
    return loaded.bank.items


@pytest.mark.slow
@pytest.mark.parametrize("export_format", list(ExportFormat), ids=lambda f: f.value)
def test_the_whole_bank_survives_export_and_conversion(
    export_format: ExportFormat, shipped_items: tuple[ItemSpec, ...], tmp_path: Path
) -> None:
    exported = export_items(shipped_items, export_format)
    not_exported = {p.subject for p in exported.problems if p.severity is Severity.SKIPPED}
    source = tmp_path / ("bank.gift" if export_format is ExportFormat.GIFT else "bank.xml")
    source.write_text(exported.text, encoding="utf-8")

    plan = plan_conversion(source, tmp_path / "converted")
    assert [str(p) for p in plan.problems if p.fatal] == []
    assert [str(p) for p in plan.problems if p.severity is not Severity.NOTE] == []
    write_plan(plan)

    converted = load_bank(tmp_path / "converted")
    assert converted.errors == ()  # what `skillprobe bank validate` checks
    assert converted.bank is not None
    expected = {i.id: _identity(i) for i in shipped_items if i.id not in not_exported}
    assert {i.id: _identity(i) for i in converted.bank.items} == expected
    # Only items Moodle cannot grade at all are left out, and each is listed with a reason.
    assert len(expected) + len(not_exported) == len(shipped_items)
