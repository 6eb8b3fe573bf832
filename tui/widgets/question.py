"""A question as the learner sees it: where it comes from, the prompt, and the answer control."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Markdown, Static

from engine.quiz.answer_input import MAX_ANSWER_LENGTH, InputProblem, parse_answer
from engine.quiz.model import Answer, Question
from tui.text import literal
from tui.widgets.choices import ChoiceList
from tui.widgets.prompt import PromptMarkdown

CHOICE_TYPES = ("single", "multiple", "true_false")
FEEDBACK_SELECTOR = "FeedbackPanel"


def answer_hint(question: Question) -> str:
    count = len(question.options)
    letters = f"A-{question.options[-1].label}" if question.options else "A"
    if question.type == "single":
        return f"Choose one: {letters} or 1-{count}, or ↑↓; Enter answers"
    if question.type == "multiple":
        return f"Choose all that apply: tick with {letters} or ↑↓ and Space; Enter answers"
    if question.type == "true_false":
        return "True or false: T / F (or ↑↓); Enter answers"
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
        focus_on_mount: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.question = question
        self.heading = heading
        self.frozen = False
        self.focus_on_mount = focus_on_mount

    def compose(self) -> ComposeResult:
        question = self.question
        yield Static(literal(self.heading), classes="question-heading", markup=False)
        yield PromptMarkdown(question.prompt, classes="question-prompt")
        yield Label(answer_hint(question), classes="answer-hint", markup=False)
        choices = ChoiceList(question, id="choices")
        choices.display = question.type in CHOICE_TYPES
        yield choices
        with Horizontal(classes="answer-row") as row:
            row.display = question.type not in CHOICE_TYPES
            yield Input(id="answer-input", select_on_focus=False, max_length=MAX_ANSWER_LENGTH)
            yield Label("", classes="answer-unit", markup=False)
        yield Static("", id="problem", classes="problem", markup=False)

    def on_mount(self) -> None:
        self._show_typed_control(self.question)
        self.query_one(".question-heading").display = bool(self.heading)
        if self.focus_on_mount:
            self.focus_answer()

    def show(self, question: Question, heading: str = "") -> None:
        """Show the next question in the same widgets: quicker than mounting new ones."""
        self.question = question
        self.heading = heading
        for panel in self.query(FEEDBACK_SELECTOR):
            panel.remove()
        self.query_one(".question-heading", Static).update(literal(heading))
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
        unit.update(literal(question.unit or ""))
        unit.display = bool(question.unit)

    def _control(self) -> ChoiceList | Input | None:
        """The answer control, or None before the view is composed."""
        if self.question.type in CHOICE_TYPES:
            return next(iter(self.query(ChoiceList)), None)
        return next(iter(self.query("#answer-input").results(Input)), None)

    @on(Markdown.TableOfContentsUpdated, ".question-prompt")
    def _prompt_rendered(self, event: Markdown.TableOfContentsUpdated) -> None:
        event.stop()
        self.post_message(self.Shown(self, self.question))

    def focus_answer(self) -> None:
        """Focus the answer control; if it is not composed yet (just mounted), once it is."""
        control = self._control()
        if control is not None:
            control.focus()
        elif self.is_mounted:
            self.call_after_refresh(self.focus_answer)

    def freeze(self) -> None:
        """No more answers: the control stays visible but takes no more input.

        A flag, not `disabled` or a CSS class: those restyle the view twice per
        question, too slow for the next question to appear within a frame or two.
        """
        self.frozen = True
        self.query_one(ChoiceList).locked = True

    def thaw(self) -> None:
        """Take answers again (the last one was not saved, and may be given again)."""
        self.frozen = False
        self.query_one(ChoiceList).locked = False

    def show_problem(self, message: str) -> None:
        problem = self.query_one("#problem", Static)
        problem.update(literal(f"⚠ {message}"))
        problem.add_class("-shown")
        self.call_after_refresh(problem.scroll_visible, animate=False)

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
        # Typing shows what is typed: the box comes into view if the question scrolled it away.
        event.input.scroll_visible(animate=False)

    def skip(self) -> None:
        if self.frozen:
            return
        self.clear_problem()
        self.post_message(self.Answered(self, self.question, Answer.skip()))
