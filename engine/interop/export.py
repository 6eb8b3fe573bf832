"""`bank export`: skillprobe items as GIFT or Moodle XML."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from engine.bank.messages import did_you_mean
from engine.bank.model import Bank, ItemSpec
from engine.interop.gift import write_gift
from engine.interop.mapping import questions_from_items
from engine.interop.moodle_xml import write_moodle_xml
from engine.interop.problems import Problem


class ExportFormat(enum.Enum):
    GIFT = "gift"
    MOODLE_XML = "moodle-xml"


@dataclass(frozen=True)
class ExportOutcome:
    text: str
    question_count: int
    problems: tuple[Problem, ...]


def export_items(
    items: Sequence[ItemSpec], export_format: ExportFormat, header: Sequence[str] = ()
) -> ExportOutcome:
    """The items in `export_format`, and a problem for each item Moodle cannot fully use."""
    questions, problems = questions_from_items(items)
    if export_format is ExportFormat.GIFT:
        text = write_gift(questions, header)
    else:
        text = write_moodle_xml(questions, header)
    return ExportOutcome(text, len(questions), tuple(problems))


def select_items(
    bank: Bank, area: str | None = None, topic: str | None = None
) -> tuple[tuple[ItemSpec, ...], str | None]:
    """The bank's items in `area` and `topic` (None: all), or why the filter matches nothing."""
    area_ids = [a.id for a in bank.areas]
    if area is not None and area not in area_ids:
        hint = did_you_mean(area, area_ids)
        return (), f"unknown area '{area}'{hint} (areas: {', '.join(area_ids)})"
    topics = [t.id for a in bank.areas if area in (None, a.id) for t in a.topics]
    if topic is not None and topic not in topics:
        where = f"area '{area}'" if area else "the bank"
        hint = did_you_mean(topic, topics)
        return (), f"unknown topic '{topic}' in {where}{hint} (topics: {', '.join(topics)})"
    chosen = tuple(
        item for item in bank.items if area in (None, item.area) and topic in (None, item.topic)
    )
    return chosen, None
