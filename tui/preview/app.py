"""Author preview: a topic file's items as learners see them, problems inline, live reload.

The file is polled (its modification time and size) on a timer; a change
reloads it in a worker thread. No database is involved: the file is
validated and read with the same loader as `skillprobe bank validate`.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.clock import Clock
from tui.config import DARK_THEME
from tui.formatting import plural
from tui.screens.base import WIDTH_BREAKPOINTS, AppScreen
from tui.text import LiteralNotifications, literal
from tui.widgets.item import ItemPreview
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from engine.bank import BankError, ItemSpec
    from engine.service.bank_service import FilePreview

EXCERPT_LINES = 3


def display_path(path: Path, base: Path | None = None) -> str:
    """`path` relative to the working directory, else to `base` (the bank's parent)."""
    resolved = path.resolve()
    for folder in (Path.cwd(), base):
        if folder is not None and resolved.is_relative_to(folder.resolve()):
            return str(resolved.relative_to(folder.resolve()))
    return str(path)


def describe_error(error: BankError, shown_path: str) -> str:
    """Like `str(error)` (file:line:column: [id] message) with a short path."""
    subject = f" [{error.item_id}]" if error.item_id else ""
    return f"{shown_path}:{error.position.line}:{error.position.column}:{subject} {error.message}"


def source_excerpt(path: Path, line: int, column: int) -> Content:
    """The lines around `line`, numbered, with a caret under `column`."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Content("")
    first = max(1, line - EXCERPT_LINES)
    last = min(len(lines), line + EXCERPT_LINES)
    width = len(str(last))
    parts: list[Content] = []
    for number in range(first, last + 1):
        text = lines[number - 1]
        style = "bold" if number == line else "$text-muted"
        parts.append(
            Content.assemble((f"{number:>{width}} │ ", "$text-muted"), literal(text, style))
        )
        if number == line:
            parts.append(
                Content.styled(" " * (width + 3 + max(0, column - 1)) + "^", "bold $text-error")
            )
    return Content("\n").join(parts)


class PreviewScreen(AppScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["preview.tcss", "../widgets/question.tcss"]
    AUTO_FOCUS = "#entries"
    HELP_SECTION = "## Author preview"
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.quit", "Quit"),
        Binding("r", "reveal", "Reveal answer"),
        Binding("ctrl+l", "reload", "Reload", key_display="^l"),
        Binding("tab", "try_answer", "Try answering", show=False),
    ]

    def __init__(self, path: Path, clock: Clock, poll_interval: float) -> None:
        super().__init__()
        self.path = path
        self.clock = clock
        self.poll_interval = poll_interval
        self.preview: FilePreview | None = None
        self._entries: list[ItemSpec | BankError] = []
        self._stamp: tuple[int, int] | None = None
        self._shown: str | None = None
        self._shown_path = str(path)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Reading…", id="status", markup=False)
        with Horizontal(id="preview-body"):
            yield OptionList(id="entries", markup=False)
            yield VerticalScroll(id="detail")
        with Vertical(id="problems", classes="panel"):
            yield Static("", id="problems-body", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#problems").display = False
        self._check()
        self.set_interval(self.poll_interval, self._check)

    # -- watching the file --------------------------------------------------------

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            status = self.path.stat()
        except OSError:
            return None
        return (status.st_mtime_ns, status.st_size)

    def _check(self) -> None:
        stamp = self._file_stamp()
        if stamp != self._stamp or self.preview is None:
            self._stamp = stamp
            self.load()

    def action_reload(self) -> None:
        self._stamp = self._file_stamp()
        self.load()

    def load(self) -> None:
        path = self.path

        def read() -> tuple[FilePreview, str]:
            from engine.bank import find_bank_root
            from engine.service.bank_service import preview_file

            root = find_bank_root(path)
            return preview_file(path), display_path(path, root.parent if root else None)

        self.in_background(read, lambda read: self.show_preview(*read), group="preview")

    # -- showing ----------------------------------------------------------------

    def show_preview(self, preview: FilePreview, shown_path: str | None = None) -> None:
        first_load = self.preview is None
        self.preview = preview
        if shown_path is not None:
            self._shown_path = shown_path
            self.sub_title = shown_path
        entries: list[ItemSpec | BankError] = [*preview.items, *preview.errors]
        entries.sort(key=_line_of)
        self._entries = entries
        entries_list = self.query_one("#entries", OptionList)
        keep = self._shown
        entries_list.clear_options()
        entries_list.add_options(
            Option(_entry_label(entry), id=_entry_id(entry)) for entry in entries
        )
        ids = [_entry_id(entry) for entry in entries]
        if keep in ids:
            entries_list.highlighted = ids.index(keep)
        elif entries:
            entries_list.highlighted = 0
        self._show_status(preview, first_load)
        self._show_problems(preview)
        self._shown = None  # force the detail to redraw with the new content
        self._show_entry(entries_list.highlighted)

    def _show_status(self, preview: FilePreview, first_load: bool) -> None:
        when = self.clock.now().strftime("%H:%M:%S")
        verb = "read" if first_load else "reloaded"
        problems = len(preview.errors)
        mark = ("✗ ", "bold $text-error") if problems else ("✓ ", "bold $text-success")
        self.query_one("#status", Static).update(
            Content.assemble(
                mark,
                (plural(len(preview.items), "item"), "bold"),
                " · ",
                (plural(problems, "problem"), "$text-error" if problems else "$text-muted"),
                (f" · {verb} at {when} · saves reload automatically", "$text-muted"),
            )
        )

    def _show_problems(self, preview: FilePreview) -> None:
        panel = self.query_one("#problems")
        panel.display = bool(preview.errors)
        panel.border_title = f"Problems ({len(preview.errors)})"
        self.query_one("#problems-body", Static).update(
            literal(
                "\n".join(describe_error(error, self._shown_path) for error in preview.errors),
                multiline=True,
            )
        )

    @on(OptionList.OptionHighlighted, "#entries")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_entry(event.option_index)

    def _show_entry(self, index: int | None) -> None:
        detail = self.query_one("#detail", VerticalScroll)
        if index is None or not 0 <= index < len(self._entries):
            detail.remove_children()
            detail.mount(Static("This file has no items yet.", classes="empty", markup=False))
            return
        entry = self._entries[index]
        entry_id = _entry_id(entry)
        if entry_id == self._shown:
            return
        self._shown = entry_id
        detail.remove_children()
        if _is_error(entry):
            detail.mount_all(
                [
                    Static(
                        literal(describe_error(entry, self._shown_path)),
                        classes="error-message",
                        markup=False,
                    ),
                    Static(
                        source_excerpt(entry.path, entry.position.line, entry.position.column),
                        classes="excerpt",
                        markup=False,
                    ),
                ]
            )
        else:
            detail.mount(
                ItemPreview(
                    entry,
                    note=f"line {entry.source_line} · as the learner sees it "
                    "(Tab to try an answer, r to reveal)",
                )
            )
        detail.scroll_home(animate=False)

    def action_reveal(self) -> None:
        previews = self.query(ItemPreview)
        if previews:
            previews.first().reveal()

    def action_try_answer(self) -> None:
        previews = self.query(ItemPreview)
        focused = self.focused
        in_answer = focused is not None and focused.id in ("choices", "answer-input")
        if previews and not previews.first().done and not in_answer:
            previews.first().focus_answer()
        else:
            self.focus_next()


def _is_error(entry: ItemSpec | BankError) -> TypeIs[BankError]:
    # Not isinstance: engine.bank (pydantic, PyYAML) is imported only once the file is read.
    return hasattr(entry, "position")


def _line_of(entry: ItemSpec | BankError) -> tuple[int, int]:
    if _is_error(entry):
        return (entry.position.line, 1)
    return (entry.source_line, 0)


def _entry_id(entry: ItemSpec | BankError) -> str:
    if _is_error(entry):
        return f"error-{entry.position.line}-{entry.position.column}-{hash(entry.message)}"
    return f"item-{entry.id}"


def _entry_label(entry: ItemSpec | BankError) -> Content:
    if _is_error(entry):
        subject = f"[{entry.item_id}] " if entry.item_id else ""
        return Content.assemble(
            ("✗ ", "bold $text-error"),
            (f"{entry.position.line:>4} ", "$text-muted"),
            literal(f"{subject}{entry.message}", "$text-error"),
        )
    item = entry
    return Content.assemble(
        ("  ", ""),
        (f"{item.source_line:>4} ", "$text-muted"),
        literal(item.id, "bold"),
        (f"  {item.type}", "$text-muted"),
    )


class PreviewApp(LiteralNotifications[None]):
    TITLE = "skillprobe preview"
    CSS_PATH: ClassVar[list[str | PurePath]] = ["../app.tcss", "../widgets/widgets.tcss"]
    DEFAULT_MODE = "preview"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False)
    ]

    def __init__(
        self,
        path: Path,
        *,
        poll_interval: float = 0.5,
        clock: Clock | None = None,
        theme: str = DARK_THEME,
    ) -> None:
        super().__init__()
        # Installed as a mode (not the default screen) so that its own .tcss is loaded.
        self.path = path
        self.poll_interval = poll_interval
        self.clock = clock or Clock()
        self.add_mode("preview", lambda: PreviewScreen(path, self.clock, poll_interval))
        self._initial_theme = theme

    def on_mount(self) -> None:
        try:
            self.theme = self._initial_theme
        except Exception:
            self.theme = DARK_THEME

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else DARK_THEME
