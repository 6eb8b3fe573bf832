"""Clicking a key in the footer does what typing it does, on every screen.

Clicking a footer key once crashed the app (the click handler awaited
`App.simulate_key`, which returns None). Here every clickable key of every
screen's key bar is clicked; the action that runs must be the one the screen
binds to that key. Actions are recorded, not run, so one app visits every
screen in turn (the actions themselves are tested by the flows).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from tests.tui.fixture_bank import write_fixed_bank
from tests.tui.helpers import home_ready, pilot_test, screen_name, settle, take_quiz, wait_until
from tui.clock import FrozenClock
from tui.preview.app import PreviewApp
from tui.widgets.keybar import KeyBar


class ActionRecorder:
    """Stands in for `App.run_action` while keys are clicked: records, runs nothing."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.actions: list[str] = []
        self._run_action: Callable[..., Awaitable[bool]] = app.run_action

    async def record(self, action: str, default_namespace: object = None) -> bool:
        self.actions.append(action.rpartition(".")[2] if isinstance(action, str) else action)
        return True

    def __enter__(self) -> ActionRecorder:
        self.app.run_action = self.record  # type: ignore[method-assign]
        return self

    def __exit__(self, *_exc: object) -> None:
        self.app.run_action = self._run_action  # type: ignore[method-assign]


def bound_action(app: App[Any], key: str) -> str:
    """The action `key` runs on the current screen (the palette key is the app's, everywhere)."""
    if key == app.COMMAND_PALETTE_BINDING:
        return "command_palette"
    return app.screen.active_bindings[key].binding.action.rpartition(".")[2]


async def click_every_key(pilot: Pilot[Any]) -> list[str]:
    """Click each clickable key of the screen's key bar; return the keys clicked."""
    app = pilot.app
    screen = app.screen
    bar = screen.query_one(KeyBar)
    clicked = []
    for column, key in bar.clickable:
        expected = bound_action(app, key)
        with ActionRecorder(app) as recorder:
            assert await pilot.click(bar, offset=(column + 1, 0))
            await wait_until(pilot, lambda: recorder.actions, what=f"the action of {key}")
        assert recorder.actions == [expected], (screen_name(app), key)
        assert app.screen is screen and app.is_running
        clicked.append(key)
    return clicked


@pilot_test
async def test_every_footer_key_of_every_app_screen_runs_its_action(make_app, tui_url):
    take_quiz(tui_url, "ada", ("math",), [True, False, True, False, True])
    app = make_app()
    visited: dict[str, list[str]] = {}

    async def check(name: str) -> None:
        await wait_until(pilot, lambda: screen_name(app) == name, what=name)
        await settle(pilot)
        visited[name] = await click_every_key(pilot)

    async with app.run_test(size=(160, 40)) as pilot:
        await home_ready(pilot)
        await check("HomeScreen")
        await pilot.press("question_mark")
        await check("HelpScreen")
        await pilot.press("escape", "b")
        await check("BankScreen")
        await pilot.press("tab", "enter")
        await check("ItemPreviewScreen")
        await pilot.press("escape", "escape", "h")
        await check("HistoryScreen")
        await pilot.press("enter")
        await check("ReportScreen")
        await pilot.press("m", "enter")
        await check("ReviewScreen")
        await pilot.press("escape", "escape", "escape")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        await pilot.press("down", "space", "s")
        await check("QuizScreen")
        asking = visited["QuizScreen"]
        screen = app.screen
        await pilot.press("ctrl+s")  # skip: the feedback shows other keys
        await wait_until(pilot, lambda: screen.phase == "feedback", what="feedback")
        visited["QuizScreen"] = asking + await click_every_key(pilot)
    assert visited["HomeScreen"][:7] == ["s", "r", "p", "o", "h", "b", "l"]
    assert {"enter", "ctrl+s", "escape", "question_mark", "ctrl+p"} <= set(visited["QuizScreen"])
    assert all(keys for keys in visited.values()), visited


@pilot_test
async def test_every_footer_key_of_the_author_preview_runs_its_action(tmp_path):
    path = write_fixed_bank(tmp_path / "bank") / "math" / "probability.yaml"
    app = PreviewApp(path, clock=FrozenClock(), poll_interval=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.screen.preview is not None, what="preview")
        await settle(pilot)
        assert await click_every_key(pilot) == ["escape", "r", "ctrl+l", "ctrl+p"]
