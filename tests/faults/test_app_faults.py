"""The terminal app meets the same faults: it says what is wrong in a notice and stays usable.

(The silent server on Home is in test_timeouts.py.)
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from textual.widgets import Static

from engine.service import quiz_service
from engine.service.bank_service import import_bank
from engine.service.storage import open_database
from tests.faults.servers import PostgresCluster
from tests.tui.fixture_bank import write_fixed_bank
from tests.tui.helpers import home_ready, keys_for, pilot_test, screen_name, take_quiz, wait_until
from tui.app import SkillprobeApp
from tui.clock import FrozenClock


def _notices(app: SkillprobeApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


def _problem(app: SkillprobeApp) -> str:
    """The problem line under the question (empty when there is none)."""
    return str(app.screen.query_one("#problem", Static).render())


def _stored(url: str) -> list[int]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    text("SELECT position FROM responses ORDER BY position")
                ).scalars()
            )
    finally:
        engine.dispose()


async def _start_math_quiz(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await home_ready(pilot)
    await pilot.press("down", "space", "s")  # Mathematics is second; s starts
    await wait_until(pilot, lambda: screen_name(app) == "QuizScreen", what="quiz screen")
    await wait_until(pilot, lambda: app.screen.phase == "asking", what="first question")


async def _answer(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    await pilot.press(*keys_for(screen.question, True))
    await wait_until(pilot, lambda: screen.phase != "sending", timeout=30, what="answer sent")


@pytest.mark.postgres
@pilot_test
async def test_an_answer_the_stopped_server_did_not_take_is_a_notice_and_can_be_given_again(
    postgres_cluster: PostgresCluster,
    cluster_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(quiz_service, "RETRY_PAUSE_SECONDS", 0.1)
    bank = write_fixed_bank(tmp_path / "bank")
    opened = open_database(cluster_database)
    import_bank(opened.database, bank)
    opened.database.dispose()
    app = SkillprobeApp(cluster_database, "ada", clock=FrozenClock(), bank_path=bank, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await _start_math_quiz(pilot)
        await _answer(pilot)
        await pilot.press("enter")  # past the feedback, to question 2
        await wait_until(pilot, lambda: app.screen.phase == "asking", what="question 2")
        postgres_cluster.stop()
        try:
            await _answer(pilot)
            # Said under the question, where the learner is looking (not in a toast).
            await wait_until(
                pilot, lambda: "your answer was not saved" in _problem(app), what="the notice"
            )
            notice = _problem(app)
            assert screen_name(app) == "QuizScreen"
            assert app.screen.question.number == 2
        finally:
            postgres_cluster.start()
        await wait_until(pilot, lambda: app.screen.phase == "asking", timeout=30, what="asking")
        # The learner's choice is still on screen: Enter sends it again, and it is stored once.
        screen = app.screen
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.phase != "sending", timeout=30, what="answer sent")
        await wait_until(pilot, lambda: app.screen.phase == "feedback", what="feedback")
    assert _stored(cluster_database) == [1, 2]
    assert notice == (
        "⚠ your answer was not saved: the database is unavailable; run `skillprobe quiz --resume`"
    )


@pilot_test
async def test_a_database_on_a_read_only_disk_opens_for_reading(
    small_disk: Path, tmp_path: Path
) -> None:
    """History and reports work; starting a quiz says why it cannot."""
    bank = write_fixed_bank(tmp_path / "bank")
    url = f"sqlite:///{small_disk / 'team.db'}"
    opened = open_database(url)
    import_bank(opened.database, bank)
    opened.database.dispose()
    take_quiz(url, "ada", ("math",), [True, False, True])
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True, check=False
    )
    if remount.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remount.stderr.strip()}")
    try:
        app = SkillprobeApp(url, "ada", clock=FrozenClock(), bank_path=bank, seed=7)
        async with app.run_test(size=(120, 40)) as pilot:
            await home_ready(pilot)
            assert app.state.error is None
            assert app.state.home is not None and app.state.home.quiz_count == 1
            assert any(
                n.startswith("Opened for reading only: the database is read-only")
                for n in _notices(app)
            )
            await pilot.press("down", "space", "s")
            await wait_until(
                pilot,
                lambda: any(
                    "file system holding it is mounted read-only" in n for n in _notices(app)[1:]
                ),
                what="the refusal",
            )
            assert screen_name(app) == "HomeScreen"
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=False)
