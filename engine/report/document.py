"""A small document model and its two renderers: plain text and Markdown.

The report is walked once into a `Document` (a tuple of blocks: headings,
paragraphs, tables, lists, preformatted lines and authored Markdown); the text
and Markdown renderers each walk that one structure. Every piece of text
passes through `engine.report.safe_text` on its way out, so no renderer can
print a control character, and the Markdown renderer escapes untrusted text
so that it never becomes markup. Only `AuthoredMarkdown` (item prompts and
explanations, written in Markdown by the bank's authors) is passed through
as Markdown, stripped of control characters.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from enum import Enum

from engine.report.safe_text import markdown_code, markdown_inline, printable

TEXT_WIDTH = 100


class Style(Enum):
    PLAIN = "plain"
    STRONG = "strong"
    CODE = "code"


@dataclass(frozen=True)
class Span:
    """A run of text in one style; any text, trusted or not."""

    text: str
    style: Style = Style.PLAIN


Inline = tuple[Span, ...]


def plain(text: str) -> Inline:
    return (Span(text),)


@dataclass(frozen=True)
class Heading:
    text: Inline
    depth: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: Inline


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class ListItem:
    text: Inline
    children: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class ItemList:
    items: tuple[ListItem, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Preformatted:
    """Lines shown exactly (fixed width), e.g. the ability bars."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class AuthoredMarkdown:
    """Markdown written by the bank's authors (prompts, explanations)."""

    source: str


Block = Heading | Paragraph | Table | ItemList | Preformatted | AuthoredMarkdown


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# -- plain text ---------------------------------------------------------------


def _text(inline: Inline) -> str:
    return "".join(printable(span.text) for span in inline)


def _text_table(table: Table) -> list[str]:
    cells = [list(table.header), *([_text(cell) for cell in row] for row in table.rows)]
    widths = [max(len(row[column]) for row in cells) for column in range(len(table.header))]
    return [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]


def _text_list(block: ItemList) -> list[str]:
    lines = []
    for number, item in enumerate(block.items, start=1):
        marker = f"{number}." if block.ordered else "-"
        lines.extend(
            textwrap.wrap(
                _text(item.text),
                TEXT_WIDTH,
                initial_indent=f"  {marker} ",
                subsequent_indent=" " * (len(marker) + 3),
            )
            or [f"  {marker}"]
        )
        for child in item.children:
            lines.extend(
                textwrap.wrap(
                    _text(child),
                    TEXT_WIDTH,
                    initial_indent=" " * (len(marker) + 3) + "- ",
                    subsequent_indent=" " * (len(marker) + 5),
                )
            )
    return lines


def _text_block(block: Block) -> list[str]:
    """Lines of one block, body blocks indented by two spaces."""
    match block:
        case Heading(text, _):
            return [_text(text)]
        case Paragraph(text):
            return textwrap.wrap(
                _text(text), TEXT_WIDTH, initial_indent="  ", subsequent_indent="  "
            )
        case Table():
            return _text_table(block)
        case ItemList():
            return _text_list(block)
        case Preformatted(lines):
            return ["  " + printable(line) for line in lines]
        case AuthoredMarkdown(source):
            return ["  " + line for line in printable(source, multiline=True).strip().split("\n")]


def render_document_text(document: Document) -> str:
    """The document as plain text.

    A blank line separates blocks, except that a heading's first block follows
    it directly; blocks under a third-level heading are indented two more spaces.
    """
    lines: list[str] = []
    nested = False
    after_heading = False
    for block in document.blocks:
        if lines and not after_heading:
            lines.append("")
        if isinstance(block, Heading):
            nested = block.depth >= 3
        prefix = "  " if nested else ""
        lines.extend(prefix + line for line in _text_block(block))
        after_heading = isinstance(block, Heading) and block.depth > 1
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"


# -- Markdown -----------------------------------------------------------------


def _markdown(inline: Inline, *, line_start: bool = False) -> str:
    parts = []
    for index, span in enumerate(inline):
        if span.style is Style.CODE:
            parts.append(markdown_code(span.text))
        elif span.style is Style.STRONG:
            parts.append(f"**{markdown_inline(span.text)}**")
        else:
            parts.append(markdown_inline(span.text, line_start=line_start and index == 0))
    return "".join(parts)


def _markdown_block(block: Block) -> list[str]:
    match block:
        case Heading(text, depth):
            return ["#" * depth + " " + _markdown(text)]
        case Paragraph(text):
            return [_markdown(text, line_start=True)]
        case Table(header, rows):
            lines = ["| " + " | ".join(markdown_inline(h) for h in header) + " |"]
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_markdown(cell) for cell in row) + " |" for row in rows]
            return lines
        case ItemList(items, ordered):
            lines = []
            for number, item in enumerate(items, start=1):
                marker = f"{number}." if ordered else "-"
                lines.append(f"{marker} {_markdown(item.text, line_start=True)}")
                indent = " " * (len(marker) + 1)
                lines += [f"{indent}- {_markdown(c, line_start=True)}" for c in item.children]
            return lines
        case Preformatted(lines):
            fence = "```"
            body = [printable(line) for line in lines]
            while any(fence in line for line in body):
                fence += "`"
            return [f"{fence}text", *body, fence]
        case AuthoredMarkdown(source):
            return [printable(source, multiline=True).strip()]


def render_document_markdown(document: Document) -> str:
    """The document as Markdown: one blank line between blocks."""
    parts = ["\n".join(_markdown_block(block)) for block in document.blocks]
    return "\n\n".join(part for part in parts if part).rstrip() + "\n"
