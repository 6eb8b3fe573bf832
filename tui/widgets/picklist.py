"""A keyboard list of items, one widget per row, whose state reads without colour.

Each row is a marker and a text: the text wraps under itself (a hanging
indent), the highlighted row has a pointer (▶) as well as its tint, and what
the marker shows ("[x]" / "[ ]", "(•)" / "( )") is decided by the subclass.
Because rows are widgets, moving the highlight scrolls that row into view in
whatever scrolls around the list, so at 80x24 the highlight is never hidden.

Rows are kept and reused when the items change (`set_items`): a quiz shows a
new question without mounting new widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import reactive

from tui.widgets.lines import LinesWidget

POINTER = "▶ "
NO_POINTER = "  "


class PickRow(LinesWidget):
    """One row: the marker, then the text wrapped under itself (a hanging indent).

    One widget per row, drawn by `render`: rows are restyled whenever focus
    moves, and the answer-to-next-question time depends on how few they are.
    """

    DEFAULT_CSS = """
    PickRow {
        height: auto;
        padding: 0 1 0 0;

        &.-highlight {
            background: $boost;
        }
    }
    """

    def __init__(self, position: int) -> None:
        super().__init__(classes="pick-row")
        self.position = position
        self._marker = Content("")
        self._text = Content("")

    def show(self, marker: Content, text: Content) -> None:
        if (marker, text) != (self._marker, self._text):
            self._marker, self._text = marker, text
            self.refresh(layout=True)

    @property
    def text(self) -> str:
        """The row as plain text (marker and item): for tests and tools."""
        return self._marker.plain + self._text.plain

    def lines(self, width: int) -> list[Content]:
        indent = self._marker.cell_length
        room = max(1, width - indent)
        if self.parent is not None and self.parent.has_class("-one-line"):
            return [Content.assemble(self._marker, self._text.truncate(room, ellipsis=True))]
        body = self._text.wrap(room) or [Content("")]
        pad = Content(" " * indent)
        return [Content.assemble(pad if n else self._marker, line) for n, line in enumerate(body)]


class PickList(Vertical, can_focus=True):
    """Up/Down move the highlight; Space ticks (`action_tick`); Enter chooses (`action_choose`).

    Subclasses say what a row's marker looks like (`marker`) and what ticking
    and choosing do.
    """

    DEFAULT_CSS = """
    PickList {
        height: auto;

        &:focus PickRow.-highlight {
            background: $accent 25%;
            text-style: bold;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("space", "tick", "Tick", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._texts: list[Content] = []
        self._pending: list[PickRow] = []  # mounted but maybe not in the DOM yet

    def _rows(self) -> list[PickRow]:
        rows = list(self.query_children(PickRow))
        self._pending = [row for row in self._pending if row not in rows]
        return [*rows, *self._pending]

    @property
    def count(self) -> int:
        return len(self._texts)

    def set_items(self, texts: Sequence[Content], highlighted: int | None = 0) -> None:
        """Show these items, reusing the rows already mounted."""
        self._texts = list(texts)
        rows = self._rows()
        missing = [PickRow(position) for position in range(len(rows), len(self._texts))]
        if missing:
            self.mount_all(missing)
            self._pending.extend(missing)
        for row in [*rows, *missing]:
            row.display = row.position < len(self._texts)
        self.set_reactive(PickList.highlighted, highlighted if self._texts else None)
        self.refresh_rows()

    def marker(self, position: int) -> Content:
        """The marker of a row (override): by default only the pointer."""
        return Content(self.pointer(position))

    def pointer(self, position: int) -> str:
        """▶ on the highlighted row while the list has focus: where keys go, without colour."""
        return POINTER if position == self.highlighted and self.has_focus else NO_POINTER

    def refresh_rows(self) -> None:
        for row in self._rows():
            if row.position < len(self._texts):
                row.show(self.marker(row.position), self._texts[row.position])
                row.set_class(row.position == self.highlighted, "-highlight")

    def watch_highlighted(self, highlighted: int | None) -> None:
        self.refresh_rows()
        self.reveal_highlight()

    def reveal_highlight(self) -> None:
        """Scroll the highlighted row into view in every scrolling ancestor."""
        for row in self._rows():
            if row.position == self.highlighted and row.display:
                row.scroll_visible(animate=False)
                return

    def watch_has_focus(self, has_focus: bool) -> None:
        # The pointer follows focus. The view does not jump: a new question is read from
        # its first line; moving the highlight brings it into view.
        super().watch_has_focus(has_focus)
        self.refresh_rows()

    def action_move(self, step: int) -> None:
        if not self._texts:
            return
        current = self.highlighted if self.highlighted is not None else -step
        self.highlighted = min(len(self._texts) - 1, max(0, current + step))

    def action_tick(self) -> None:
        """Space: override to tick the highlighted row."""

    def action_choose(self) -> None:
        """Enter: override to choose."""

    def on_click(self, event: events.Click) -> None:
        node: DOMNode | None = event.widget
        while node is not None and node is not self and not isinstance(node, PickRow):
            node = node.parent
        if isinstance(node, PickRow):
            event.stop()
            self.focus()
            self.clicked(node.position)

    def clicked(self, position: int) -> None:
        """A row was clicked (override): by default highlight it."""
        self.highlighted = position


class Menu(PickList):
    """A list of choices: Enter (or a click) chooses the highlighted one."""

    @dataclass
    class Chosen(Message):
        menu: Menu
        position: int

        @property
        def control(self) -> Menu:
            return self.menu

    def action_choose(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Chosen(self, self.highlighted))

    def clicked(self, position: int) -> None:
        self.highlighted = position
        self.action_choose()


class TickList(PickList):
    """Items ticked with Space, Enter or a click: "[x]" ticked, "[ ]" not."""

    @dataclass
    class Changed(Message):
        tick_list: TickList
        ticked: tuple[int, ...]  # positions, in order

        @property
        def control(self) -> TickList:
            return self.tick_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.ticked: set[int] = set()

    def set_ticked(self, positions: set[int]) -> None:
        self.ticked = set(positions)
        self.refresh_rows()

    def marker(self, position: int) -> Content:
        box = "[x] " if position in self.ticked else "[ ] "
        return Content.assemble(self.pointer(position), (box, "bold"))

    def toggle(self, position: int) -> None:
        self.ticked ^= {position}
        self.refresh_rows()
        self.post_message(self.Changed(self, tuple(sorted(self.ticked))))

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.highlighted)

    def action_choose(self) -> None:
        self.action_tick()

    def clicked(self, position: int) -> None:
        self.highlighted = position
        self.toggle(position)
