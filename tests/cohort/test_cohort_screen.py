"""The Cohort screen: opened from the palette, shows the report, never reads names as markup."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable, Select, Static

from engine.service.cohort_service import CohortService
from engine.service.storage import open_database
from tests.tui.fixture_bank import write_fixed_bank
from tests.tui.helpers import home_ready, pilot_test, screen_name, settle, take_quiz, wait_until
from tui.app import SkillprobeApp
from tui.clock import FrozenClock

#: Would be bold red, a link and a screen clear if it were ever read as markup or sent raw.
HOSTILE = "[bold red]eve[/] [link=x]y[/link]\x1b[2J"


def make_database(tmp_path: Path) -> tuple[str, Path]:
    bank = write_fixed_bank(tmp_path / "bank")
    url = f"sqlite:///{tmp_path / 'cohort.db'}"
    opened = open_database(url)
    from engine.service.bank_service import import_bank

    assert import_bank(opened.database, bank).summary is not None
    for learner, answers in (
        ("ada", [True, False, True, True, False, True]),
        (HOSTILE, [False] * 6),
    ):
        take_quiz(url, learner, ("math",), answers)
    cohorts = CohortService(opened.database)
    cohorts.add("spring", ["ada", HOSTILE])
    cohorts.add("autumn", ["ada"])
    opened.database.dispose()
    return url, bank


def cell_texts(table: DataTable) -> list[list[str]]:
    rows = []
    for row in range(table.row_count):
        cells = table.get_row_at(row)
        rows.append([cell.plain if isinstance(cell, Text) else str(cell) for cell in cells])
    return rows


@pilot_test
async def test_the_cohort_screen_shows_the_report_and_switches_cohorts(tmp_path) -> None:
    url, bank = make_database(tmp_path)
    app = SkillprobeApp(url, "ada", clock=FrozenClock(), bank_path=bank)
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        await pilot.press("ctrl+p", *"Cohort report")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(app) == "CohortScreen")
        await settle(pilot)
        screen = app.screen
        # The first cohort by name is shown first.
        assert screen.query_one("#cohort-choice", Select).value == "autumn"
        assert cell_texts(screen.query_one("#learner-table", DataTable))[0][0] == "ada"
        screen.query_one("#cohort-choice", Select).value = "spring"
        await settle(pilot)
        learners = cell_texts(screen.query_one("#learner-table", DataTable))
        names = [row[0] for row in learners]
        assert "ada" in names
        hostile = next(row for row in learners if row[0] != "ada")
        assert hostile[0] == "[bold red]eve[/] [link=x]y[/link][2J"  # shown as typed, ESC removed
        assert hostile[1] == "1"
        areas = cell_texts(screen.query_one("#area-table", DataTable))
        assert [row[0] for row in areas] == [
            "Spread",
            "Measured",
            "Foundations",
            "Developing",
            "Job-ready",
            "Strong",
            "Job-ready+",
        ]
        assert areas[1][1:] == ["0", "2"]  # nobody answered programming; two members in math
        assert all(cell == "–" for cell in areas[2][1:2])
        summary = str(screen.query_one("#cohort-summary", Static).render())
        assert "2 members" in summary
        await pilot.press("escape")
        assert screen_name(app) == "HomeScreen"


@pilot_test
async def test_at_80_columns_with_no_cohort_the_screen_says_how_to_make_one(tmp_path) -> None:
    bank = write_fixed_bank(tmp_path / "bank")
    app = SkillprobeApp(
        f"sqlite:///{tmp_path / 'none.db'}", "ada", clock=FrozenClock(), bank_path=bank
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        app.action_cohort()
        await wait_until(pilot, lambda: screen_name(app) == "CohortScreen")
        await settle(pilot)
        summary = str(app.screen.query_one("#cohort-summary", Static).render())
        assert "No cohorts yet" in summary


@pilot_test
async def test_the_app_joins_the_cohort_it_was_started_with(tmp_path) -> None:
    url, bank = make_database(tmp_path)
    app = SkillprobeApp(url, "newbie", clock=FrozenClock(), bank_path=bank, cohort="spring")
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await settle(pilot)
    opened = open_database(url)
    assert "newbie" in CohortService(opened.database).members("spring")
    opened.database.dispose()
    wrong = SkillprobeApp(url, "newbie", clock=FrozenClock(), bank_path=bank, cohort="sprung")
    async with wrong.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await settle(pilot)
        assert any("did you mean 'spring'" in n.message for n in wrong._notifications)
