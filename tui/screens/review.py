"""One missed question from a report: the question, your answer, the right one, why."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown, Static

from tui.screens.base import HasHelpSection
from tui.widgets.inline import inline
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from engine.report.readiness import Report


class ReviewScreen(HasHelpSection, ModalScreen[None]):
    CSS_PATH = "review.tcss"
    HELP_SECTION = "## Report"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("n,right", "move(1)", "Next missed"),
        Binding("p,left", "move(-1)", "Previous"),
    ]

    def __init__(self, report: Report, index: int) -> None:
        super().__init__()
        self.report = report
        self.index = index

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="panel"):
            yield VerticalScroll(id="review-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        entry = self.report.review[self.index]
        titles = {area.area: area.title for area in self.report.areas}
        dialog = self.query_one("#dialog")
        dialog.border_title = f"Missed question {self.index + 1} of {len(self.report.review)}"
        body = self.query_one("#review-body", VerticalScroll)
        body.remove_children()
        body.mount_all(
            [
                Static(
                    Content.styled(
                        f"Question {entry.number} · {titles.get(entry.area, entry.area)} › "
                        f"{entry.topic} · {entry.item_id}",
                        "$text-muted",
                    ),
                    classes="review-heading",
                ),
                Markdown(entry.prompt, classes="review-prompt", open_links=False),
                Static(
                    Content.assemble(("Your answer   ", "$text-muted"), inline(entry.your_answer)),
                    classes="your-answer",
                ),
                Static(
                    Content.assemble(("Right answer  ", "$text-muted"), inline(entry.right_answer)),
                    classes="right-answer",
                ),
                Label("Why", classes="why"),
                Markdown(entry.explanation, classes="review-explanation", open_links=False),
            ]
        )
        body.scroll_home(animate=False)
        body.focus()

    def action_move(self, step: int) -> None:
        count = len(self.report.review)
        if count:
            self.index = (self.index + step) % count
            self._show()

    def action_close(self) -> None:
        self.dismiss(None)
