"""Untrusted text made safe to show: no control characters, and never too long.

Learner names, item text, typed answers, file paths and error messages did not
come from this program. They can hold terminal control sequences (ESC [ ...
makes a terminal move the cursor, change colours or set its title), characters
that reorder what is shown (bidirectional overrides), or be a megabyte long.
Every shell (the plain mode, the reports, the terminal app) passes such text
through `printable` before showing it, and quotes typed input with `clipped`.

Standard library only: the lowest layer, usable from every part of the engine.
"""

from __future__ import annotations

import unicodedata

#: Bidirectional embedding, override and isolate controls (Unicode category Cf,
#: not Cc, so listed): they reorder the characters shown, which can make text
#: read differently from what it is ("Trojan Source", CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
ELLIPSIS = "…"


def printable(value: object, *, multiline: bool = False) -> str:
    """``value`` as text with every control character removed.

    C0 and C1 controls (Unicode category Cc: ESC, BEL, DEL, backspace, the
    0x80-0x9f range, ...), bidirectional controls and lone surrogates (left by
    undecodable bytes; they cannot be written as UTF-8) are dropped. With
    ``multiline`` line breaks are kept (``\\r\\n`` and ``\\r`` become ``\\n``) and
    tabs become four spaces; otherwise every line break and tab becomes one
    space, so the text stays on one line.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for character in text:
        if character == "\n":
            kept.append("\n" if multiline else " ")
        elif character == "\t":
            kept.append("    " if multiline else " ")
        elif character in BIDI_CONTROLS or unicodedata.category(character) in ("Cc", "Cs"):
            continue
        else:
            kept.append(character)
    return "".join(kept)


def clipped(value: object, limit: int = 40) -> str:
    """``value`` on one line, printable, and at most ``limit`` characters (``…`` marks a cut).

    For quoting what someone typed back at them: a megabyte-long line is not
    echoed in full, and nothing in it reaches the terminal as a control code.
    """
    text = printable(value)
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)] + ELLIPSIS
