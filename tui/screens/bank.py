"""Question bank: areas and topics with counts and difficulty spread; search; preview any item."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Static, Tree

from tui.context import AppContext
from tui.formatting import plural
from tui.questions import SHORT_TYPE_NAMES, TYPE_NAMES, difficulty_label, difficulty_level
from tui.screens.base import WIDTH_BREAKPOINTS, AppScreen
from tui.text import literal, rich_literal
from tui.widgets.item import calibration_words, short_check
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.bank.model import ItemSpec
    from tui.backend import BankData

BLOCKS = " ▁▂▃▄▅▆▇█"
# Columns besides the question: (key, header, width). The id is left out below 100 columns,
# where the question needs the room (the highlighted item's id is shown under the table).
NARROW_COLUMNS = (("type", "Type", 4), ("difficulty", "Diff", 4), ("check", "", 1))
WIDE_COLUMNS = (("id", "Id", 26), *NARROW_COLUMNS)
CELL_PADDING = 2  # DataTable pads each cell by one column on either side
MIN_QUESTION_WIDTH = 20


def clip(text: str, width: int) -> str:
    """`text` cut to `width` characters, marked with … when cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


@dataclass(frozen=True)
class Scope:
    """The tree node chosen: everything, one area, or one topic."""

    area: str | None = None
    topic: str | None = None

    def holds(self, item: ItemSpec) -> bool:
        return (self.area is None or item.area == self.area) and (
            self.topic is None or item.topic == self.topic
        )


def matches(item: ItemSpec, query: str) -> bool:
    """Every word must match: `#tag` a tag (prefix), other words the id, prompt or options."""
    words = query.lower().split()
    if not words:
        return True
    haystack = " ".join(
        [item.id, item.prompt, item.type, *(option.text for option in item.options)]
    ).lower()
    for word in words:
        if word.startswith("#"):
            if not any(tag.lower().startswith(word[1:]) for tag in item.tags):
                return False
        elif word not in haystack and not any(word in tag.lower() for tag in item.tags):
            return False
    return True


def spread(items: list[ItemSpec], *, narrow: bool = False) -> Content:
    """Counts by type and a one-line histogram of difficulty 1..5 (short words when narrow)."""
    if not items:
        return Content.styled("no items match", "$text-muted")
    types = Counter(item.type for item in items)
    levels = Counter(difficulty_level(item) for item in items)
    top = max(levels.values(), default=1)
    histogram = [
        Content.assemble(
            (BLOCKS[round(levels.get(level, 0) / top * 8)] * 2, "$text-accent"),
            f"{levels.get(level, 0):<3}",
        )
        for level in range(1, 6)
    ]
    names = SHORT_TYPE_NAMES if narrow else TYPE_NAMES
    kinds = " · ".join(f"{count} {names.get(kind, kind)}" for kind, count in types.most_common())
    return Content.assemble(
        (plural(len(items), "item"), "bold"),
        (f"  {kinds}", "$text-muted"),
        "\n",
        ("difficulty 1 (easy) to 5: ", "$text-muted"),
        Content(" ").join(histogram),
    )


class BankScreen(AppScreen):
    CSS_PATH = "bank.tcss"
    AUTO_FOCUS = "#tree"
    HELP_SECTION = "## Question bank"
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("p", "preview", "Preview item"),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.data: BankData | None = None
        self.scope = Scope()
        self.shown: list[ItemSpec] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="search-row"):
            yield Static("/", id="search-key", markup=False)
            yield Input(placeholder="search words, an id or #tag", id="search", compact=True)
            yield Static("", id="match-count", markup=False)
        with Horizontal(id="bank-body"):
            yield Tree("All areas", id="tree")
            with Vertical(id="items-pane"):
                yield Static("", id="spread", markup=False)
                yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
                yield Static("", id="item-line", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#bank-body").loading = True
        self.in_background(self.context.backend.bank, self.show_bank, group="bank")

    def show_bank(self, data: BankData) -> None:
        self.data = data
        self.query_one("#bank-body").loading = False
        counts = Counter(item.area for item in data.items)
        topic_counts = Counter((item.area, item.topic) for item in data.items)
        tree = self.query_one("#tree", Tree)
        tree.clear()
        # At 80 columns the counts are left out of the tree (the line above the table has
        # the count of whatever is highlighted), so that the table keeps its room.
        narrow = self.app.size.width < 100

        def label(title: str, count: int) -> Text:
            shown = rich_literal(title)
            return shown if narrow else Text.assemble(shown, (f" {count}", "dim"))

        tree.root.set_label(label("All areas", len(data.items)))
        tree.root.data = Scope()
        for area in data.areas:
            node = tree.root.add(label(area.title, counts.get(area.id, 0)), data=Scope(area.id))
            for topic in area.topics:
                node.add_leaf(
                    label(topic.title, topic_counts.get((area.id, topic.id), 0)),
                    data=Scope(area.id, topic.id),
                )
        tree.root.expand()
        self._filter()
        # The question column takes the table's width, known once the table is laid out.
        self.call_after_refresh(self._filter)

    def on_resize(self) -> None:
        if self.data is not None:
            self.call_after_refresh(self._filter)

    def _columns(self, table: DataTable[Text]) -> tuple[tuple[str, str, int], ...]:
        """The columns for the table's width: the question takes what the others leave."""
        others = NARROW_COLUMNS if self.app.size.width < 100 else WIDE_COLUMNS
        # The table's size is inside its border; one column goes to the scroll bar.
        room = table.size.width - 1 - sum(width + CELL_PADDING for _, _, width in others)
        question = ("prompt", "Question", max(MIN_QUESTION_WIDTH, room - CELL_PADDING))
        if others is WIDE_COLUMNS:
            return (others[0], question, *others[1:])
        return (question, *others)

    def _filter(self) -> None:
        if self.data is None:
            return
        query = self.query_one("#search", Input).value
        self.shown = [
            item for item in self.data.items if self.scope.holds(item) and matches(item, query)
        ]
        from engine.quiz.plain_markdown import first_line_plain

        table: DataTable[Text] = self.query_one("#items", DataTable)
        columns = self._columns(table)
        table.clear(columns=True)
        for key, header, width in columns:
            table.add_column(header, key=key, width=width)
        question_width = next(width for key, _, width in columns if key == "prompt")
        diagnostics = self.data.diagnostics
        for item in self.shown:
            cells = {
                "id": item.id,
                "prompt": clip(first_line_plain(item.prompt), question_width),
                "type": SHORT_TYPE_NAMES.get(item.type, item.type),
                "difficulty": difficulty_label(item),
                "check": short_check(diagnostics.get(item.id)),
            }
            table.add_row(*(rich_literal(cells[key]) for key, _, _ in columns), key=item.id)
        self._show_item_line()
        self.query_one("#spread", Static).update(
            spread(self.shown, narrow=self.app.size.width < 100)
        )
        total = len(self.data.items)
        self.query_one("#match-count", Static).update(
            Content.styled(f"{len(self.shown)} of {total}", "$text-muted")
        )

    @on(Tree.NodeHighlighted, "#tree")
    def _scope_changed(self, event: Tree.NodeHighlighted) -> None:
        scope = event.node.data
        if isinstance(scope, Scope) and scope != self.scope:
            self.scope = scope
            self._filter()

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self._filter()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#items", DataTable).focus()

    @on(DataTable.RowHighlighted, "#items")
    def _item_highlighted(self) -> None:
        self._show_item_line()

    def _show_item_line(self) -> None:
        """The highlighted item's id and what learners' answers say about it (issue #9)."""
        table = self.query_one("#items", DataTable)
        line = self.query_one("#item-line", Static)
        if self.data is None or not self.shown or not 0 <= table.cursor_row < len(self.shown):
            line.update("")
            return
        item = self.shown[table.cursor_row]
        words = calibration_words(self.data.diagnostics.get(item.id))
        line.update(
            Content.assemble(literal(item.id, "bold"), literal(f" · {words}", "$text-muted"))
        )

    @on(DataTable.RowSelected, "#items")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def action_preview(self) -> None:
        table = self.query_one("#items", DataTable)
        if self.shown:
            self._open(table.cursor_row)

    def _open(self, index: int) -> None:
        if self.data is None or not 0 <= index < len(self.shown):
            return
        from tui.screens.item_preview import ItemPreviewScreen

        self.app.push_screen(
            ItemPreviewScreen(
                self.shown, index, self.data.titles, self._areas(), self.data.diagnostics
            )
        )

    def _areas(self) -> dict[str, str]:
        return {area.id: area.title for area in self.data.areas} if self.data else {}

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus and search.value:
            search.value = ""
            return
        if search.has_focus:
            self.query_one("#items", DataTable).focus()
            return
        self.app.pop_screen()
