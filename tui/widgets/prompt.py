"""The Markdown widget for authored text: updated in one batch, code wrapped, nothing hidden.

Textual's `Markdown.update` parses in a thread and mounts in batches, which
costs about 30 ms per update even for a one-line prompt. Prompts are short,
so this subclass parses in place and swaps the blocks in one batch (about
7 ms); rendering, code highlighting and theming are Textual's own. If a
future Textual drops the private block builder, it falls back to `update`.

Two more things differ from Textual's widget:

* the source is stripped of control characters first (`engine.text.printable`):
  item text is not trusted;
* code blocks wrap a line too long for the width, marking the cut with ↩ and
  the continuation with ↪ (`WrappedCode`). Textual's fence scrolls sideways
  with no scroll bar and no way to reach it from the keyboard, so the end of
  `... / len(ys)` was silently cut off, which can change the answer to "what
  does this print?".
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.cells import cell_len
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownFence

from engine.text import printable
from tui.widgets.lines import LinesWidget

CUT = "↩"
CONTINUED = "↪ "


def wrap_code_line(line: Content, width: int) -> list[Content]:
    """One line of (highlighted) code in pieces at most `width` cells wide, cuts marked.

    Every character is kept: a cut piece ends with ↩ and the next starts with ↪.
    """
    if line.cell_length <= width or width < len(CONTINUED) + 2:
        return [line]
    text = line.plain
    offsets: list[int] = []
    used, budget = 0, width - len(CUT)
    for index, character in enumerate(text):
        size = cell_len(character)
        if used + size > budget and used > 0:
            offsets.append(index)
            used = len(CONTINUED)
        used += size
    pieces = line.divide(offsets)
    marked: list[Content] = []
    for number, piece in enumerate(pieces):
        start = Content.styled(CONTINUED, "$text-muted") if number else Content("")
        end = Content.styled(CUT, "$text-muted") if number < len(pieces) - 1 else Content("")
        marked.append(Content.assemble(start, piece, end))
    return marked


class WrappedCode(LinesWidget):
    """Highlighted code, each line wrapped at the widget's width with its cuts marked."""

    DEFAULT_CSS = """
    WrappedCode {
        width: 1fr;
        height: auto;
        padding: 1 2;
    }
    """

    def __init__(self, code: Content, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.code = code

    def set_code(self, code: Content) -> None:
        self.code = code
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        return [
            piece for line in self.code.split("\n") for piece in wrap_code_line(line, max(1, width))
        ]


class WrappedFence(MarkdownFence):
    """A fenced code block whose long lines wrap (with marks) instead of being cut off."""

    def compose(self) -> ComposeResult:
        yield WrappedCode(self._highlighted_code, id="code-content")

    def set_content(self, content: Content) -> None:
        self._content = content
        for code in self.query("#code-content").results(WrappedCode):
            code.set_code(content)


class PromptMarkdown(Markdown):
    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        if block_name in ("fence", "code_block"):
            return WrappedFence
        return super().get_block_class(block_name)

    def __init__(
        self,
        markdown: str | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
        open_links: bool = False,
    ) -> None:
        """Links are never opened: a click on an authored link does nothing."""
        clean = None if markdown is None else printable(markdown, multiline=True)
        super().__init__(clean, id=id, classes=classes, open_links=open_links)

    def update(self, markdown: str) -> AwaitComplete:
        markdown = printable(markdown, multiline=True)
        build = getattr(self, "_parse_markdown", None)
        if build is None or not self.is_mounted:
            return super().update(markdown)
        blocks = list(build(MarkdownIt("gfm-like").parse(markdown)))
        self._markdown = markdown
        self._table_of_contents = None
        with self.app.batch_update():
            self.query_children().remove()
            mounted = self.mount_all(blocks)
        self.call_after_refresh(self._rendered)

        async def done() -> None:
            await mounted

        return AwaitComplete(done())

    def _rendered(self) -> None:
        self.post_message(
            Markdown.TableOfContentsUpdated(self, self.table_of_contents).set_sender(self)
        )
