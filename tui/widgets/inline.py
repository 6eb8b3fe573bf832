"""Inline Markdown for one-line texts (options, answers): `code` spans styled as in prompts."""

from __future__ import annotations

from textual.content import Content

CODE_STYLE = "$text-warning on $warning 10%"


def inline(text: str, style: str = "") -> Content:
    """`text` with backtick spans shown as code; other characters kept verbatim."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: show the text as written
        return Content.styled(text, style) if style else Content(text)
    pieces: list[tuple[str, str] | str] = []
    for position, part in enumerate(parts):
        if not part:
            continue
        if position % 2:
            pieces.append((part, CODE_STYLE))
        else:
            pieces.append((part, style) if style else part)
    return Content.assemble(*pieces)
