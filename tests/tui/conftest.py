"""Fixtures for the TUI tests: a small fixed bank in a temporary database, and the app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.service.bank_service import import_bank
from engine.service.storage import open_database
from tests.tui.fixture_bank import write_fixed_bank
from tui.app import SkillprobeApp
from tui.clock import FrozenClock

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
FROZEN_AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def fixed_bank(tmp_path: Path) -> Path:
    return write_fixed_bank(tmp_path / "bank")


@pytest.fixture
def tui_url(tmp_path: Path, fixed_bank: Path) -> str:
    """A SQLite database with the fixed bank imported."""
    url = f"sqlite:///{tmp_path / 'tui.db'}"
    opened = open_database(url)
    outcome = import_bank(opened.database, fixed_bank)
    assert outcome.summary is not None, outcome.errors
    opened.database.dispose()
    return url


@pytest.fixture
def make_app(tui_url: str, fixed_bank: Path, tmp_path: Path) -> Callable[..., SkillprobeApp]:
    """Build the app on the test database with a frozen clock and a fixed seed."""

    def build(**overrides: object) -> SkillprobeApp:
        options: dict[str, object] = {
            "clock": FrozenClock(FROZEN_AT),
            "seed": 7,
            "bank_path": fixed_bank,
            "export_dir": tmp_path / "exports",
        }
        options.update(overrides)
        learner = str(options.pop("learner", "ada"))
        url = str(options.pop("url", tui_url))
        return SkillprobeApp(url, learner, **options)  # type: ignore[arg-type]

    return build
