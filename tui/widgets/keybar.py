"""Key hints at the bottom of the screen, as one line of text.

Textual's `Footer` builds one widget per key and rebuilds them whenever focus
or bindings change, which costs tens of milliseconds (at start-up, and on every
answer in a quiz). These bars are a single `Static`: `KeyBar` shows the keys a
screen gives it; `KeyFooter` follows the screen's active bindings like
`Footer` does. Clicking a key presses it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

KEY_STYLE = "bold $footer-key-foreground"


class KeyBar(Static):
    """Shows (key, description) pairs; `key` is what is displayed and pressed."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self._spans: list[tuple[int, int, str]] = []

    def show(self, keys: Iterable[tuple[str, str]], presses: Iterable[str] = ()) -> None:
        """Show `keys`; `presses` gives the key to simulate on a click, when not the label."""
        parts: list[Content] = []
        spans: list[tuple[int, int, str]] = []
        offset = 0
        press_list = list(presses)
        for position, (label, description) in enumerate(keys):
            part = Content.assemble((f" {label} ", KEY_STYLE), f"{description} ")
            press = press_list[position] if position < len(press_list) else label
            spans.append((offset, offset + part.cell_length, press))
            offset += part.cell_length
            parts.append(part)
        self._spans = spans
        self.update(Content.assemble(*parts))

    async def _on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end and key:
                event.stop()
                await self.app.simulate_key(key)
                return


class KeyFooter(KeyBar):
    """A footer for any screen: its bindings marked `show`, then the command palette key."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        seen: set[str] = set()
        labels: list[tuple[str, str]] = []
        presses: list[str] = []
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            labels.append((self.app.get_key_display(binding), binding.description))
            presses.append(binding.key)
        if self.app.ENABLE_COMMAND_PALETTE:
            labels.append(("^p", "palette"))
            presses.append(self.app.COMMAND_PALETTE_BINDING)
        self.show(labels, presses)
