"""The whole journey from the keyboard with Pilot: start, answer, feedback, report, history."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from engine.quiz.marking import SKIPPED_TEXT
from engine.report.readiness import ReviewEntry
from engine.service.quiz_service import QuizService
from engine.service.storage import open_database
from tests.tui.fixture_bank import write_one_item_math_bank
from tests.tui.helpers import (
    home_ready,
    keys_for,
    pilot_test,
    screen_name,
    settle,
    take_quiz,
    wait_until,
)
from tui.widgets.feedback import FeedbackPanel, OptionMarkRow
from tui.widgets.picklist import Menu, TickList
from tui.widgets.question import QuestionView


async def start_math_quiz(pilot, *, mode_keys=(), length_keys=()) -> None:
    """From Home: tick Mathematics, optionally change mode/length, press s."""
    app = pilot.app
    await home_ready(pilot)
    assert app.focused is app.screen.query_one("#areas", TickList)
    await pilot.press("down", "space")  # Programming is first, Mathematics second
    assert app.state.setup.areas == ("math",)
    if mode_keys or length_keys:
        await pilot.press("tab", *mode_keys, "tab", *length_keys)
    await pilot.press("s")
    await wait_until(pilot, lambda: screen_name(app) == "QuizScreen", what="quiz screen")
    await wait_until(pilot, lambda: app.screen.phase == "asking", what="first question")


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def answer(pilot, right: bool) -> None:
    app = pilot.app
    screen = app.screen
    await pilot.press(*keys_for(screen.question, right))
    await wait_until(pilot, lambda: screen.phase != "sending", what="answer stored")


@pilot_test
async def test_new_learner_takes_a_ten_question_practice_quiz_and_reads_the_report(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start_math_quiz(pilot)
        assert "Practice quiz" in text_of(app, "#quiz-title")
        pattern = [True, False, True, True, False, True, False, True, True, False]
        for number, right in enumerate(pattern, start=1):
            screen = app.screen
            assert screen.question.number == number
            assert screen.question.area == "math"
            await answer(pilot, right)
            # Practice mode: feedback shows after the answer is stored.
            panel = screen.query_one(FeedbackPanel)
            assert panel.has_class("-correct" if right else "-wrong")
            if not right and screen.question.type in ("single", "multiple"):
                # Every option, in screen order, marked chosen / correct.
                rows = panel.query(OptionMarkRow)
                assert [row.option.label for row in rows] == [
                    option.label for option in screen.question.options
                ]
                assert any(row.option.chosen and not row.option.correct for row in rows)
            elif not right:
                assert "Right answer" in str(panel.query_one(".right-answer", Static).render())
            assert screen.answered == number
            await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen", what="report")
        await settle(pilot)
        report = app.screen.report
        assert report is not None and report.answered == 10 and report.correct == 6
        assert "Quiz complete" in text_of(app, "#report-title")
        assert [card.area.area for card in app.screen.query("AreaCard")] == ["math"]
        # Open a missed question: the question, both answers and the explanation.
        await pilot.press("m")
        review = app.screen.query_one("#review-list", Menu)
        assert review.count == 4
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(app) == "ReviewScreen")
        assert app.screen.query(".right-answer") or app.screen.query(OptionMarkRow)
        await pilot.press("n", "escape")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
        # History lists the quiz and draws the trend.
        await pilot.press("h")
        await wait_until(pilot, lambda: screen_name(app) == "HistoryScreen")
        await settle(pilot)
        table = app.screen.query_one("#quizzes", DataTable)
        assert table.row_count == 1
        assert app.screen.query("Sparkline")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
        # Back: report -> history -> the finished quiz's report -> Home.
        await pilot.press("escape", "escape", "escape")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        await settle(pilot)
        # Home now shows the last report.
        assert "Mathematics" in text_of(app, "#last-report-body")


@pilot_test
async def test_pausing_keeps_answers_and_resume_carries_on(make_app, tui_url):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start_math_quiz(pilot)
        first_items = []
        for _ in range(3):
            first_items.append(app.screen.question.item_id)
            await answer(pilot, True)
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen.phase == "asking")
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        await settle(pilot)
        # Saved before the pause: the database already has the three answers.
        opened = open_database(tui_url)
        unfinished = QuizService(opened.database).unfinished_quiz("ada")
        opened.database.dispose()
        assert unfinished is not None and unfinished.answered == 3
        banner = app.screen.query_one("#resume-banner", Static)
        assert banner.has_class("-shown")
        assert "3 answered" in str(banner.render())
        await pilot.press("r")
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
        await wait_until(pilot, lambda: app.screen.phase == "asking")
        assert app.screen.question.number == 4
        assert app.screen.question.item_id not in first_items


@pilot_test
async def test_quitting_mid_quiz_says_answers_are_saved_and_a_new_run_resumes(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_math_quiz(pilot)
        await answer(pilot, False)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.phase == "asking")
        await answer(pilot, True)  # answered, feedback showing: quit now
        await pilot.press("ctrl+q")
    assert app.return_value is not None
    assert "your answers are saved; resume from Home" in app.return_value

    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        assert [quiz.answered for quiz in again.state.home.unfinished] == [2]
        await pilot.press("r")
        await wait_until(pilot, lambda: screen_name(again) == "QuizScreen")
        await wait_until(pilot, lambda: again.screen.phase == "asking")
        assert again.screen.question.number == 3


@pilot_test
async def test_exam_mode_shows_no_feedback_and_ends_on_the_report(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start_math_quiz(pilot, mode_keys=("down", "enter"))
        assert "Exam quiz" in text_of(app, "#quiz-title")
        for number in range(1, 11):
            assert app.screen.question.number == number
            screen = app.screen
            await answer(pilot, number % 2 == 0)
            assert not screen.query(FeedbackPanel)
            if number < 10:
                await wait_until(pilot, lambda: app.screen.phase == "asking")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
        await settle(pilot)
        assert app.screen.report.mode == "exam"
        assert app.screen.report.answered == 10


def stored_answers(url: str, quiz_id: int) -> list[ReviewEntry]:
    """What the database holds for the quiz, read back through the service."""
    opened = open_database(url)
    try:
        return list(QuizService(opened.database).report(quiz_id).answers)
    finally:
        opened.database.dispose()


@pilot_test
async def test_skip_key_records_i_dont_know(make_app, tui_url):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start_math_quiz(pilot)
        screen = app.screen
        asked = screen.question
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.phase == "feedback")
        assert screen.query_one(FeedbackPanel).has_class("-skipped")
        quiz_id = screen.quiz_id
    # Stored before the feedback showed: a skip, counted as not known.
    (stored,) = stored_answers(tui_url, quiz_id)
    assert stored.item_id == asked.item_id
    assert stored.skipped and not stored.correct
    assert stored.your_answer == SKIPPED_TEXT


@pilot_test
async def test_bad_typed_answers_are_explained_inline_and_not_recorded(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start_math_quiz(pilot)
        # Skip ahead to a question that takes a number.
        for _ in range(10):
            if app.screen.question.type == "numeric":
                break
            await answer(pilot, True)
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen.phase == "asking")
        question = app.screen.question
        assert question.type == "numeric"
        answered = app.screen.answered
        view = app.screen.query_one(QuestionView)
        problem = view.query_one("#problem", Static)
        await pilot.press("a", "b", "c", "enter")
        assert problem.has_class("-shown")
        assert "is not a number" in str(problem.render())
        for _ in range(3):
            await pilot.press("backspace")
        assert not problem.has_class("-shown")  # editing clears the message
        await pilot.press("enter")
        assert "type an answer" in str(problem.render())
        await settle(pilot)
        assert app.screen.phase == "asking" and app.screen.answered == answered
        assert app.screen.question == question
        assert app.focused is view.query_one("#answer-input", Input)


@pilot_test
async def test_several_answer_question_needs_a_tick_and_stores_the_ticked_options(
    make_app, tmp_path
):
    bank = write_one_item_math_bank(tmp_path / "one-item")
    url = f"sqlite:///{tmp_path / 'one-item.db'}"
    app = make_app(url=url, bank_path=bank)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_math_quiz(pilot)
        screen = app.screen
        assert screen.question.item_id == "probability-005"
        assert screen.question.type == "multiple"
        await pilot.press("enter")  # nothing ticked
        problem = screen.query_one("#problem", Static)
        assert "tick one or more" in str(problem.render())
        await settle(pilot)
        assert screen.phase == "asking" and screen.answered == 0  # refused, not recorded
        await pilot.press("a", "b", "enter")  # tick 0 and 0.5
        await wait_until(pilot, lambda: screen.phase == "feedback", what="feedback")
        assert screen.query_one(FeedbackPanel).has_class("-correct")
        quiz_id = screen.quiz_id
    (stored,) = stored_answers(url, quiz_id)
    assert stored.correct and not stored.skipped
    assert stored.your_answer == "0; 0.5"


@pilot_test
async def test_changing_the_learner_reloads_home(make_app, tui_url):
    take_quiz(tui_url, "ada", ("math",), [True, False, True, True])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        assert app.state.home.last_report is not None
        await pilot.press("l")
        await wait_until(pilot, lambda: screen_name(app) == "LearnerScreen")
        await pilot.press("ctrl+a", "ctrl+k", *"grace", "enter")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        await home_ready(pilot)
        assert app.state.learner == "grace"
        assert app.state.home.last_report is None
        assert "No finished quiz yet" in text_of(app, "#last-report-body")
