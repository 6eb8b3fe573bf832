"""A widget drawn as lines that depend on its width (wrapped code, a row with a hanging indent)."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget


class LinesWidget(Widget):
    """Subclasses say which lines fill a width (`lines`); the height follows from them."""

    def lines(self, width: int) -> list[Content]:
        raise NotImplementedError

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_region.width))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))
