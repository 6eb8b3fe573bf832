"""Change who is taking quizzes: type a name (known names are suggested)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from tui.text import literal


class LearnerScreen(ModalScreen[str | None]):
    CSS_PATH = "learner.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str, known: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.current = current
        self.known = known

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="panel") as dialog:
            dialog.border_title = "Learner"
            yield Label("Quiz as (history and reports are kept per name):", markup=False)
            yield Input(
                self.current,
                id="name",
                suggester=SuggestFromList(self.known, case_sensitive=False),
                max_length=80,
            )
            yield Static("", id="problem", markup=False)
            known = ", ".join(self.known) if self.known else "none yet"
            yield Label(literal(f"Known learners: {known}"), classes="muted", markup=False)
            yield Label(
                "Enter to switch · → to accept a suggestion · Esc to cancel",
                classes="muted",
                markup=False,
            )

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.query_one("#problem", Static).update("⚠ type a name")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
