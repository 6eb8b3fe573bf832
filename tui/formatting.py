"""Small pure helpers that turn values into the words and numbers on screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.report.readiness import Report

LEVEL_CLASSES = {
    "Foundations": "level-foundations",
    "Developing": "level-developing",
    "Job-ready": "level-job-ready",
    "Strong": "level-strong",
}


def short_date(moment: dt.datetime) -> str:
    return moment.strftime("%d %b %Y %H:%M")


def elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def theta(value: float) -> str:
    """An ability on the logit scale, with a real minus sign."""
    return f"{value:+.2f}".replace("-", "−")


def plus_minus(se: float) -> str:
    """A standard error as the learner reads it: "±0.9" (how far the estimate may be off)."""
    return f"±{se:.1f}"


def percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def area_titles(ids: Iterable[str], titles: Mapping[str, str]) -> str:
    names = [titles.get(area, area) for area in ids]
    return ", ".join(names) if names else "all areas"


def precision_fraction(se: float, target: float | None, start: float = 1.0) -> float:
    """How far an area's standard error has come from `start` towards `target`, 0..1.

    Measured in information (1/SE²), which grows about linearly with answers,
    so the bar moves evenly as the quiz goes on.
    """
    if target is None or se <= 0:
        return 0.0
    have = 1.0 / (se * se) - 1.0 / (start * start)
    need = 1.0 / (target * target) - 1.0 / (start * start)
    if need <= 0:
        return 1.0
    return min(1.0, max(0.0, have / need))


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def topic_titles(report: Report) -> dict[tuple[str, str], str]:
    """(area, topic id) -> the topic's title, from what the report knows about its topics."""
    titles = {(topic.area, topic.topic): topic.title for topic in report.topics}
    for step in report.next_steps:
        for missed in step.missed_by_topic:
            titles.setdefault((step.area, missed.topic), missed.title)
    return titles
