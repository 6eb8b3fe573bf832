"""One missed question from a report: the question, every option marked, the right answer, why.

Choice questions list their options as the learner saw them (letters, order),
each marked as chosen or not and correct or not, with its feedback; typed
answers show what was typed (literally) and the key. Prompt and explanation
are rendered Markdown.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.formatting import topic_titles
from tui.screens.base import HasHelpSection
from tui.text import inline, literal
from tui.widgets.feedback import MarkedOption, OptionMarkRow, option_legend
from tui.widgets.keybar import KeyFooter
from tui.widgets.prompt import PromptMarkdown

if TYPE_CHECKING:
    from engine.report.readiness import Report, ReviewEntry


class ReviewScreen(HasHelpSection, ModalScreen[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["review.tcss", "../widgets/question.tcss"]
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
        self.topics = topic_titles(report)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="panel"):
            yield VerticalScroll(id="review-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        entry = self.report.review[self.index]
        areas = {area.area: area.title for area in self.report.areas}
        dialog = self.query_one("#dialog")
        dialog.border_title = Content(
            f"Missed question {self.index + 1} of {len(self.report.review)}"
        )
        topic = self.topics.get((entry.area, entry.topic), entry.topic)
        body = self.query_one("#review-body", VerticalScroll)
        body.remove_children()
        body.mount_all(
            [
                Static(
                    literal(
                        f"Question {entry.number} · {areas.get(entry.area, entry.area)} › "
                        f"{topic} · {entry.item_id}",
                        "$text-muted",
                    ),
                    classes="review-heading",
                    markup=False,
                ),
                PromptMarkdown(entry.prompt, classes="review-prompt"),
                *self._answers(entry),
                Label("Why", classes="why", markup=False),
                PromptMarkdown(entry.explanation, classes="review-explanation"),
            ]
        )
        body.scroll_home(animate=False)
        body.focus()

    def _answers(self, entry: ReviewEntry) -> list[Widget]:
        if entry.options:
            several = sum(option.correct for option in entry.options) > 1
            return [
                Static(option_legend(several, False), classes="legend", markup=False),
                *(
                    OptionMarkRow(
                        MarkedOption(o.label, o.text, o.correct, o.chosen, o.feedback),
                        several=several,
                        reveal=False,
                    )
                    for o in entry.options
                ),
            ]
        # Typed answers are shown exactly as typed; the key is authored Markdown.
        return [
            Static(
                Content.assemble(("Your answer   ", "$text-muted"), literal(entry.your_answer)),
                classes="your-answer",
                markup=False,
            ),
            Static(
                Content.assemble(("Right answer  ", "$text-muted"), inline(entry.right_answer)),
                classes="right-answer",
                markup=False,
            ),
        ]

    def action_move(self, step: int) -> None:
        count = len(self.report.review)
        if count:
            self.index = (self.index + step) % count
            self._show()

    def action_close(self) -> None:
        self.dismiss(None)
