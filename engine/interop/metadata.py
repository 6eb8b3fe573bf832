"""skillprobe's own data on a Moodle question, as one JSON object.

Difficulty, IRT values, tags, references and the other fields Moodle has no
place for travel in each format's extension point: a ``// skillprobe: {...}``
comment line just above a GIFT question, and an HTML comment in a Moodle XML
question's general feedback (Moodle keeps both and shows neither). The record
is the same in both formats.
"""

from __future__ import annotations

import json
from typing import Any

METADATA_NAME = "skillprobe"
KNOWN_FIELDS = (
    "difficulty",
    "irt",
    "tags",
    "references",
    "shuffle",
    "unit",
    "tolerance",
    "pattern",
)


def encode_metadata(record: dict[str, Any]) -> str:
    """One line of JSON (newlines in values are escaped), in the order given."""
    return json.dumps(record, ensure_ascii=False)


def decode_metadata(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The record, or None and why it cannot be read."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"the skillprobe data is not valid JSON ({error.msg} at column {error.colno})"
    if not isinstance(record, dict):
        return None, 'the skillprobe data must be a JSON object: {"difficulty": 3, ...}'
    unknown = [name for name in record if name not in KNOWN_FIELDS]
    if unknown:
        return None, (
            f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            f"in the skillprobe data (known: {', '.join(KNOWN_FIELDS)})"
        )
    return record, None
