"""The Markdown widget, updated synchronously so the next question appears within a frame.

Textual's `Markdown.update` parses in a thread and mounts in batches, which
costs about 30 ms per update even for a one-line prompt. Prompts are short,
so this subclass parses in place and swaps the blocks in one batch (about
7 ms); rendering, code highlighting and theming are Textual's own. If a
future Textual drops the private block builder, it falls back to `update`.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown


class PromptMarkdown(Markdown):
    def update(self, markdown: str) -> AwaitComplete:
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
