"""The published JSON Schemas are generated from the models and must match them."""

from __future__ import annotations

import json

from engine.bank.json_schema import rendered_schemas
from tests.conftest import SHIPPED_BANK


def test_published_schemas_are_up_to_date() -> None:
    for name, expected in rendered_schemas().items():
        on_disk = (SHIPPED_BANK / name).read_text(encoding="utf-8")
        assert on_disk == expected, f"quizzes/{name} is stale: run `skillprobe bank schema`"


def test_topic_schema_describes_every_item_type() -> None:
    schema = json.loads(rendered_schemas()["schema.json"])
    mapping = schema["items"]["discriminator"]["mapping"]
    assert set(mapping) == {"single", "multiple", "true_false", "numeric", "text"}


def test_topic_files_point_editors_at_the_schema() -> None:
    for path in SHIPPED_BANK.glob("*/*.yaml"):
        first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first_line == "# yaml-language-server: $schema=../schema.json", path
