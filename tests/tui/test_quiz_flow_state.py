"""Flow, state and plain words (issue #16, items 1, 6-9 and 11), each as a user reproduces it.

1. Home → r → Ctrl+P "resume" → Enter crashed with NoMatches: a second screen
   was opened on the quiz already open.
6. `s` with an unfinished quiz started a second one without a word; the
   learner could be changed mid-quiz while answers went to the first name.
7. A toast from Home covered option D; the last question said "next
   question"; a bank smaller than the length chosen stopped without a word.
8. Several-answer feedback was a ";"-joined list, in another order, unmarked.
9. Jargon ("SE 0.96", "a 1.00 b -2.00 c 0.25"), topic ids, "(provisional)".
11. Ticked and unticked areas, chosen and other radios looked alike but for colour.
"""

from __future__ import annotations

import re

from textual.command import CommandPalette

from tests.tui.fixture_bank import write_one_item_math_bank
from tests.tui.helpers import (
    home_ready,
    keys_for,
    pilot_test,
    screen_name,
    screen_text,
    settle,
    take_quiz,
    wait_until,
)
from tests.tui.test_flow import start_math_quiz
from tui.screens.base import QuizHolder
from tui.widgets.feedback import FeedbackPanel, OptionMarkRow
from tui.widgets.keybar import KeyBar


async def _palette(pilot, command: str) -> str:
    """Ctrl+P, type the command, Enter, as a user would; what the palette offered.

    A command the palette does not offer leaves it open: Esc closes it.
    """
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*command)
    await pilot.pause(0.5)  # the palette searches in the background
    offered = screen_text(pilot.app)
    await pilot.press("enter")
    await pilot.pause(0.2)
    if isinstance(pilot.app.screen, CommandPalette):
        await pilot.press("escape")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))
    await settle(pilot)
    return offered


def _quiz_screens(app) -> int:
    return sum(isinstance(screen, QuizHolder) for screen in app.screen_stack)


@pilot_test
async def test_resume_from_the_palette_during_a_quiz_keeps_the_one_quiz_open(make_app, tui_url):
    take_quiz(tui_url, "ada", ("math",), [True, False], finish=False, length=10)
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await home_ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
        await wait_until(pilot, lambda: app.screen.phase == "asking")
        assert "Resume quiz" not in await _palette(pilot, "resume quiz")
        assert "Change learner" not in await _palette(pilot, "learner")
        assert _quiz_screens(app) == 1 and screen_name(app) == "QuizScreen"
        assert app.is_running and app.sub_title == "ada"
        app.action_resume()  # the action itself refuses, whatever calls it
        app.action_learner()
        await settle(pilot)
        assert _quiz_screens(app) == 1 and screen_name(app) == "QuizScreen"
        assert "pause it (Esc) before you" in screen_text(app)
        await pilot.press(*keys_for(app.screen.question, True))  # and the quiz goes on
        await wait_until(pilot, lambda: app.screen.phase == "feedback")


@pilot_test
async def test_starting_with_unfinished_quizzes_asks_and_lists_them_all(make_app, tui_url):
    for answers in ([True], [True, False]):
        take_quiz(tui_url, "ada", ("math",), answers, finish=False, length=10)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        banner = screen_text(app)
        assert "2 unfinished quizzes" in banner
        assert "2 answered" in banner and "1 answered" in banner
        await pilot.press("s")
        await wait_until(pilot, lambda: screen_name(app) == "UnfinishedQuizScreen")
        await settle(pilot)
        dialog = screen_text(app)
        assert dialog.count("Resume Mathematics") == 2 and "Start a new quiz" in dialog
        await pilot.press("escape")  # cancel: nothing started
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        assert len(app.state.home.unfinished) == 2
        await pilot.press("s")
        await wait_until(pilot, lambda: screen_name(app) == "UnfinishedQuizScreen")
        await pilot.press("down", "down", "enter")  # Start a new quiz
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
        await wait_until(pilot, lambda: app.screen.phase == "asking")
        assert app.screen.question.number == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        await home_ready(pilot)
        assert len(app.state.home.unfinished) == 3  # the new one is unfinished too
        await pilot.press("r")  # several: r asks which, and offers no new quiz
        await wait_until(pilot, lambda: screen_name(app) == "UnfinishedQuizScreen")
        await settle(pilot)
        assert "Start a new quiz" not in screen_text(app)
        await pilot.press("enter")  # the newest
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")


@pilot_test
async def test_a_toast_from_home_does_not_follow_into_the_quiz(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await home_ready(pilot)
        app.notify("A notice raised on Home", timeout=60)
        await settle(pilot)
        assert "A notice raised on Home" in screen_text(app)
        await start_math_quiz(pilot)
        await settle(pilot)
        assert "A notice raised on Home" not in screen_text(app)


@pilot_test
async def test_one_item_bank_several_answers_last_question_and_a_word_when_it_runs_out(
    make_app, tmp_path
):
    bank = write_one_item_math_bank(tmp_path / "one-item")
    app = make_app(url=f"sqlite:///{tmp_path / 'one-item.db'}", bank_path=bank)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await pilot.press("down", "space")  # Mathematics: one question, 10 chosen
        await settle(pilot)
        warning = app.screen.query_one("#length-warning")
        assert warning.display
        assert "The bank has only 1 question for Mathematics" in str(warning.render())
        await pilot.press("s")
        await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
        await wait_until(pilot, lambda: app.screen.phase == "asking")
        screen = app.screen
        assert "Question 1 of 1 " in screen_text(app)  # not "of 10": the bank has one
        # Options are shown in screen order A-D; tick C (wrong) and A (right).
        await pilot.press("c", "a", "enter")
        await wait_until(pilot, lambda: screen.feedback_ready, what="feedback")
        await settle(pilot)
        rows = list(screen.query_one(FeedbackPanel).query(OptionMarkRow))
        assert [row.option.label for row in rows] == ["A", "B", "C", "D"]
        marks = [(row.option.chosen, row.option.correct) for row in rows]
        assert marks == [(True, True), (False, True), (True, False), (False, False)]
        text = screen_text(app)
        assert "A [x] ✓ 0" in text and "B [ ] ✓ 0.5" in text and "C [x] ✗ 1.5" in text
        assert "Probabilities never exceed 1." in text
        # The last question: the key bar says where Enter goes.
        hints = [hint.description for hint in screen.query_one(KeyBar).shown]
        assert "see your report" in hints and "next question" not in hints
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
        await settle(pilot)
        note = str(app.screen.query_one("#report-note").render())
        assert "the quiz stopped after 1 of the 10 questions chosen" in " ".join(note.split())
        # The missed question shows its options too.
        await pilot.press("m", "enter")
        await wait_until(pilot, lambda: screen_name(app) == "ReviewScreen")
        await settle(pilot)
        assert "C [x] ✗ 1.5" in screen_text(app)


@pilot_test
async def test_plain_words_topic_titles_and_numbers_on_demand(make_app, tui_url):
    take_quiz(tui_url, "ada", ("math",), [True, False, False, True, False, True, False, False])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await home_ready(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
        await settle(pilot)
        text = screen_text(app)
        assert "(provisional)" not in text
        assert "SE " not in text and "estimate " not in text  # numbers only on demand
        assert "%)" in text  # the level named, with its model-based chance
        assert "every topic went about as well" not in text
        await pilot.press("d")
        await settle(pilot)
        assert "standard error" in screen_text(app)
        await pilot.press("m")
        await settle(pilot)
        assert "Probability" in screen_text(app) and "probability  " not in screen_text(app)
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: screen_name(app) == "HomeScreen")
        await start_math_quiz(pilot)
        text = screen_text(app)
        assert "precision" in text and re.search(r"±\d\.\d", text), text
        assert " SE " not in text and "✓ done" not in text


@pilot_test
async def test_selection_state_reads_without_colour(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await pilot.press("down", "space")
        await settle(pilot)
        text = screen_text(app)
        assert "[ ] Programming" in text and "▶ [x] Mathematics" in text
        assert "(•) Practice" in text and "( ) Exam" in text
        assert "(•) 10 questions" in text and "( ) Quick" in text
