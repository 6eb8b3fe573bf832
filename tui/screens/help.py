"""Help: every key, the screen you came from first."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import MarkdownViewer

from tui.widgets.keybar import KeyFooter

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"


def help_text(heading: str = "") -> str:
    """help.md with the section under `heading` (e.g. "## Quiz") moved to the top."""
    text = HELP_FILE.read_text(encoding="utf-8")
    if not heading or heading not in text:
        return text
    title, _, rest = text.partition("\n## ")
    sections = ["## " + part for part in rest.split("\n## ")] if rest else []
    first = [s for s in sections if s.startswith(heading)]
    others = [s for s in sections if not s.startswith(heading)]
    return "\n".join([title.rstrip() + "\n", *first, *others])


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", key_display="esc")
    ]

    def __init__(self, section: str = "") -> None:
        super().__init__()
        self.section = section

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="panel") as dialog:
            dialog.border_title = "Help"
            yield MarkdownViewer(
                help_text(self.section), show_table_of_contents=False, open_links=False
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(MarkdownViewer).focus()

    def action_close(self) -> None:
        self.dismiss(None)
