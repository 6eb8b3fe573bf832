"""Item diagnostics in the bank browser (issue #9): plain words, numbers on demand."""

from __future__ import annotations

import pytest

from engine.service.calibration_service import calibrate, item_diagnostics
from engine.service.storage import open_database
from tests.tui.conftest import SIZES
from tests.tui.helpers import pilot_test, screen_name, screen_text, settle, take_quiz, wait_until


@pytest.fixture
def calibrated(tui_url: str) -> str:
    """Twelve learners' math quizzes, calibrated: every math item has diagnostics."""
    for n in range(12):
        take_quiz(tui_url, f"l{n}", ("math",), [(n + i) % 3 != 0 for i in range(8)], seed=n)
    opened = open_database(tui_url)
    calibrate(opened.database, min_responses=3)
    opened.database.dispose()
    return tui_url


async def _bank_math(pilot) -> None:
    from tests.tui.helpers import home_ready

    await home_ready(pilot)
    await pilot.press("b")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "BankScreen")
    await settle(pilot)
    await pilot.press("down", "down", "tab")  # Mathematics; then the items
    await settle(pilot)


@pilot_test
async def test_the_bank_says_what_learners_answers_show_and_the_numbers_on_demand(
    make_app, calibrated
):
    opened = open_database(calibrated)
    diagnostics = item_diagnostics(opened.database)
    opened.database.dispose()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _bank_math(pilot)
        item = app.screen.shown[0]
        found = diagnostics[item.id]
        words = f"{found.responses} answers, {found.proportion_correct:.0%} right"
        text = screen_text(app)
        assert f"{item.id} · {words}" in text
        assert "a 1.00" not in text and "infit" not in text  # no numbers unasked
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(app) == "ItemPreviewScreen")
        await settle(pilot)
        assert f"Learners so far: {words}" in screen_text(app)
        await pilot.press("i")
        await settle(pilot)
        text = screen_text(app)
        assert f"±{found.se_b:.2f}" in text and "infit" in text


@pytest.mark.parametrize("size", SIZES)
def test_bank_with_diagnostics_snapshot(snap_compare, make_app, calibrated, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_bank_math)
