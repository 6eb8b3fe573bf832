"""The one way untrusted text reaches the screen: as literal text, without control codes.

Item text, option text, learner names, typed answers, file paths and error
messages did not come from this program. Textual reads a plain `str` given to
`Static`, `Label`, a `DataTable` cell, a `Tree` label or `notify` as markup
(`[b]`, `[/]`, `[link=...]`), and passes control characters (ESC ...) straight
to the terminal. So in this app:

* text is shown as `Content` (Textual) or `rich.text.Text` (DataTable cells and
  Tree labels) built by the functions below, which strip control characters
  (`engine.text.printable`) and never parse markup;
* every `Static` and `Label` is made with ``markup=False``, so a `str` given to
  it later is literal too (tests/tui/test_literal_text.py checks the source);
* notifications go through `LiteralNotifications.notify`, which both apps use:
  the message is never markup, whatever the caller passes;
* authored Markdown (prompts, explanations) goes to `PromptMarkdown`, which
  strips control characters before rendering it.

tests/tui/test_hostile_text.py pushes hostile strings through every screen.
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.notifications import SeverityLevel

from engine.text import printable

CODE_STYLE = "$text-warning on $warning 10%"
ReturnType = TypeVar("ReturnType")


def literal(value: object, style: str = "", *, multiline: bool = False) -> Content:
    """``value`` exactly as written (control characters removed), optionally styled."""
    text = printable(value, multiline=multiline)
    return Content.styled(text, style) if style else Content(text)


INLINE_STYLES = {"strong": "bold", "em": "italic", "s": "strike", "link": "underline"}


def inline(value: object, style: str = "") -> Content:
    """One line of authored Markdown (an option, a key, a note) rendered, never as markup.

    Code spans, bold, italics, strike-through and link text are styled as in the
    prompts; everything else (raw HTML, Textual markup, stray `*`) is shown as
    written. Control characters are removed.
    """
    from markdown_it import MarkdownIt

    text = printable(value)
    if not any(marker in text for marker in "`*_~[<"):
        return literal(text, style)
    tokens = MarkdownIt("commonmark").enable("strikethrough").parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    pieces: list[Content] = []
    open_styles: list[str] = [style] if style else []
    for token in children:
        kind = token.type
        if kind.endswith("_open") and kind[:-5] in INLINE_STYLES:
            open_styles.append(INLINE_STYLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in INLINE_STYLES:
            if open_styles:
                open_styles.pop()
        elif kind == "code_inline":
            pieces.append(Content.styled(token.content, CODE_STYLE))
        elif kind in ("softbreak", "hardbreak"):
            pieces.append(Content(" "))
        elif kind == "image":
            pieces.append(Content.styled(f"[image: {token.content}]", " ".join(open_styles)))
        else:  # text, html_inline and anything unknown: as written
            pieces.append(Content.styled(token.content, " ".join(open_styles)))
    return Content.assemble(*pieces)


def rich_literal(value: object, style: str = "") -> Text:
    """For widgets that take Rich text (DataTable cells, Tree labels): literal, printable."""
    return Text(printable(value), style=style)


class LiteralNotifications(App[ReturnType]):
    """An app whose notifications show their message and title literally, always.

    `Widget.notify` passes through here too, so a screen cannot forget.
    """

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,  # ignored: a message is never markup
    ) -> None:
        kwargs = {} if timeout is None else {"timeout": timeout}
        super().notify(
            printable(message, multiline=True),
            title=printable(title),
            severity=severity,
            markup=False,
            **kwargs,
        )
