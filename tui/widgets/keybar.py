"""Key hints at the bottom of the screen, as one line of text that always fits.

Textual's `Footer` builds one widget per key and rebuilds them whenever focus
or bindings change, which costs tens of milliseconds (at start-up, and on every
answer in a quiz). These bars are a single `Static`: `KeyBar` shows the keys a
screen gives it; `KeyFooter` follows the screen's active bindings like
`Footer` does. Clicking a key presses it.

A bar never ends in a cut-off word: when the hints do not fit the width,
optional ones go first, then the others from the right, keeping the last one
(help, which lists every key).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

KEY_STYLE = "bold $footer-key-foreground"


@dataclass(frozen=True)
class KeyHint:
    """A key as shown (`label`), what it does, and the key a click presses (None: a hint only).

    `optional` hints are the first to go when the bar is too narrow.
    """

    label: str
    description: str
    key: str | None
    optional: bool = False

    @property
    def width(self) -> int:
        return cell_len(self.label) + cell_len(self.description) + 3


def fitting(hints: list[KeyHint], width: int) -> list[KeyHint]:
    """The hints that fit in `width` cells: optional ones dropped first, then from the right.

    The last hint (help) is kept as long as anything is.
    """
    kept = list(hints)
    while kept and sum(hint.width for hint in kept) > width:
        optional = [i for i, hint in enumerate(kept) if hint.optional]
        if optional:
            del kept[optional[-1]]
        elif len(kept) > 1:
            del kept[-2]
        else:
            break
    return kept


class KeyBar(Static):
    """Shows key hints; clicking one presses its key, exactly as typing it would."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self._hints: list[KeyHint] = []
        self._spans: list[tuple[int, int, str]] = []

    def show(self, hints: Iterable[KeyHint]) -> None:
        self._hints = list(hints)
        self._layout()

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        width = self.size.width or self.app.size.width
        parts: list[Content] = []
        spans: list[tuple[int, int, str]] = []
        offset = 0
        for hint in fitting(self._hints, width):
            part = Content.assemble((f" {hint.label} ", KEY_STYLE), f"{hint.description} ")
            if hint.key:
                spans.append((offset, offset + part.cell_length, hint.key))
            offset += part.cell_length
            parts.append(part)
        self._spans = spans
        self.update(Content.assemble(*parts))

    @property
    def clickable(self) -> tuple[tuple[int, str], ...]:
        """(column, key) of each key that a click presses: for tests and tools."""
        return tuple((start, key) for start, _end, key in self._spans)

    @property
    def shown(self) -> tuple[KeyHint, ...]:
        """The hints on the bar now (those that fit)."""
        width = self.size.width or self.app.size.width
        return tuple(fitting(self._hints, width))

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)  # posts the key; it is handled like a typed one
                return


class KeyFooter(KeyBar):
    """A footer for any screen: its bindings marked `show`, then the palette and help keys."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        seen: set[str] = set()
        hints: list[KeyHint] = []
        last: list[KeyHint] = []
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            hint = KeyHint(self.app.get_key_display(binding), binding.description, binding.key)
            # Help goes last, so that it is the hint kept when the bar is narrow.
            (last if binding.action == "help" else hints).append(hint)
        if self.app.ENABLE_COMMAND_PALETTE:
            hints.append(KeyHint("^p", "palette", self.app.COMMAND_PALETTE_BINDING))
        self.show([*hints, *last])
