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
from tui.widgets.prompt import PromptMarkdown

CHOICE_TYPES = ("single", "multiple", "true_false")
FEEDBACK_SELECTOR = "FeedbackPanel"


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

    @dataclass
    class Shown(Message):
        """The question's prompt is rendered (after mounting, or after `show`)."""

        view: QuestionView
        question: Question

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
        self.frozen = False

    def compose(self) -> ComposeResult:
        question = self.question
        yield Static(self.heading, classes="question-heading", markup=False)
        yield PromptMarkdown(question.prompt, classes="question-prompt", open_links=False)
        yield Label(answer_hint(question), classes="answer-hint")
        choices = ChoiceList(question, id="choices")
        choices.display = question.type in CHOICE_TYPES
        yield choices
        with Horizontal(classes="answer-row") as row:
            row.display = question.type not in CHOICE_TYPES
            yield Input(id="answer-input", select_on_focus=False)
            yield Label("", classes="answer-unit")
        yield Static("", id="problem", classes="problem", markup=False)

    def on_mount(self) -> None:
        self._show_typed_control(self.question)
        self.query_one(".question-heading").display = bool(self.heading)

    def show(self, question: Question, heading: str = "") -> None:
        """Show the next question in the same widgets: quicker than mounting new ones."""
        self.question = question
        self.heading = heading
        for panel in self.query(FEEDBACK_SELECTOR):
            panel.remove()
        self.query_one(".question-heading", Static).update(heading)
        self.query_one(".question-heading").display = bool(heading)
        self.query_one(".question-prompt", PromptMarkdown).update(question.prompt)
        self.query_one(".answer-hint", Label).update(answer_hint(question))
        self.frozen = False
        choices = self.query_one(ChoiceList)
        choices.locked = False
        choices.display = question.type in CHOICE_TYPES
        if choices.display:
            choices.show(question)
        self.query_one(".answer-row").display = not choices.display
        self._show_typed_control(question)
        self.clear_problem()

    def _show_typed_control(self, question: Question) -> None:
        answer = self.query_one("#answer-input", Input)
        with answer.prevent(Input.Changed):
            answer.value = ""
        answer.placeholder = "a number" if question.type == "numeric" else "your answer"
        unit = self.query_one(".answer-unit", Label)
        unit.update(question.unit or "")
        unit.display = bool(question.unit)

    def _control(self) -> ChoiceList | Input:
        if self.question.type in CHOICE_TYPES:
            return self.query_one(ChoiceList)
        return self.query_one("#answer-input", Input)

    @on(Markdown.TableOfContentsUpdated, ".question-prompt")
    def _prompt_rendered(self, event: Markdown.TableOfContentsUpdated) -> None:
        event.stop()
        self.post_message(self.Shown(self, self.question))

    def focus_answer(self) -> None:
        """Focus the answer control; if it is not composed yet (just mounted), once it is."""
        if not self.query("#answer-input"):
            self.call_after_refresh(self.focus_answer)
            return
        self._control().focus()

    def freeze(self) -> None:
        """No more answers: the control stays visible but takes no more input.

        A flag, not `disabled` or a CSS class: those restyle the view twice per
        question, too slow for the next question to appear within a frame or two.
        """
        self.frozen = True
        self.query_one(ChoiceList).locked = True

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
        if self.frozen:
            return
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
        if self.frozen:
            return
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
        if self.frozen:
            return
        self.clear_problem()
        self.post_message(self.Answered(self, self.question, Answer.skip()))
