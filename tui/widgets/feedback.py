"""Practice-mode feedback, and the revealed answer in previews."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, Markdown, Static

from engine.quiz.model import Feedback
from tui.widgets.inline import inline
from tui.widgets.prompt import PromptMarkdown


class FeedbackPanel(Vertical):
    """Right or wrong, the right answer, notes on the chosen options, and the explanation.

    With ``reveal=True`` it shows the answer key without judging an answer.
    """

    @dataclass
    class Ready(Message):
        """Fully rendered (explanation included): its final height is known."""

        panel: FeedbackPanel

    def __init__(
        self,
        feedback: Feedback,
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
        self.reveal = reveal
        self.next_hint = next_hint

    def compose(self) -> ComposeResult:
        feedback = self.feedback
        if self.reveal:
            yield Label("Answer", classes="verdict")
        elif feedback.skipped:
            yield Label("– Skipped: here is the answer", classes="verdict")
        elif feedback.correct:
            yield Label("✓ Correct", classes="verdict")
        else:
            yield Label("✗ Not quite", classes="verdict")
        if not self.reveal and not feedback.correct and not feedback.skipped:
            yield Static(
                Content.assemble(("Your answer   ", "$text-muted"), inline(feedback.your_answer)),
                classes="your-answer",
            )
        if self.reveal or not feedback.correct:
            yield Static(
                Content.assemble(("Right answer  ", "$text-muted"), inline(feedback.right_answer)),
                classes="right-answer",
            )
        for note in feedback.option_feedback:
            yield Static(Content.assemble("• ", inline(note)), classes="option-note")
        if feedback.explanation.strip():
            yield PromptMarkdown(feedback.explanation, classes="explanation", open_links=False)
        if self.next_hint:
            yield Label(self.next_hint, classes="next-hint")

    def on_mount(self) -> None:
        if not self.feedback.explanation.strip():
            self.call_after_refresh(self.post_message, self.Ready(self))

    @on(Markdown.TableOfContentsUpdated, ".explanation")
    def _explained(self, event: Markdown.TableOfContentsUpdated) -> None:
        event.stop()
        self.call_after_refresh(self.post_message, self.Ready(self))
