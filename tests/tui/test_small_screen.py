"""80x24 fully usable (issue #16, items 4, 5 and 11), driven from the keyboard with Pilot.

The bank here is made for it: a code question whose prompt is taller than the
screen and whose code has a line wider than it, a numeric question whose
answer box starts below the screen, and a several-answer question with long
options. Each area holds one of them, so a one-area quiz asks exactly that one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input

from tests.tui.conftest import FROZEN_AT
from tests.tui.fixture_bank import write_tall_bank
from tests.tui.helpers import (
    database_with_bank,
    home_ready,
    pilot_test,
    screen_name,
    screen_text,
    settle,
    wait_until,
)
from tui.app import SkillprobeApp
from tui.clock import FrozenClock
from tui.widgets.choices import ChoiceList
from tui.widgets.keybar import KeyBar, KeyHint, fitting
from tui.widgets.picklist import PickRow
from tui.widgets.prompt import wrap_code_line


@pytest.fixture
def tall_url(tmp_path: Path) -> tuple[str, Path]:
    bank = write_tall_bank(tmp_path / "bank")
    return database_with_bank(f"sqlite:///{tmp_path / 'tall.db'}", bank), bank


def _app(tall_url: tuple[str, Path]) -> SkillprobeApp:
    url, bank = tall_url
    return SkillprobeApp(url, "ada", clock=FrozenClock(FROZEN_AT), seed=7, bank_path=bank,
                         show_elapsed=False)  # fmt: skip


async def _quiz(pilot, area_keys: tuple[str, ...]) -> None:
    await home_ready(pilot)
    await pilot.press(*area_keys, "space", "s")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "QuizScreen")
    await wait_until(pilot, lambda: pilot.app.screen.phase == "asking")
    await settle(pilot)


def _visible(widget, container) -> bool:
    """The widget's whole region lies inside the container's visible region."""
    region, view = widget.region, container.content_region
    return bool(region) and view.contains_region(region)


@pilot_test
async def test_the_highlighted_option_is_scrolled_into_view_and_marked_without_colour(tall_url):
    app = _app(tall_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await _quiz(pilot, ())  # Programming is first: the code question
        main = app.screen.query_one("#main", VerticalScroll)
        assert main.scroll_y == 0  # a new question is read from its first line
        assert "Question 1" in screen_text(app)
        rows = list(app.screen.query(PickRow))
        assert not _visible(rows[-1], main)
        await pilot.press("down", "down", "down")
        await settle(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == 3
        assert _visible(rows[3], main), "the highlighted option must be on screen"
        text = screen_text(app)
        assert "▶ (•) D  It raises TypeError" in text  # selected: visible without colour
        assert "  ( ) A  0.5" in text


@pilot_test
async def test_pgup_pgdn_home_end_scroll_the_question_whatever_has_focus(tall_url):
    app = _app(tall_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await _quiz(pilot, ())
        main = app.screen.query_one("#main", VerticalScroll)
        assert app.focused is app.screen.query_one(ChoiceList)
        await pilot.press("pagedown")
        await settle(pilot)
        assert main.scroll_y > 0 and app.screen.query_one(ChoiceList).highlighted == 0
        await pilot.press("home")
        await settle(pilot)
        assert main.scroll_y == 0
        await pilot.press("end")
        await settle(pilot)
        assert main.scroll_y == main.max_scroll_y
        await pilot.press("pageup")
        await settle(pilot)
        assert main.scroll_y < main.max_scroll_y
        # Tab never parks focus on the scroll area while a question waits: keys still answer.
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(ChoiceList)
        await pilot.press("a", "enter")
        await wait_until(pilot, lambda: app.screen.phase == "feedback")


@pilot_test
async def test_a_long_code_line_wraps_with_marks_instead_of_losing_its_end(tall_url):
    app = _app(tall_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await _quiz(pilot, ())
        await pilot.press("pagedown")
        await settle(pilot)
        text = screen_text(app)
        assert "/ len↩" in text or "/ len(ys↩" in text or "↩" in text
        pieces = [line.strip(" ▁▂▃▄▅▆▇█▊▎▌") for line in text.splitlines() if "↪" in line]
        assert pieces and pieces[0].endswith(")"), "the end of the code line is on screen"


def test_wrap_code_line_keeps_every_character_and_marks_each_cut() -> None:
    line = Content("x" * 25)
    pieces = wrap_code_line(line, 10)
    assert all(piece.cell_length <= 10 for piece in pieces)
    assert pieces[0].plain.endswith("↩") and pieces[1].plain.startswith("↪ ")
    kept = "".join(p.plain.removeprefix("↪ ").removesuffix("↩") for p in pieces)
    assert kept == "x" * 25
    assert wrap_code_line(Content("short"), 10) == [Content("short")]


@pilot_test
async def test_typing_brings_the_answer_box_into_view(tall_url):
    app = _app(tall_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await _quiz(pilot, ("down",))  # Mathematics: the numeric question
        main = app.screen.query_one("#main", VerticalScroll)
        box = app.screen.query_one("#answer-input", Input)
        assert app.focused is box
        assert not _visible(box, main)
        await pilot.press("0", ".", "5")
        await settle(pilot)
        assert _visible(box, main), "what is typed must be on screen"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.phase == "feedback")


def test_a_key_bar_drops_optional_hints_first_and_never_cuts_a_word() -> None:
    hints = [
        KeyHint("A-D", "choose", None),
        KeyHint("⏎", "answer", "enter"),
        KeyHint("PgDn", "scroll", "pagedown", optional=True),
        KeyHint("^p", "palette", "ctrl+p", optional=True),
        KeyHint("?", "help", "question_mark"),
    ]
    assert fitting(hints, 200) == hints
    narrow = fitting(hints, 30)
    assert [hint.label for hint in narrow] == ["A-D", "⏎", "?"]
    assert sum(hint.width for hint in narrow) <= 30


@pilot_test
async def test_no_key_bar_is_cut_off_at_80_columns(make_app, tui_url):
    from tests.tui.helpers import take_quiz

    take_quiz(tui_url, "ada", ("math",), [True, False, True, False])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        for keys, name in (
            ((), "HomeScreen"),
            (("o",), "ReportScreen"),
            (("escape", "h"), "HistoryScreen"),
            (("escape", "b"), "BankScreen"),
        ):
            await pilot.press(*keys)
            await wait_until(pilot, lambda name=name: screen_name(app) == name)
            await settle(pilot)
            bar = app.screen.query_one(KeyBar)
            line = screen_text(app).splitlines()[-1]
            assert "…" not in line, f"{name}: {line}"
            assert bar.shown and bar.shown[-1].description.lower() == "help", name
