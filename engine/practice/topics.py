"""Which topics a practice session's new questions come from, and why (pure).

In order of precedence: the topics the learner asked for; else the focus list of
the latest report (topics called weak); else, because one quiz rarely gives the
evidence to call a topic weak, the `WEAKEST_TOPICS` topics the report's topic
model finds most probably weak; with no quiz yet, every topic. Asking for areas
keeps only their topics.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from engine.bank.model import AreaInfo
from engine.practice.model import TopicRef
from engine.report.weak_topics import TopicFinding

WEAKEST_TOPICS = 3


@dataclass(frozen=True)
class TargetTopics:
    topics: tuple[TopicRef, ...]  # weakest first
    reason: str


def _refs(areas: Sequence[AreaInfo]) -> dict[str, TopicRef]:
    return {topic.id: TopicRef(a.id, topic.id, topic.title) for a in areas for topic in a.topics}


def _unknown(kind: str, names: Sequence[str], known: Sequence[str]) -> str | None:
    unknown = [name for name in names if name not in known]
    if not unknown:
        return None
    name = unknown[0]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"{kind}s: {', '.join(known)}"
    return f"unknown {kind} '{name}'; {hint}"


def request_problem(
    areas: Sequence[AreaInfo], topics: Sequence[str], area_ids: Sequence[str]
) -> str | None:
    """Why the topics or areas asked for cannot be used (a sentence), or None."""
    if topics and area_ids:
        return "give topics or areas, not both"
    known_areas = [area.id for area in areas]
    return _unknown("area", area_ids, known_areas) or _unknown(
        "topic", topics, [topic.id for area in areas for topic in area.topics]
    )


def target_topics(
    areas: Sequence[AreaInfo],
    *,
    topics: Sequence[str] = (),
    area_ids: Sequence[str] = (),
    focus: Sequence[TopicFinding] = (),
    findings: Sequence[TopicFinding] = (),
    quiz_id: int | None = None,
) -> TargetTopics:
    """The target topics (valid names assumed: see `request_problem`)."""
    refs = _refs(areas)
    if topics:
        chosen = tuple(refs[name] for name in dict.fromkeys(topics))
        return TargetTopics(chosen, "the topics you asked for")
    wanted = set(area_ids) or {area.id for area in areas}
    titles = {area.id: area.title for area in areas}
    scope = " in " + ", ".join(titles[a] for a in area_ids) if area_ids else ""
    called = [f for f in focus if f.area in wanted and f.topic in refs]
    if called and quiz_id is not None:
        return TargetTopics(
            tuple(refs[f.topic] for f in called),
            f"the focus list of your report on quiz {quiz_id}{scope}",
        )
    ranked = sorted(
        (f for f in findings if f.area in wanted and f.topic in refs),
        key=lambda f: (-f.probability_weak, f.p_value, f.area, f.topic),
    )
    if ranked and quiz_id is not None:
        return TargetTopics(
            tuple(refs[f.topic] for f in ranked[:WEAKEST_TOPICS]),
            f"the topics most likely weak{scope} in your report on quiz {quiz_id} "
            "(none is called weak yet)",
        )
    every = tuple(ref for ref in refs.values() if ref.area in wanted)
    return TargetTopics(every, f"every topic{scope} (no quiz result points at weak topics yet)")
