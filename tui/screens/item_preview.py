"""One bank item exactly as a learner sees it; try an answer, or reveal it."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from tui.screens.base import AppScreen
from tui.widgets.item import ItemPreview
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.bank.model import ItemSpec
    from engine.service.calibration_service import StoredDiagnostics


class ItemPreviewScreen(AppScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["item_preview.tcss", "../widgets/question.tcss"]
    HELP_SECTION = "## Question bank"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+r", "reveal", "Reveal answer", key_display="^r"),
        Binding("r", "reveal", "Reveal answer", show=False),
        Binding("n", "move(1)", "Next item"),
        Binding("p", "move(-1)", "Previous item"),
        Binding("i", "numbers", "Numbers"),
        Binding("tab", "try_answer", "Try answering", show=False),
    ]

    def __init__(
        self,
        items: list[ItemSpec],
        index: int,
        topic_titles: dict[tuple[str, str], str],
        area_titles: dict[str, str],
        diagnostics: dict[str, StoredDiagnostics] | None = None,
    ) -> None:
        super().__init__()
        self.items = items
        self.index = index
        self.topic_titles = topic_titles
        self.area_titles = area_titles
        self.diagnostics = diagnostics or {}
        self.numbers = False  # the parameters and fit statistics behind the words

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield VerticalScroll(id="item-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        item = self.items[self.index]
        body = self.query_one("#item-body", VerticalScroll)
        body.remove_children()
        body.mount(
            ItemPreview(
                item,
                area_title=self.area_titles.get(item.area),
                topic_title=self.topic_titles.get((item.area, item.topic)),
                note=f"Item {self.index + 1} of {len(self.items)}, as the learner sees it "
                "(Tab to try an answer, r to reveal, i for the numbers)",
                diagnostics=self.diagnostics.get(item.id),
                numbers=self.numbers,
            )
        )
        body.scroll_home(animate=False)
        body.focus()
        self.sub_title = item.id

    def action_reveal(self) -> None:
        self.query_one(ItemPreview).reveal()
        self.query_one("#item-body").focus()

    def action_numbers(self) -> None:
        self.numbers = not self.numbers
        self.query_one(ItemPreview).show_numbers(self.numbers)

    def action_move(self, step: int) -> None:
        self.index = (self.index + step) % len(self.items)
        self._show()

    def action_try_answer(self) -> None:
        preview = self.query_one(ItemPreview)
        focused = self.focused
        in_answer = focused is not None and focused.id in ("choices", "answer-input")
        if preview.done or in_answer:
            self.focus_next()
        else:
            preview.focus_answer()
