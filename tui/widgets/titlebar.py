"""The top line: app title, and the screen's subtitle (the learner, an item id, a file)."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static

from tui.text import literal

ICON = "◆"


class TitleBar(Static):
    """A one-line header; lighter than Textual's `Header` (no clock, one widget).

    Shows the screen's title and subtitle, else the app's (literally: a subtitle
    can be a learner's name or a file path); a click opens the command palette,
    as `Header` does.
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._retitle, init=False)
            self.watch(node, "sub_title", self._retitle, init=False)
        self._retitle()

    def _retitle(self, _value: object = None) -> None:
        screen, app = self.screen, self.app
        title = screen.title or app.title
        sub_title = screen.sub_title or app.sub_title
        self.update(
            Content.assemble(
                (f" {ICON}  ", "$text-accent"),
                literal(title, "bold"),
                literal(f" — {sub_title}" if sub_title else "", "$text-muted"),
            )
        )

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        self.app.action_command_palette()
