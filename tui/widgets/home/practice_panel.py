"""Home's practice panel: how many reviews are due today, and the key that practises."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tui.formatting import plural
from tui.messages import StartPractice

if TYPE_CHECKING:
    from engine.practice.model import PracticeStatus


def due_words(status: PracticeStatus | None) -> str:
    """ "3 reviews due today", "1 review due today", or "No reviews due today"."""
    due = status.due_now if status is not None else 0
    return f"{plural(due, 'review')} due today" if due else "No reviews due today"


class PracticePanel(Vertical):
    """Reviews due today and the practice key; a click starts a session (as `p` does)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = "Practice"
        self.status: PracticeStatus | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="practice-body", markup=False)

    def show(self, status: PracticeStatus | None) -> None:
        self.status = status
        due = status.due_now if status is not None else 0
        later = (status.due_7d - status.due_now) if status is not None else 0
        lines = [
            Content.assemble(
                (due_words(status), "bold $text-warning" if due else "bold"),
                (f" · {later} more this week" if later else "", "$text-muted"),
            ),
            Content.assemble(
                ("p", "bold $text-accent"),
                (
                    " practise: reviews first, then your weakest topics"
                    if due
                    else " practise your weakest topics",
                    "$text-muted",
                ),
            ),
        ]
        self.query_one("#practice-body", Static).update(Content("\n").join(lines))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(StartPractice())
