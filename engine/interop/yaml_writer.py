"""Topic files and areas.yaml written the way authors write them.

Items are dumped one at a time, separated by a blank line, fields in the order
docs/authoring.md shows them; multi-line Markdown becomes a literal block
(``|``), short lists and tolerances stay on one line. What the loader reads
back is exactly the data given here (the round-trip tests check it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from engine.interop.mapping import ConvertedItem

TOPIC_SCHEMA_LINE = "# yaml-language-server: $schema=../schema.json"
AREAS_SCHEMA_LINE = "# yaml-language-server: $schema=areas.schema.json"
FIELD_ORDER = (
    "id",
    "type",
    "difficulty",
    "irt",
    "tags",
    "prompt",
    "options",
    "shuffle",
    "answer",
    "tolerance",
    "unit",
    "accept",
    "pattern",
    "explanation",
    "references",
)
OPTION_ORDER = ("text", "correct", "feedback")
# Cut scores for a new area until the author sets them (as in docs/authoring.md).
DEFAULT_CUT_SCORES = {"developing": -1.0, "job_ready": 0.0, "strong": 1.2}


class _Flow(list[Any]):
    """A list written on one line: ``[a, b]``."""


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: ``{absolute: 0.01}``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under a key ("options:" then "    - text: ..."), as authors do.
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, items: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


def _represent_flow_map(dumper: yaml.SafeDumper, mapping: _FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", mapping, flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Flow, _represent_flow_list)
_Dumper.add_representer(_FlowMap, _represent_flow_map)


def dump_yaml(data: Any) -> str:
    return str(
        yaml.dump(
            data,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=10**9,  # never fold a line: folding would change nothing but diffs
            indent=2,
        )
    )


def topic_file_text(items: Sequence[ConvertedItem], source: str) -> str:
    """A topic file holding `items`, with the schema line editors read first."""
    blocks = [TOPIC_SCHEMA_LINE + f"\n# Converted from {source} by 'skillprobe bank convert'."]
    for item in items:
        comments = "".join(f"# {line}\n" for line in item.comments)
        blocks.append(comments + dump_yaml([_ordered(item.data)]))
    return "\n".join(blocks).rstrip("\n") + "\n"


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    ordered: dict[str, Any] = {}
    for name in FIELD_ORDER:
        if name not in data:
            continue
        value = data[name]
        if name == "tags":
            value = _Flow(value)
        elif name in ("tolerance", "irt"):
            value = _FlowMap(value)
        elif name == "options":
            value = [{k: option[k] for k in OPTION_ORDER if k in option} for option in value]
        ordered[name] = value
    return ordered


def areas_file_text(areas: dict[str, list[str]], source: str) -> str:
    """A new bank's areas.yaml declaring `areas` (area id -> topic ids)."""
    document = {
        "areas": [
            {
                "id": area,
                "title": _title(area),
                "description": f"Questions converted from {source}.",
                "cut_scores": _FlowMap(DEFAULT_CUT_SCORES),
                "topics": [
                    {
                        "id": topic,
                        "title": _title(topic),
                        "description": f"Questions converted from {source}.",
                    }
                    for topic in topics
                ],
            }
            for area, topics in areas.items()
        ]
    }
    header = (
        f"{AREAS_SCHEMA_LINE}\n# Written by 'skillprobe bank convert': give the areas and "
        "topics real titles,\n# descriptions and cut scores.\n"
    )
    return header + dump_yaml(document)


def topic_snippet(area: str, topic: str, exists: bool) -> str:
    """The lines to add to an existing areas.yaml for a missing area or topic."""
    topic_entry = {"id": topic, "title": _title(topic), "description": "..."}
    if exists:
        return dump_yaml([topic_entry])
    return dump_yaml(
        [
            {
                "id": area,
                "title": _title(area),
                "description": "...",
                "cut_scores": _FlowMap(DEFAULT_CUT_SCORES),
                "topics": [topic_entry],
            }
        ]
    )


def _title(identifier: str) -> str:
    words = identifier.replace(".", " ").replace("-", " ")
    return words[:1].upper() + words[1:]
