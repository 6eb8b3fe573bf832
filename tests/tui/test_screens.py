"""Start-up, the bank browser, export, help, the palette and the author preview."""

from __future__ import annotations

import os
import time
from pathlib import Path

from textual.widgets import DataTable, Input, OptionList, Static

from engine.service.storage import open_database
from tests.tui.fixture_bank import PROBABILITY, write_fixed_bank
from tests.tui.helpers import home_ready, pilot_test, screen_name, settle, take_quiz, wait_until
from tui.app import SkillprobeApp
from tui.clock import FrozenClock
from tui.preview.app import PreviewApp
from tui.widgets.feedback import FeedbackPanel
from tui.widgets.item import ItemPreview

REPO = Path(__file__).resolve().parents[2]


@pilot_test
async def test_an_empty_database_gets_the_bank_imported_after_the_first_paint(tmp_path):
    bank = write_fixed_bank(tmp_path / "bank")
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    app = SkillprobeApp(url, "ada", clock=FrozenClock(), bank_path=bank)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.state.loading  # Home is on screen before any database work
        await home_ready(pilot)
        assert app.state.startup is not None and app.state.startup.imported
        assert app.state.home.item_counts == {"math": 14, "programming": 3}


@pilot_test
async def test_a_database_that_cannot_be_opened_is_explained_on_home(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app = SkillprobeApp(f"sqlite:///{blocker}/db.sqlite", "ada", clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: not app.state.loading)
        assert app.state.error
        notice = app.screen.query_one("#notice", Static)
        assert notice.has_class("-error")
        assert "Cannot open the database" in str(notice.render())
        await pilot.press("s")  # refused politely, no crash
        assert screen_name(app) == "HomeScreen"


@pilot_test
async def test_bank_browser_filters_by_area_topic_and_tag_and_previews(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: screen_name(app) == "BankScreen")
        await settle(pilot)
        table = app.screen.query_one("#items", DataTable)
        assert table.row_count == 17
        await pilot.press("down", "down")  # Mathematics
        assert table.row_count == 14
        await pilot.press("space", "down")  # expand, first topic: Probability
        assert table.row_count == 8
        await pilot.press("slash", *"#independ")
        assert app.focused is app.screen.query_one("#search", Input)
        assert table.row_count == 0  # the fixed bank has no such tag
        await pilot.press("escape")  # clears the search
        assert table.row_count == 8
        await pilot.press("slash", *"dice", "enter")
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"expected", "enter")
        assert table.row_count == 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(app) == "ItemPreviewScreen")
        preview = app.screen.query_one(ItemPreview)
        assert preview.item.id == "probability-002"
        await pilot.press("r")
        panel = app.screen.query_one(FeedbackPanel)
        assert "3.5" in str(panel.query_one(".right-answer", Static).render())


@pilot_test
async def test_trying_an_answer_in_the_preview_marks_it(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: screen_name(app) == "BankScreen")
        await settle(pilot)
        await pilot.press("slash", *"probability-001", "enter", "enter")
        await wait_until(pilot, lambda: screen_name(app) == "ItemPreviewScreen")
        await pilot.press("tab", "a", "enter")
        assert app.screen.query_one(FeedbackPanel).has_class("-correct")
        await pilot.press("n")
        assert not app.screen.query(FeedbackPanel)


@pilot_test
async def test_report_exports_markdown_to_the_export_folder(make_app, tui_url, tmp_path):
    take_quiz(tui_url, "ada", ("math",), [True, False, True, True, False, True])
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await home_ready(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        written = list((tmp_path / "exports").glob("skillprobe-report-ada-*.md"))
        assert len(written) == 1
        assert "Mathematics" in written[0].read_text(encoding="utf-8")
        assert any(str(written[0]) in n.message for n in app._notifications)


@pilot_test
async def test_help_and_palette_commands(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: screen_name(app) == "HelpScreen")
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("New quiz", "Resume quiz", "History", "Question bank", "Light / dark theme"):
            assert wanted in titles
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark


@pilot_test
async def test_author_preview_shows_problems_with_lines_and_reloads_on_save(tmp_path):
    root = write_fixed_bank(tmp_path / "bank")
    path = root / "math" / "probability.yaml"
    app = PreviewApp(path, clock=FrozenClock(), poll_interval=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.preview is not None)
        assert len(screen.preview.items) == 8 and not screen.preview.errors
        assert not screen.query_one("#problems").display
        entries = screen.query_one("#entries", OptionList)
        assert entries.option_count == 8
        await pilot.press("r")
        assert screen.query(FeedbackPanel)

        broken = PROBABILITY.replace("  answer: 3.5\n", "  answer: lots\n", 1)
        time.sleep(0.01)  # a new modification time even on coarse file systems
        path.write_text(broken, encoding="utf-8")
        os.utime(path, ns=(time.time_ns(), time.time_ns()))
        await wait_until(pilot, lambda: screen.preview.errors, what="reload")
        await settle(pilot)
        assert screen.query_one("#problems").display
        body = str(screen.query_one("#problems-body", Static).render())
        assert "probability.yaml:" in body and "[probability-002]" in body
        assert entries.option_count == 8  # 7 items and the problem, in file order


def test_preview_command_refuses_a_missing_file(tmp_path, capsys):
    from engine.cli.main import main

    assert main(["preview", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_run_app_reads_learner_and_theme_from_the_environment():
    from tui.config import settings_from_environment

    settings = settings_from_environment(
        "sqlite:///x.db", {"SKILLPROBE_LEARNER": "grace", "SKILLPROBE_THEME": "light"}
    )
    assert settings.learner == "grace"
    assert settings.theme == "textual-light"
    assert settings.database_url == "sqlite:///x.db"


def test_the_tui_database_fixture_holds_the_fixed_bank_at_the_latest_schema(tui_url):
    """The Pilot tests start from this: a migrated database with the 17 fixed items."""
    from engine.service.quiz_service import QuizService

    opened = open_database(tui_url)
    try:
        assert not opened.upgrade.changed  # already at the latest revision
        items = QuizService(opened.database).bank_items()
    finally:
        opened.database.dispose()
    assert len(items) == 17
    assert {item.area for item in items} == {"math", "programming"}


@pilot_test
async def test_the_report_says_when_answers_were_not_counted(make_app, tui_url):
    """Repeats of questions whose key was shown (a practice-mode quiz showed it) are stored,
    not counted, and the report screen says so in one line, as the other reports do."""
    take_quiz(tui_url, "ada", ("math",), [True] * 8, length=8)
    take_quiz(tui_url, "ada", ("math",), [True] * 13, length=13, seed=8)  # the bank holds 14
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
        await settle(pilot)
        notes = [str(note.render()) for note in app.screen.query(".model-note")]
        assert any("not counted" in note for note in notes), notes
