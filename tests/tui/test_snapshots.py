"""Every screen at 80x24 and 120x40 on a fixed bank, clock and seed.

Review changes with `pytest tests/tui --snapshot-update` and look at the SVGs
under tests/tui/__snapshots__/ (or the HTML report pytest-textual-snapshot writes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.tui.conftest import FROZEN_AT, SIZES
from tests.tui.fixture_bank import PROBABILITY, write_one_item_math_bank, write_tall_bank
from tests.tui.helpers import (
    fix_times,
    freeze_cursor,
    home_ready,
    keys_for,
    screen_name,
    settle,
    take_quiz,
    wait_until,
)
from tui.backend import Backend, BackendError, StartupResult
from tui.clock import FrozenClock
from tui.preview.app import PreviewApp

HISTORY = [
    [True, False, False, True, False, False, True, False],
    [True, True, False, True, False, True, True, False],
    [True, True, True, True, False, True, True, True, False, True],
]


@pytest.fixture
def with_history(tui_url: str) -> str:
    """Three finished math quizzes and an unfinished one, at fixed dates."""
    # The fixed bank is small, so later quizzes repeat items: the first two are exams (no
    # key shown), so the repeats still count (a repeat whose key was shown would not).
    for number, answers in enumerate(HISTORY):
        take_quiz(tui_url, "ada", ("math",), answers, mode="practice" if number == 2 else "exam")
    take_quiz(tui_url, "ada", ("math", "programming"), [True, False, True], finish=False)
    fix_times(tui_url, FROZEN_AT - dt.timedelta(days=12))
    return tui_url


async def _home(pilot) -> None:
    await home_ready(pilot)


async def _start_quiz(pilot) -> None:
    await home_ready(pilot)
    await pilot.press("down", "space", "s")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "QuizScreen")
    await wait_until(pilot, lambda: pilot.app.screen.phase == "asking")
    await settle(pilot)
    freeze_cursor(pilot.app)


async def _answer_first_wrong(pilot) -> None:
    await _start_quiz(pilot)
    screen = pilot.app.screen
    await pilot.press(*keys_for(screen.question, False))
    await wait_until(pilot, lambda: screen.feedback_ready, what="feedback on screen")
    await settle(pilot)


async def _typed_problem(pilot) -> None:
    await _start_quiz(pilot)
    screen = pilot.app.screen
    while screen.question.type not in ("numeric", "text"):
        await pilot.press(*keys_for(screen.question, True))
        await wait_until(pilot, lambda: screen.phase == "feedback")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.phase == "asking")
    await settle(pilot)
    freeze_cursor(pilot.app)
    await pilot.press("enter")  # nothing typed
    await pilot.pause()


async def _report(pilot) -> None:
    await home_ready(pilot)
    await pilot.press("o")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "ReportScreen")
    await settle(pilot)


async def _review(pilot) -> None:
    await _report(pilot)
    await pilot.press("m", "enter")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "ReviewScreen")
    await settle(pilot)


async def _history(pilot) -> None:
    await home_ready(pilot)
    await pilot.press("h")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "HistoryScreen")
    await settle(pilot)


async def _bank(pilot) -> None:
    await home_ready(pilot)
    await pilot.press("b")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "BankScreen")
    await settle(pilot)
    await pilot.press("down", "down")  # Mathematics
    await pilot.pause()


async def _bank_search(pilot) -> None:
    await _bank(pilot)
    await pilot.press("slash", *"#ind")
    await pilot.pause()
    freeze_cursor(pilot.app)


async def _item_revealed(pilot) -> None:
    await _bank(pilot)
    await pilot.press("tab", "enter")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "ItemPreviewScreen")
    await pilot.press("r")
    await wait_until(pilot, lambda: pilot.app.screen.query("#key"))
    await settle(pilot)
    await pilot.pause(0.05)


async def _help(pilot) -> None:
    await home_ready(pilot)
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "HelpScreen")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_home_new_learner(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_home)


@pytest.mark.parametrize("size", SIZES)
def test_home_returning_learner(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_home)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_question(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_start_quiz)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_feedback(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_answer_first_wrong)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_typed_answer_problem(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_typed_problem)


@pytest.mark.parametrize("size", SIZES)
def test_report(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_report)


@pytest.mark.parametrize("size", SIZES)
def test_review_missed_question(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_review)


@pytest.mark.parametrize("size", SIZES)
def test_history(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_history)


@pytest.mark.parametrize("size", SIZES)
def test_bank_browser(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_bank)


@pytest.mark.parametrize("size", SIZES)
def test_bank_search_by_tag(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_bank_search)


@pytest.mark.parametrize("size", SIZES)
def test_bank_item_revealed(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_item_revealed)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_help)


@pytest.mark.parametrize("size", [(120, 40)], ids=["120x40"])
def test_home_light_theme(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(theme="textual-light"), terminal_size=size, run_before=_home)


class UnreachableDatabase(Backend):
    """A database that cannot be opened, with a message that does not depend on the machine."""

    def open(self) -> StartupResult:
        raise BackendError(
            "cannot open database postgresql+psycopg://team@db.example/skillprobe: connection "
            "refused. Check that it is reachable and that you may write to it"
        )


BANK_PROBLEMS = tuple(
    f"quizzes/math/probability.yaml:{line}:3: [probability-00{n}] {message}"
    for n, (line, message) in enumerate(
        [
            (12, "'answer' must be a number, got 'lots'"),
            (31, "options: at least one option must be correct"),
            (48, "unknown field 'dificulty'; did you mean 'difficulty'?"),
            (60, "prompt is empty"),
        ],
        start=1,
    )
)


class BankWithProblems(Backend):
    """The stored bank loads, but the files on disk have problems and were not imported."""

    def open(self) -> StartupResult:
        super().open()
        return StartupResult(problems=BANK_PROBLEMS)


async def _learner_dialog(pilot) -> None:
    await home_ready(pilot)
    await pilot.press("l")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "LearnerScreen")
    await settle(pilot)
    freeze_cursor(pilot.app)
    await pilot.pause()


async def _home_failed(pilot) -> None:
    await wait_until(pilot, lambda: not pilot.app.state.loading, what="the failure")
    await settle(pilot)


async def _exam_finished(pilot) -> None:
    """A ten-question exam answered right and wrong in turn, ending on its report."""
    await home_ready(pilot)
    await pilot.press("down", "space", "tab", "down", "enter", "s")  # math, exam
    app = pilot.app
    await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
    screen = app.screen
    for number in range(1, 11):
        await wait_until(pilot, lambda: screen.phase == "asking", what=f"question {number}")
        await pilot.press(*keys_for(screen.question, number % 2 == 1))
        await wait_until(pilot, lambda: screen.phase != "sending", what=f"answer {number}")
    await wait_until(pilot, lambda: screen_name(app) == "ReportScreen")
    await settle(pilot)
    # The store stamps the real time: fix it, and read the report again.
    fix_times(app.backend.database_url, FROZEN_AT - dt.timedelta(minutes=15))
    app.screen.load_report()
    await settle(pilot)


async def _precision_progress(pilot) -> None:
    """A standard quiz (a precision target per area) three answers in."""
    await home_ready(pilot)
    await pilot.press("down", "space", "tab", "tab", "down", "down", "enter", "s")
    app = pilot.app
    await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
    screen = app.screen
    for right in (True, True, False):
        await wait_until(pilot, lambda: screen.phase == "asking")
        await pilot.press(*keys_for(screen.question, right), "enter")
    await wait_until(pilot, lambda: screen.phase == "asking")
    await settle(pilot)
    freeze_cursor(app)


@pytest.mark.parametrize("size", SIZES)
def test_learner_dialog(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_learner_dialog)


@pytest.mark.parametrize("size", SIZES)
def test_home_database_error(snap_compare, make_app, size):
    app = make_app(backend=UnreachableDatabase())
    assert snap_compare(app, terminal_size=size, run_before=_home_failed)


@pytest.mark.parametrize("size", SIZES)
def test_home_bank_problems(snap_compare, make_app, tui_url, fixed_bank, size):
    app = make_app(backend=BankWithProblems(tui_url, bank_path=fixed_bank, seed=7))
    assert snap_compare(app, terminal_size=size, run_before=_home)


@pytest.mark.parametrize("size", SIZES)
def test_exam_finished(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_exam_finished)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_precision_progress(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_precision_progress)


BROKEN_TOPIC = PROBABILITY.replace("  answer: 3.5\n", "  answer: three and a half\n", 1)


def _preview_file(tmp_path: Path) -> Path:
    from tests.tui.fixture_bank import write_fixed_bank

    root = write_fixed_bank(tmp_path / "authoring")
    path = root / "math" / "probability.yaml"
    path.write_text(BROKEN_TOPIC, encoding="utf-8")
    return path


async def _preview_ready(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.screen.preview is not None, what="preview")
    await settle(pilot)


async def _preview_error(pilot) -> None:
    await _preview_ready(pilot)
    await pilot.press("down")  # the second entry: the broken item's problem
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_author_preview(snap_compare, tmp_path, size):
    app = PreviewApp(_preview_file(tmp_path), clock=FrozenClock(FROZEN_AT), poll_interval=60)
    assert snap_compare(app, terminal_size=size, run_before=_preview_ready)


@pytest.mark.parametrize("size", SIZES)
def test_author_preview_problem(snap_compare, tmp_path, size):
    app = PreviewApp(_preview_file(tmp_path), clock=FrozenClock(FROZEN_AT), poll_interval=60)
    assert snap_compare(app, terminal_size=size, run_before=_preview_error)


# -- issue #16: the states it asked for, at both sizes ----------------------------------


async def _unfinished_dialog(pilot) -> None:
    """`s` with an unfinished quiz: Resume it, or start a new one."""
    await home_ready(pilot)
    await pilot.press("s")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "UnfinishedQuizScreen")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_unfinished_quiz_dialog(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_unfinished_dialog)


def _one_item_app(make_app, tmp_path):
    bank = write_one_item_math_bank(tmp_path / "one-item")
    return make_app(url=f"sqlite:///{tmp_path / 'one-item.db'}", bank_path=bank)


async def _bank_smaller_than_length(pilot) -> None:
    await home_ready(pilot)
    await pilot.press("down", "space")  # Mathematics has one question; 10 are chosen
    # The start-up toasts name the test's temporary database path: not what is checked here.
    pilot.app.clear_notifications()
    await settle(pilot)


async def _several_answer_feedback(pilot) -> None:
    """Tick C (wrong) and A (right): every option marked, in screen order; the last question."""
    await _bank_smaller_than_length(pilot)
    await pilot.press("s")
    app = pilot.app
    await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
    await wait_until(pilot, lambda: app.screen.phase == "asking")
    await pilot.press("c", "a", "enter")
    await wait_until(pilot, lambda: app.screen.feedback_ready, what="feedback")
    await settle(pilot)


async def _bank_ran_out_report(pilot) -> None:
    await _several_answer_feedback(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "ReportScreen")
    await settle(pilot)
    fix_times(pilot.app.backend.database_url, FROZEN_AT - dt.timedelta(minutes=15))
    pilot.app.screen.load_report()
    await settle(pilot)


async def _several_answer_review(pilot) -> None:
    await _bank_ran_out_report(pilot)
    await pilot.press("m", "enter")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "ReviewScreen")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_home_bank_smaller_than_length(snap_compare, make_app, tmp_path, size):
    app = _one_item_app(make_app, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_bank_smaller_than_length)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_several_answer_feedback(snap_compare, make_app, tmp_path, size):
    app = _one_item_app(make_app, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_several_answer_feedback)


@pytest.mark.parametrize("size", SIZES)
def test_report_when_the_bank_ran_out(snap_compare, make_app, tmp_path, size):
    app = _one_item_app(make_app, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_bank_ran_out_report)


@pytest.mark.parametrize("size", SIZES)
def test_review_several_answer_options(snap_compare, make_app, tmp_path, size):
    app = _one_item_app(make_app, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_several_answer_review)


def _tall_app(make_app, tmp_path):
    bank = write_tall_bank(tmp_path / "tall")
    return make_app(url=f"sqlite:///{tmp_path / 'tall.db'}", bank_path=bank)


async def _tall_quiz(pilot, area_keys: tuple[str, ...]) -> None:
    await home_ready(pilot)
    await pilot.press(*area_keys, "space", "s")
    app = pilot.app
    await wait_until(pilot, lambda: screen_name(app) == "QuizScreen")
    await wait_until(pilot, lambda: app.screen.phase == "asking")
    await settle(pilot)


async def _code_question_last_option(pilot) -> None:
    """A code question taller than the screen: ↓ to D brings D into view; code wraps."""
    await _tall_quiz(pilot, ())
    await pilot.press("down", "down", "down")
    await settle(pilot)


async def _numeric_typed(pilot) -> None:
    """A numeric question whose box starts below the screen: typing brings it into view."""
    await _tall_quiz(pilot, ("down",))
    await pilot.press("0", ".", "5")
    await settle(pilot)
    freeze_cursor(pilot.app)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_long_code_question_highlight_in_view(snap_compare, make_app, tmp_path, size):
    app = _tall_app(make_app, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_code_question_last_option)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_numeric_box_in_view_while_typing(snap_compare, make_app, tmp_path, size):
    app = _tall_app(make_app, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_numeric_typed)


async def _report_numbers(pilot) -> None:
    await _report(pilot)
    await pilot.press("d")
    await settle(pilot)


async def _item_numbers(pilot) -> None:
    await _bank(pilot)
    await pilot.press("tab", "enter")
    await wait_until(pilot, lambda: screen_name(pilot.app) == "ItemPreviewScreen")
    await pilot.press("i")
    await settle(pilot)


async def _history_numbers(pilot) -> None:
    await _history(pilot)
    await pilot.press("d")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_report_numbers_on_demand(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_report_numbers)


@pytest.mark.parametrize("size", SIZES)
def test_bank_item_numbers_on_demand(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_item_numbers)


@pytest.mark.parametrize("size", SIZES)
def test_history_numbers_on_demand(snap_compare, make_app, with_history, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_history_numbers)
