"""The published JSON Schemas, generated from the typed models in `engine.bank.schema`."""

from __future__ import annotations

import json
from pathlib import Path

from engine.bank.schema import areas_file_json_schema, topic_file_json_schema

TOPIC_SCHEMA_FILE = "schema.json"
AREAS_SCHEMA_FILE = "areas.schema.json"


def rendered_schemas() -> dict[str, str]:
    """File name -> exact text that should be on disk."""
    return {
        TOPIC_SCHEMA_FILE: _render(topic_file_json_schema()),
        AREAS_SCHEMA_FILE: _render(areas_file_json_schema()),
    }


def write_schemas(bank_root: Path) -> list[Path]:
    written = []
    for name, text in rendered_schemas().items():
        path = bank_root / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _render(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
