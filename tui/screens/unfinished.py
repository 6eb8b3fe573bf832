"""Unfinished quizzes: resume one, or start a new one anyway (asked before a new quiz)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label

from tui.formatting import plural
from tui.screens.base import HasHelpSection
from tui.text import literal
from tui.widgets.home.panels import describe_quiz
from tui.widgets.picklist import Menu

if TYPE_CHECKING:
    from engine.quiz.model import QuizSummary
    from tui.clock import Clock


@dataclass(frozen=True)
class UnfinishedChoice:
    """The quiz to resume, or None to start the new quiz."""

    resume: int | None


class UnfinishedQuizScreen(HasHelpSection, ModalScreen[UnfinishedChoice | None]):
    """Lists every unfinished quiz; Enter resumes the highlighted one. Esc cancels."""

    CSS_PATH = "unfinished.tcss"
    HELP_SECTION = "## Home"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        quizzes: tuple[QuizSummary, ...],
        titles: Mapping[str, str],
        clock: Clock,
        *,
        offer_new: bool,
    ) -> None:
        super().__init__()
        self.quizzes = quizzes
        self.titles = dict(titles)
        self.clock = clock
        self.offer_new = offer_new

    def compose(self) -> ComposeResult:
        count = len(self.quizzes)
        with Vertical(id="dialog", classes="panel") as dialog:
            dialog.border_title = Content(
                "Unfinished quiz" if count == 1 else f"{count} unfinished quizzes"
            )
            saved = "every answer in it is saved" if count == 1 else "every answer is saved"
            yield Label(
                f"You have {plural(count, 'unfinished quiz', 'unfinished quizzes')}; {saved}.",
                markup=False,
            )
            yield Menu(id="choices")
            yield Label("↑↓ choose · Enter confirm · Esc cancel", classes="muted", markup=False)

    def on_mount(self) -> None:
        items = [
            Content.assemble(
                ("Resume ", "bold $text-accent"),
                literal(describe_quiz(quiz, self.titles, self.clock)),
            )
            for quiz in self.quizzes
        ]
        if self.offer_new:
            items.append(
                Content.assemble(
                    ("Start a new quiz", "bold"),
                    (" (the unfinished ones stay on Home)", "$text-muted"),
                )
            )
        menu = self.query_one("#choices", Menu)
        menu.set_items(items)
        menu.focus()

    @on(Menu.Chosen, "#choices")
    def _chosen(self, event: Menu.Chosen) -> None:
        event.stop()
        if event.position < len(self.quizzes):
            self.dismiss(UnfinishedChoice(self.quizzes[event.position].session_id))
        else:
            self.dismiss(UnfinishedChoice(None))

    def action_cancel(self) -> None:
        self.dismiss(None)
