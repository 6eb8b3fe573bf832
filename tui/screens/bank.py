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
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.bank.model import ItemSpec
    from tui.backend import BankData

BLOCKS = " ▁▂▃▄▅▆▇█"


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


def spread(items: list[ItemSpec]) -> Content:
    """Counts by type and a one-line histogram of difficulty 1..5."""
    if not items:
        return Content.styled("no items match", "$text-muted")
    types = Counter(item.type for item in items)
    levels = Counter(difficulty_level(item) for item in items)
    top = max(levels.values(), default=1)
    histogram = [
        Content.assemble(
            (f"d{level} ", "$text-muted"),
            (BLOCKS[round(levels.get(level, 0) / top * 8)] * 2, "$text-accent"),
            f" {levels.get(level, 0):<3}",
        )
        for level in range(1, 6)
    ]
    kinds = " · ".join(
        f"{count} {TYPE_NAMES.get(kind, kind)}" for kind, count in types.most_common()
    )
    return Content.assemble(
        (plural(len(items), "item"), "bold"),
        (f"  {kinds}", "$text-muted"),
        "\n",
        ("difficulty  ", "$text-muted"),
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
            yield Static("/", id="search-key")
            yield Input(placeholder="search words, an id or #tag", id="search", compact=True)
            yield Static("", id="match-count")
        with Horizontal(id="bank-body"):
            yield Tree("All areas", id="tree")
            with Vertical(id="items-pane"):
                yield Static("", id="spread")
                yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
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
        tree.root.set_label(Text.assemble("All areas ", (str(len(data.items)), "dim")))
        tree.root.data = Scope()
        for area in data.areas:
            node = tree.root.add(
                Text.assemble(area.title, (f" {counts.get(area.id, 0)}", "dim")),
                data=Scope(area.id),
            )
            for topic in area.topics:
                node.add_leaf(
                    Text.assemble(
                        topic.title, (f" {topic_counts.get((area.id, topic.id), 0)}", "dim")
                    ),
                    data=Scope(area.id, topic.id),
                )
        tree.root.expand()
        table = self.query_one("#items", DataTable)
        table.clear(columns=True)
        table.add_column("Id", key="id")
        table.add_column("Type", key="type")
        table.add_column("Diff", key="difficulty")
        table.add_column("Question", key="prompt")
        self._filter()

    def _filter(self) -> None:
        if self.data is None:
            return
        query = self.query_one("#search", Input).value
        self.shown = [
            item for item in self.data.items if self.scope.holds(item) and matches(item, query)
        ]
        table = self.query_one("#items", DataTable)
        table.clear()
        for item in self.shown:
            first = next((line.strip() for line in item.prompt.splitlines() if line.strip()), "")
            table.add_row(
                item.id,
                SHORT_TYPE_NAMES.get(item.type, item.type),
                difficulty_label(item),
                first[:100],
                key=item.id,
            )
        self.query_one("#spread", Static).update(spread(self.shown))
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

        self.app.push_screen(ItemPreviewScreen(self.shown, index, self.data.titles, self._areas()))

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
