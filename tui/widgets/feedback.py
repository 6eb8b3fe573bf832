"""Practice-mode feedback, and the revealed answer in previews.

For a choice question every option is listed in the order the learner saw
it, with its letter, whether it was chosen ([x] or (•)) and whether it is
correct (✓ or ✗), and its own feedback: readable without colour, and in the
same order as on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, Markdown, Static

from engine.quiz.model import Feedback, Question
from tui.text import inline, literal
from tui.widgets.prompt import PromptMarkdown


@dataclass(frozen=True)
class MarkedOption:
    """An option as shown after an answer: letter, text, chosen, correct, its feedback."""

    label: str
    text: str
    correct: bool
    chosen: bool
    feedback: str = ""


def marked_options(feedback: Feedback, question: Question) -> tuple[MarkedOption, ...]:
    """The feedback's option marks in the question's screen order, with its letters."""
    marks = {mark.index: mark for mark in feedback.options}
    return tuple(
        MarkedOption(option.label, mark.text, mark.correct, mark.chosen, mark.feedback)
        for option in question.options
        if (mark := marks.get(option.index)) is not None
    )


def option_legend(several: bool, reveal: bool) -> Content:
    chosen = "[x] you ticked it · " if several else "(•) your answer · "
    return Content.styled(f"{'' if reveal else chosen}✓ correct · ✗ not correct", "$text-muted")


class OptionMarkRow(Horizontal):
    """One option after the answer: "B (•) ✗" then its text and feedback (hanging indent)."""

    def __init__(self, option: MarkedOption, *, several: bool, reveal: bool) -> None:
        verdict = "-right" if option.correct else "-wrong"
        super().__init__(classes=f"option-mark {verdict}")
        self.option = option
        self.several = several
        self.reveal = reveal

    def compose(self) -> ComposeResult:
        option = self.option
        if self.reveal:
            box = ""
        elif self.several:
            box = "[x] " if option.chosen else "[ ] "
        else:
            box = "(•) " if option.chosen else "( ) "
        mark = "✓" if option.correct else "✗"
        yield Static(
            Content.assemble((f"{option.label} ", "bold"), box, (mark, "bold")),
            classes="option-mark-key",
            markup=False,
        )
        text = [inline(option.text)]
        if option.feedback:
            text += [Content("\n"), inline(option.feedback, "$text-muted")]
        yield Static(Content.assemble(*text), classes="option-mark-text", markup=False)


class FeedbackPanel(Vertical):
    """Right or wrong, every option marked (choice questions) or both answers, and why.

    With ``reveal=True`` it shows the answer key without judging an answer.
    """

    @dataclass
    class Ready(Message):
        """Fully rendered (explanation included): its final height is known."""

        panel: FeedbackPanel

    def __init__(
        self,
        feedback: Feedback,
        question: Question | None = None,
        *,
        reveal: bool = False,
        next_hint: str = "",
        id: str | None = None,
    ) -> None:
        if reveal:
            verdict = "-reveal"
        elif feedback.skipped:
            verdict = "-skipped"
        else:
            verdict = "-correct" if feedback.correct else "-wrong"
        super().__init__(id=id, classes=f"feedback {verdict}")
        self.feedback = feedback
        self.question = question
        self.reveal = reveal
        self.next_hint = next_hint

    @property
    def options(self) -> Sequence[MarkedOption]:
        if self.question is None:
            return ()
        return marked_options(self.feedback, self.question)

    def compose(self) -> ComposeResult:
        feedback = self.feedback
        if self.reveal:
            yield Label("Answer", classes="verdict", markup=False)
        elif feedback.skipped:
            yield Label("– Skipped: here is the answer", classes="verdict", markup=False)
        elif feedback.correct:
            yield Label("✓ Correct", classes="verdict", markup=False)
        else:
            yield Label("✗ Not quite", classes="verdict", markup=False)
        options = self.options
        several = self.question is not None and self.question.type == "multiple"
        if options and (self.reveal or several or not feedback.correct):
            yield Static(option_legend(several, self.reveal), classes="legend", markup=False)
            for option in options:
                yield OptionMarkRow(option, several=several, reveal=self.reveal)
        else:
            yield from self._answers()
        if feedback.explanation.strip():
            yield PromptMarkdown(feedback.explanation, classes="explanation")
        if self.next_hint:
            yield Label(self.next_hint, classes="next-hint", markup=False)

    def _answers(self) -> ComposeResult:
        feedback = self.feedback
        typed = self.question is None or self.question.type in ("numeric", "text")
        if not self.reveal and not feedback.correct and not feedback.skipped:
            # A typed answer is shown exactly as typed; an option's text is authored Markdown.
            yours = literal(feedback.your_answer) if typed else inline(feedback.your_answer)
            yield Static(
                Content.assemble(("Your answer   ", "$text-muted"), yours),
                classes="your-answer",
                markup=False,
            )
        if self.reveal or not feedback.correct:
            yield Static(
                Content.assemble(("Right answer  ", "$text-muted"), inline(feedback.right_answer)),
                classes="right-answer",
                markup=False,
            )
        for note in feedback.option_feedback:
            yield Static(Content.assemble("• ", literal(note)), classes="option-note", markup=False)

    def on_mount(self) -> None:
        if not self.feedback.explanation.strip():
            self.call_after_refresh(self.post_message, self.Ready(self))

    @on(Markdown.TableOfContentsUpdated, ".explanation")
    def _explained(self, event: Markdown.TableOfContentsUpdated) -> None:
        event.stop()
        self.call_after_refresh(self.post_message, self.Ready(self))
