"""The app's practice pieces: Home's due count, the Practice screen, History, the report's
link, and timed exams (countdown, warning, zero, pause). Pilot flows and snapshots at
80x24 and 120x40 on the fixed TUI bank, a frozen clock and a fixed seed."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.quiz.model import Answer, QuizLength, QuizRequest
from engine.service.quiz_service import QuizService
from engine.service.storage import open_database
from tests.practice.conftest import TravelClock
from tests.tui.conftest import FROZEN_AT, SIZES
from tests.tui.conftest import fixed_bank as fixed_bank
from tests.tui.conftest import make_app as make_app
from tests.tui.conftest import tui_url as tui_url
from tests.tui.helpers import (
    freeze_cursor,
    home_ready,
    keys_for,
    pilot_test,
    screen_name,
    settle,
    wait_until,
)
from tui.messages import StartQuiz
from tui.widgets.home.practice_panel import PracticePanel


def skipped_quiz(url: str, areas: tuple[str, ...], questions: int, days_ago: float = 2) -> None:
    """A finished quiz of `questions` skipped answers (all missed), `days_ago` before FROZEN_AT."""
    clock = TravelClock(moment=FROZEN_AT - dt.timedelta(days=days_ago))
    opened = open_database(url)
    try:
        service = QuizService(opened.database, clock=clock)
        quiz = service.start_quiz(
            QuizRequest("ada", areas, "exam", QuizLength(preset=None, length=questions), 7)
        )
        while (question := service.next_question(quiz.session_id)) is not None:
            service.submit(question, Answer.skip(), 1000)
    finally:
        opened.database.dispose()


@pytest.fixture
def missed(tui_url: str) -> str:
    skipped_quiz(tui_url, ("math",), 4)
    return tui_url


def _due_text(app) -> str:
    panel = app.screen.query_one(PracticePanel)
    return str(panel.query_one("#practice-body").render())


async def _home(pilot) -> None:
    await home_ready(pilot)
    freeze_cursor(pilot.app)


async def _practice_question(pilot) -> None:
    await home_ready(pilot)
    await pilot.press("p")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "PracticeScreen")
    await wait_until(pilot, lambda: pilot.app.screen.phase == "asking", what="a question")
    await settle(pilot)
    freeze_cursor(pilot.app)


async def _practice_feedback(pilot) -> None:
    await _practice_question(pilot)
    screen = pilot.app.screen
    await pilot.press(*keys_for(screen.shown.question, False))
    await wait_until(pilot, lambda: screen.feedback_ready, what="feedback on screen")
    await settle(pilot)


async def _timed_exam(pilot) -> None:
    await home_ready(pilot)
    pilot.app.post_message(StartQuiz(("math",), "exam", QuizLength(preset=None, length=5), 900))
    await wait_until(pilot, lambda: screen_name(pilot.app) == "QuizScreen")
    await wait_until(pilot, lambda: pilot.app.screen.phase == "asking")
    pilot.app.context.clock.advance(900 - 45)  # 45 seconds left: the calm warning colour
    pilot.app.screen._countdown()
    await settle(pilot)
    pilot.app.clear_notifications()  # the "one minute left" notice times out in real time
    await pilot.pause()
    freeze_cursor(pilot.app)


@pytest.mark.parametrize("size", SIZES)
def test_home_shows_reviews_due_today(snap_compare, make_app, missed, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_home)


@pytest.mark.parametrize("size", SIZES)
def test_practice_screen_asks_a_due_review(snap_compare, make_app, missed, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_practice_question)


@pytest.mark.parametrize("size", SIZES)
def test_practice_screen_explains_and_says_when_it_comes_back(snap_compare, make_app, missed, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_practice_feedback)


@pytest.mark.parametrize("size", SIZES)
def test_timed_exam_shows_the_time_left(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_timed_exam)


@pilot_test
async def test_a_practice_session_from_home_and_back(make_app, missed) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        assert "4 reviews due today" in _due_text(app)
        await pilot.press("p")
        await wait_until(pilot, lambda: screen_name(app) == "PracticeScreen")
        screen = app.screen
        kinds = []
        for number in range(1, 7):
            await wait_until(pilot, lambda: screen.phase in ("asking", "done"), what="question")
            if screen.phase == "done":
                break
            shown = screen.shown
            assert shown.number == number
            kinds.append(shown.kind)
            await pilot.press(*keys_for(shown.question, number % 2 == 0))
            await wait_until(pilot, lambda: screen.phase == "feedback", what="feedback")
            note = screen.query("#comes-back")
            assert bool(note) == (number % 2 == 1 or shown.kind == "review")
            await pilot.press("enter")
        assert kinds[:4] == ["review"] * 4  # every due review first
        assert "new" in kinds[4:]
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        await wait_until(pilot, lambda: "No reviews due today" in _due_text(app), what="count")
        await pilot.press("h")
        await wait_until(pilot, lambda: screen_name(app) == "HistoryScreen")
        await settle(pilot)
        sessions = app.screen.query_one("#practice-sessions")
        assert sessions.row_count == 1
        assert app.screen.query_one("#practice-topics").row_count >= 1


@pilot_test
async def test_the_report_practises_a_topic(make_app, missed) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
        await settle(pilot)
        app.screen.action_practise_topic("linear-algebra")
        await wait_until(pilot, lambda: screen_name(app) == "PracticeScreen")
        screen = app.screen
        await wait_until(pilot, lambda: screen.summary is not None, what="session")
        assert [t.topic for t in screen.summary.topics] == ["linear-algebra"]
        assert screen.summary.topics_reason == "the topics you asked for"


@pilot_test
async def test_a_session_ends_when_its_topics_run_out(make_app) -> None:
    """Three python-core items, none seen: the session ends after three, and says how it went."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        app.action_practice(("python-core",))
        await wait_until(pilot, lambda: screen_name(app) == "PracticeScreen")
        screen = app.screen
        while screen.phase != "done":
            await wait_until(pilot, lambda: screen.phase in ("asking", "done"))
            if screen.phase == "done":
                break
            await pilot.press(*keys_for(screen.shown.question, True), "enter")
            await pilot.pause()
        done = str(screen.query_one("#practice-done").render())
        assert "Practice finished: 3 of 3 answers right (100%)" in done


@pilot_test
async def test_a_timed_exam_warns_once_and_ends_at_zero(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        app.post_message(StartQuiz(("math",), "exam", QuizLength(preset=None, length=10), 120))
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
        screen = app.screen
        await wait_until(pilot, lambda: screen.phase == "asking")
        assert screen.time_left == 120
        await pilot.press(*keys_for(screen.question, True))
        await wait_until(pilot, lambda: screen.phase == "asking" and screen.answered == 1)
        app.context.clock.advance(59)  # 61 s left
        screen._countdown()
        assert not screen._time_warned
        app.context.clock.advance(12)  # 49 s left
        screen._countdown()
        assert screen._time_warned
        assert "0:49" in str(screen.query_one("#elapsed").render())
        app.context.clock.advance(49)
        screen._countdown()
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen", what="the report")
        await settle(pilot)
        title = str(app.screen.query_one("#report-title").render())
        assert "time ran out after 1 question" in title
        assert app.screen.report.time_ran_out


@pilot_test
async def test_a_paused_timed_exam_resumes_with_its_time(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        app.post_message(StartQuiz(("math",), "exam", QuizLength(preset=None, length=10), 600))
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
        screen = app.screen
        await wait_until(pilot, lambda: screen.phase == "asking")
        app.context.clock.advance(100)
        await pilot.press(*keys_for(screen.question, True))
        await wait_until(pilot, lambda: screen.answered == 1 and screen.phase == "asking")
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        await settle(pilot)
        app.context.clock.advance(5000)  # paused time does not count
        await pilot.press("r")
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
        resumed = app.screen
        await wait_until(pilot, lambda: resumed.phase == "asking")
        assert resumed.time_left == pytest.approx(500, abs=1)


@pilot_test
async def test_the_time_choice_is_for_exams(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        from textual.widgets import RadioSet

        form = app.screen.query_one("#new-quiz")
        time_limit = form.query_one("#time-limit", RadioSet)
        assert not form.query_one("#time-row").display  # practice mode: never timed
        form.query_one("#mode", RadioSet).query("RadioButton").last().value = True
        await pilot.pause()
        assert form.query_one("#time-row").display
        time_limit.query("RadioButton")[2].value = True  # 30 min
        await pilot.pause()
        assert app.state.setup.time_limit_s == 1800
        await pilot.press("s")
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
        await wait_until(pilot, lambda: app.screen.phase == "asking")
        assert app.screen.summary.time_limit_s == 1800
        assert "30 min limit" in str(app.screen.query_one("#quiz-title").render())


@pilot_test
async def test_every_key_of_the_practice_screen_runs_its_action(make_app, missed) -> None:
    from tests.tui.test_footer_keys import click_every_key

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _practice_question(pilot)
        asking = await click_every_key(pilot)
        screen = app.screen
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.phase == "feedback", what="feedback")
        await settle(pilot)
        feedback = await click_every_key(pilot)
    assert {"enter", "ctrl+s", "escape", "ctrl+p"} <= set(asking)  # a typed answer: no "?"
    assert {"enter", "escape", "question_mark", "ctrl+p"} <= set(feedback)
