"""A bank item shown as in a quiz, with its metadata; try an answer or reveal the key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tui.questions import TYPE_NAMES, answer_key, difficulty_label, mark, question_for_item
from tui.widgets.feedback import FeedbackPanel
from tui.widgets.question import QuestionView

if TYPE_CHECKING:
    from engine.bank.model import ItemSpec


def item_heading(item: ItemSpec, area_title: str, topic_title: str) -> Content:
    tags = ", ".join(f"#{tag}" for tag in item.tags) if item.tags else "no tags"
    return Content.assemble(
        (item.id, "bold $text-accent"),
        (f"  {area_title} › {topic_title}", ""),
        "\n",
        (
            f"{TYPE_NAMES.get(item.type, item.type)} · {difficulty_label(item)} · "
            f"a {item.a:.2f}  b {item.b:+.2f}  c {item.c:.2f} · {tags}",
            "$text-muted",
        ),
    )


class ItemPreview(Vertical):
    """Answering marks the try as practice mode would; `reveal()` shows the key instead."""

    def __init__(
        self,
        item: ItemSpec,
        *,
        area_title: str | None = None,
        topic_title: str | None = None,
        note: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="item-preview")
        self.item = item
        self.area_title = area_title or item.area
        self.topic_title = topic_title or item.topic
        self.note = note
        self.done = False

    def compose(self) -> ComposeResult:
        yield Static(
            item_heading(self.item, self.area_title, self.topic_title), classes="item-heading"
        )
        question = question_for_item(
            self.item, area_title=self.area_title, topic_title=self.topic_title
        )
        yield QuestionView(question, heading=self.note)

    @on(QuestionView.Answered)
    def _tried(self, event: QuestionView.Answered) -> None:
        event.stop()
        if not self.done:
            self._finish(FeedbackPanel(mark(self.item, event.answer), id="feedback"))

    def reveal(self) -> None:
        if not self.done:
            self._finish(FeedbackPanel(answer_key(self.item), reveal=True, id="key"))

    def _finish(self, panel: FeedbackPanel) -> None:
        self.done = True
        view = self.query_one(QuestionView)
        view.freeze()
        view.mount(panel)

    @on(FeedbackPanel.Ready)
    def _panel_ready(self, event: FeedbackPanel.Ready) -> None:
        event.stop()
        event.panel.scroll_visible(animate=False)

    def focus_answer(self) -> None:
        if not self.done:
            self.query_one(QuestionView).focus_answer()
