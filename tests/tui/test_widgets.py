"""The answer controls on their own: keys, ticks and inline messages for bad input."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Static

from engine.quiz.model import Answer, Question, ShownOption
from tests.tui.helpers import pilot_test
from tui.widgets.choices import ChoiceList
from tui.widgets.question import QuestionView


def make_question(kind: str, options: tuple[str, ...] = (), unit: str | None = None) -> Question:
    shown = tuple(
        ShownOption(chr(ord("A") + position), index, text)
        for position, (index, text) in enumerate(reversed(list(enumerate(options))))
    )
    return Question(
        session_id=1,
        number=1,
        item_id="x-001",
        version_id=1,
        parameter_set_id=1,
        area="math",
        area_title="Mathematics",
        topic="probability",
        topic_title="Probability",
        type=kind,
        prompt="What is it?",
        options=shown,
        unit=unit,
    )


class Harness(App[None]):
    CSS_PATH: ClassVar[list[str]] = ["../../tui/app.tcss", "../../tui/widgets/widgets.tcss"]

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.answers: list[Answer] = []

    def compose(self) -> ComposeResult:
        yield QuestionView(self.question)

    def on_mount(self) -> None:
        self.query_one(QuestionView).focus_answer()

    def on_question_view_answered(self, event: QuestionView.Answered) -> None:
        self.answers.append(event.answer)


def problem_text(app: Harness) -> str:
    problem = app.query_one("#problem", Static)
    return str(problem.render()) if problem.has_class("-shown") else ""


@pilot_test
async def test_letters_and_numbers_choose_and_enter_answers_with_the_authored_index():
    # Shown order is reversed: A is the authored option 2.
    app = Harness(make_question("single", ("zero", "one", "two")))
    async with app.run_test() as pilot:
        await pilot.press("a", "enter")
        await pilot.press("3", "enter")
        await pilot.press("up", "enter")
    assert app.answers == [Answer(choices=(2,)), Answer(choices=(0,)), Answer(choices=(1,))]


@pilot_test
async def test_several_answers_need_a_tick_then_enter():
    app = Harness(make_question("multiple", ("a", "b", "c", "d")))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert "tick one or more options" in problem_text(app)
        assert app.answers == []
        await pilot.press("a", "down", "space", "c", "c", "enter")
        assert app.query_one(ChoiceList).ticked == {0, 1}
    assert app.answers == [Answer(choices=(2, 3))]


@pilot_test
async def test_true_false_takes_t_and_f():
    app = Harness(make_question("true_false", ("True", "False")))
    async with app.run_test() as pilot:
        await pilot.press("f", "enter")
    assert app.answers == [Answer(value=False)]


@pilot_test
async def test_numeric_answer_refuses_letters_and_empty_input_inline():
    app = Harness(make_question("numeric", unit="ms"))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert "type an answer, or ? to skip" in problem_text(app)
        await pilot.press("a", "b", "enter")
        assert "'ab' is not a number" in problem_text(app)
        await pilot.press("backspace", "backspace")
        assert problem_text(app) == ""
        await pilot.press("1", "/", "2", "enter")
        await pilot.press("ctrl+a", "ctrl+k", "?", "enter")
    assert app.answers == [Answer(text="1/2"), Answer.skip()]


@pilot_test
async def test_text_answer_needs_some_text():
    app = Harness(make_question("text"))
    async with app.run_test() as pilot:
        await pilot.press("space", "enter")
        assert "type an answer" in problem_text(app)
        await pilot.press(*"binomial", "enter")
    assert app.answers == [Answer(text="binomial")]
