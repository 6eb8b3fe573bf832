"""Untrusted text made safe to print: no control characters, no accidental Markdown.

Learner names, item text, typed answers and anything else that did not come
from this program can hold terminal control sequences (ESC [ ... makes a
terminal move the cursor, change colours or set its title) or characters that
reorder what is shown (bidirectional overrides). `printable` (from `engine.text`,
shared with the plain mode and the app) removes them; every renderer passes every
piece of text through it. `markdown_inline` and
`markdown_code` then keep such text from becoming Markdown markup.
"""

from __future__ import annotations

import re

from engine.text import printable

#: ASCII punctuation that can open or close Markdown markup anywhere in a line
#: (emphasis, code, links and images, raw HTML, entities, headings, table cells,
#: strike-through). CommonMark lets any ASCII punctuation be backslash-escaped.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
#: Markers that only mean something at the start of a line: list items
#: ("- ", "+ ", "1. ", "1) ") and setext underlines ("=").
_LINE_START_MARKERS = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))")


def markdown_inline(value: object, *, line_start: bool = False) -> str:
    """Untrusted text as literal Markdown inline text (one line, every marker escaped).

    With ``line_start`` the text begins a line (a paragraph or list item), where
    "- ", "+ ", "=" and "1. " would also be markup.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", printable(value))
    if not line_start:
        return escaped
    return _LINE_START_MARKERS.sub(_escape_line_start, escaped, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker, number, delimiter = match.groups()
    if marker is not None:
        return f"{indent}\\{marker}"
    return f"{indent}{number}\\{delimiter}"


def markdown_code(value: object) -> str:
    """Untrusted text as a Markdown code span, fenced by more backticks than it contains."""
    text = printable(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    # A pipe ends a table cell even inside a code span (GitHub Flavored Markdown).
    body = text.replace("|", "\\|")
    return f"{fence}{pad}{body}{pad}{fence}"
