"""A question as the learner sees it: where it comes from, the prompt, and the answer control."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Markdown, Static

from engine.quiz.answer_input import InputProblem, parse_answer
from engine.quiz.model import Answer, Question
from tui.widgets.choices import ChoiceList

CHOICE_TYPES = ("single", "multiple", "true_false")


def answer_hint(question: Question) -> str:
    count = len(question.options)
    letters = f"A-{question.options[-1].label}" if question.options else "A"
    if question.type == "single":
        return f"Choose one: {letters} or 1-{count}, or arrows; Enter answers"
    if question.type == "multiple":
        return f"Choose all that apply: tick with Space or {letters}; Enter answers"
    if question.type == "true_false":
        return "True or false: T / F (or arrows); Enter answers"
    if question.type == "numeric":
        return "Type a number (0.5, .5, 1/2 or 5e-1) and press Enter; ? skips"
    return "Type a short answer and press Enter; ? skips"


class QuestionView(Vertical):
    """Posts `Answered` once the learner gives an answer the question can take.

    Bad input (letters in a numeric answer, an empty answer, no option ticked)
    is explained inline under the control and never leaves this widget.
    """

    @dataclass
    class Answered(Message):
        view: QuestionView
        question: Question
        answer: Answer

    def __init__(
        self,
        question: Question,
        *,
        heading: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.question = question
        self.heading = heading

    def compose(self) -> ComposeResult:
        question = self.question
        if self.heading:
            yield Static(self.heading, classes="question-heading", markup=False)
        yield Markdown(question.prompt, classes="question-prompt", open_links=False)
        yield Label(answer_hint(question), classes="answer-hint")
        if question.type in CHOICE_TYPES:
            yield ChoiceList(question, id="choices")
        else:
            with Horizontal(classes="answer-row"):
                yield Input(
                    placeholder="a number" if question.type == "numeric" else "your answer",
                    id="answer-input",
                    select_on_focus=False,
                )
                if question.unit:
                    yield Label(question.unit, classes="answer-unit")
        yield Static("", id="problem", classes="problem", markup=False)

    def focus_answer(self) -> None:
        control = self.query("#choices, #answer-input")
        if control:
            control.first().focus()

    def freeze(self) -> None:
        """No more answers: the control stays visible but cannot change."""
        for control in self.query("#choices, #answer-input"):
            control.disabled = True

    def show_problem(self, message: str) -> None:
        problem = self.query_one("#problem", Static)
        problem.update(f"⚠ {message}")
        problem.add_class("-shown")

    def clear_problem(self) -> None:
        problem = self.query_one("#problem", Static)
        problem.update("")
        problem.remove_class("-shown")

    @on(ChoiceList.Chosen)
    def _chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        question = self.question
        if question.type == "true_false":
            answer = Answer(value=event.positions[0] == 0)
        else:
            answer = Answer(
                choices=tuple(sorted(question.options[p].index for p in event.positions))
            )
        self.clear_problem()
        self.post_message(self.Answered(self, question, answer))

    @on(ChoiceList.Problem)
    def _choice_problem(self, event: ChoiceList.Problem) -> None:
        event.stop()
        self.show_problem(event.message)

    @on(Input.Submitted, "#answer-input")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        parsed = parse_answer(self.question, event.value)
        if isinstance(parsed, InputProblem):
            self.show_problem(parsed.message)
            return
        self.clear_problem()
        self.post_message(self.Answered(self, self.question, parsed))

    @on(Input.Changed, "#answer-input")
    def _editing(self, event: Input.Changed) -> None:
        event.stop()
        self.clear_problem()

    def skip(self) -> None:
        self.clear_problem()
        self.post_message(self.Answered(self, self.question, Answer.skip()))
