"""A returning learner's Home from its snapshot, before the database opens (issue #16, 12)."""

from __future__ import annotations

import threading
from pathlib import Path

from engine.service.quiz_service import QuizService
from tests.tui.helpers import (
    home_ready,
    pilot_test,
    screen_name,
    screen_text,
    take_quiz,
    wait_until,
)
from tui.backend import Backend
from tui.home_snapshot import load_home, save_home, snapshot_path


class SlowBackend(Backend):
    """A database that opens only when the test says so (a cold start, made slow)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.may_open = threading.Event()

    def _connect(self) -> QuizService:  # whoever asks first (Home's loader, a quiz) waits
        assert self.may_open.wait(30)
        return super()._connect()


@pilot_test
async def test_home_is_usable_from_the_snapshot_before_the_database_opens(
    make_app, tui_url, fixed_bank, tmp_path
):
    take_quiz(tui_url, "ada", ("math",), [True, False, True, True, False, True, True, False])
    take_quiz(tui_url, "ada", ("math",), [True], finish=False, length=10)
    snapshots = tmp_path / "cache"
    first = make_app(snapshot_dir=snapshots)
    async with first.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)  # loads from the database, writes the snapshot
        fresh = first.state.home
    assert fresh is not None and load_home(snapshots, tui_url, "ada") == fresh

    backend = SlowBackend(tui_url, bank_path=fixed_bank, seed=7)
    app = make_app(snapshot_dir=snapshots, backend=backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query_one("#new-quiz").built, what="form")
        await settle_ui(pilot)
        assert app.state.loading  # the database is still closed...
        text = screen_text(app)
        assert "Unfinished quiz" in text and "1 answered" in text  # ...but Home is all there
        assert "[ ] Mathematics" in text and "o open the report" in text
        await pilot.press("down", "space", "s")  # act at once: the dialog needs no database
        await wait_until(pilot, lambda: screen_name(app) == "UnfinishedQuizScreen")
        await pilot.press("down", "enter")  # start a new quiz: it waits for the database
        await pilot.pause(0.2)
        assert screen_name(app) == "HomeScreen"
        backend.may_open.set()
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen", what="the quiz")
        await wait_until(pilot, lambda: app.screen.phase == "asking")
        # The fresh data replaced the snapshot (read before or after the new quiz was made).
        assert not app.state.loading
        assert app.state.home.quiz_count in (fresh.quiz_count, fresh.quiz_count + 1)


async def settle_ui(pilot) -> None:
    """Let the screen catch up without waiting for workers (one is held on purpose)."""
    for _ in range(5):
        await pilot.pause(0.02)


def test_a_snapshot_is_per_database_and_learner_and_never_holds_the_url(tmp_path) -> None:
    from tui.backend import HomeArea, HomeData

    home = HomeData("ann", ("ann",), (HomeArea("math", "Mathematics", "", 2, 9),), (), None, 0)
    url = "postgresql://ann:secret@db.example/skillprobe"
    save_home(tmp_path, url, home)
    path = snapshot_path(tmp_path, url, "ann")
    assert path.is_file() and "secret" not in path.name
    assert "secret" not in path.read_text(encoding="utf-8")
    assert load_home(tmp_path, url, "ann") == home
    assert load_home(tmp_path, url, "bob") is None
    assert load_home(tmp_path, "sqlite:///other.db", "ann") is None


def test_a_damaged_or_foreign_snapshot_is_ignored(tmp_path: Path) -> None:
    path = snapshot_path(tmp_path, None, "ann")
    for text in ("{", "[]", '{"version": 99, "learner": "ann"}', '{"version": 1}', "\xff"):
        path.write_text(text, encoding="utf-8")
        assert load_home(tmp_path, None, "ann") is None
    assert load_home(tmp_path / "missing", None, "ann") is None
