"""Authored Markdown as plain text: for the plain mode, screen readers and one-line summaries.

Items are written in Markdown (docs/authoring.md). Shown as plain text, the
markers are noise: a screen reader reads `**C**` as "star star C star star"
and a code fence as three backticks. `markdown_to_plain` keeps the words and
the structure instead: paragraphs wrapped to a width, list items with "-" or
their number, code blocks indented by four spaces and never re-wrapped (a
line of code keeps its meaning only whole), links as "text (address)".
`inline_plain` does the same for one line (an option, a table cell).

Control characters are removed (`engine.text.printable`): item text is not
trusted. The parser is markdown-it-py, the CommonMark parser Textual's
Markdown widget and the report's HTML export use, so all three read an item
the same way.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from engine.text import printable

CODE_INDENT = "    "
LIST_INDENT = "  "


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def markdown_to_plain(source: str, width: int = 80) -> str:
    """``source`` (Markdown) as plain text lines no wider than ``width`` (code excepted)."""
    tree = SyntaxTreeNode(_parser().parse(printable(source, multiline=True)))
    blocks = _blocks(tree.children, max(20, width))
    return "\n\n".join(block for block in blocks if block).strip("\n")


def inline_plain(source: str) -> str:
    """One line of Markdown (an option, a summary) as plain text on one line."""
    tree = SyntaxTreeNode(_parser().parse(printable(source)))
    words = " ".join(_block_text(node) for node in tree.children)
    return " ".join(words.split(" ")).strip() if words.strip() else printable(source).strip()


def first_line_plain(source: str) -> str:
    """The first non-empty line of a Markdown text, as plain text: for table columns."""
    text = markdown_to_plain(source, width=10_000)
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _blocks(nodes: list[SyntaxTreeNode], width: int) -> list[str]:
    return [_block(node, width) for node in nodes]


def _block(node: SyntaxTreeNode, width: int) -> str:
    kind = node.type
    if kind in ("fence", "code_block"):
        lines = node.content.rstrip("\n").split("\n")
        return "\n".join((CODE_INDENT + line).rstrip() for line in lines)
    if kind in ("paragraph", "heading"):
        return _wrap(_inline(node), width)
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, width)
    if kind == "blockquote":
        inner = "\n\n".join(_blocks(node.children, width - 2))
        return "\n".join(("> " + line).rstrip() for line in inner.split("\n"))
    if kind == "table":
        return _table(node)
    if kind == "hr":
        return "----"
    if kind == "html_block":
        return node.content.rstrip("\n")
    return "\n\n".join(_blocks(node.children, width))


def _list(node: SyntaxTreeNode, width: int) -> str:
    start = int(str(node.attrs.get("start", 1))) if node.type == "ordered_list" else 1
    items = []
    for number, item in enumerate(node.children, start=start):
        marker = f"{number}. " if node.type == "ordered_list" else "- "
        # Items of a list are tight: their paragraphs and sub-lists follow line by line.
        body = "\n".join(_blocks(item.children, width - len(marker)))
        lines = body.split("\n") if body else [""]
        indent = " " * len(marker)
        first, rest = lines[0], lines[1:]
        items.append(
            "\n".join([marker + first, *((indent + line).rstrip() for line in rest)]).rstrip()
        )
    return "\n".join(items)


def _table(node: SyntaxTreeNode) -> str:
    rows = []
    for section in node.children:
        for row in section.children:
            rows.append(" | ".join(_inline(cell).strip() for cell in row.children))
    return "\n".join(rows)


def _block_text(node: SyntaxTreeNode) -> str:
    """A block's words on one line (for `inline_plain`)."""
    if node.type in ("fence", "code_block"):
        return " ".join(node.content.split())
    if node.type in ("paragraph", "heading"):
        return " ".join(_inline(node).split("\n"))
    return " ".join(_block_text(child) for child in node.children)


def _inline(node: SyntaxTreeNode) -> str:
    """The text of a paragraph-like node; hard breaks kept as new lines."""
    parts: list[str] = []
    for child in node.children:
        parts.append(_inline_piece(child))
    return "".join(parts)


def _inline_piece(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind in ("text", "code_inline", "html_inline"):
        return node.content
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "\n"
    if kind == "link":
        text = _inline(node)
        address = str(node.attrs.get("href", ""))
        return text if not address or address == text else f"{text} ({address})"
    if kind == "image":
        alternative = _inline(node) or str(node.attrs.get("alt", ""))
        return f"[image: {alternative}]" if alternative else "[image]"
    return _inline(node)


def _wrap(text: str, width: int) -> str:
    lines = []
    for line in text.split("\n"):
        lines.extend(
            textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
        )
    return "\n".join(lines)
