"""The readiness report as plain text, Markdown or JSON (for people, mentors and scripts).

`report_document` walks the report once into a `Document`; `render_text` and
`render_markdown` render that one structure (`engine.report.document`), so the
two always say the same thing. `report_to_dict` is the data behind both, for
`--format json`.
"""

from __future__ import annotations

import json
import math
from typing import Any, Protocol

from engine.bank.model import CutScores
from engine.clock import describe_duration
from engine.irt.levels import NAMING_PROBABILITY, probability_words
from engine.irt.topics import DEFAULT_FALSE_DISCOVERY_RATE
from engine.report.document import (
    AuthoredMarkdown,
    Block,
    Document,
    Heading,
    Inline,
    ItemList,
    ListItem,
    Paragraph,
    Preformatted,
    Span,
    Style,
    Table,
    plain,
    render_document_markdown,
    render_document_text,
)
from engine.report.readiness import LEVELS, AreaReadiness, LevelCall, OverallReadiness, Report
from engine.report.wording import (
    level_words,
    model_note,
    no_weak_topic_sentence,
    practice_sentence,
    starting_point,
    time_limit_sentence,
    weak_topic_sentence,
)

BAR_WIDTH = 40
BAR_RANGE = (-3.0, 3.0)


class _OnTheScale(Protocol):
    @property
    def estimate(self) -> float: ...
    @property
    def interval(self) -> tuple[float, float]: ...
    @property
    def cut_scores(self) -> CutScores: ...


def ability_bar(area: _OnTheScale, width: int = BAR_WIDTH) -> str:
    """A one-line scale: interval as '=', estimate '#', cut scores '|'.

    ``[----|====#=====|----------|-----]`` reads left (weak) to right (strong).
    """
    low, high = BAR_RANGE

    def column(theta: float) -> int:
        clipped = min(max(theta, low), high)
        return round((clipped - low) / (high - low) * (width - 1))

    cells = ["-"] * width
    for position in range(column(area.interval[0]), column(area.interval[1]) + 1):
        cells[position] = "="
    cuts = area.cut_scores
    for cut in (cuts.developing, cuts.job_ready, cuts.strong):
        cells[column(cut)] = "|"
    cells[column(area.estimate)] = "#"
    return "[" + "".join(cells) + "]"


# -- the one walk ---------------------------------------------------------------


def _title(report: Report) -> Inline:
    when = (report.finished_at or report.started_at).strftime("%Y-%m-%d %H:%M UTC")
    state = "finished" if report.status == "finished" else "unfinished"
    return (
        Span("Readiness report for "),
        Span(report.learner, Style.STRONG),
        Span(
            f": quiz {report.session_id} ({report.mode}, {state}, {when}), "
            f"{report.correct} of {report.answered} correct"
        ),
    )


def _level_cell(level: str, levels: LevelCall | None, enough: bool) -> str:
    if levels is None:
        return level
    return level_words(level, levels.named.probability, enough)


def _percent(probability: float) -> Inline:
    return plain(probability_words(probability, compact=True))


def _area_row(
    title: str,
    level: str,
    levels: LevelCall | None,
    enough: bool,
    p_job_ready: float,
    estimate: float,
    se: float,
    interval: tuple[float, float],
) -> tuple[Inline, ...]:
    return (
        plain(title),
        plain(_level_cell(level, levels, enough)),
        _percent(p_job_ready) if enough else plain("-"),
        plain(f"{estimate:+.2f}"),
        plain(f"{se:.2f}"),
        plain(f"{interval[0]:+.2f} to {interval[1]:+.2f}"),
    )


def _overall_title(overall: OverallReadiness) -> str:
    return "Overall (mean)"


def _areas_section(report: Report) -> list[Block]:
    rows = [
        _area_row(
            a.title,
            a.level,
            a.levels,
            a.enough_evidence,
            a.p_job_ready,
            a.estimate,
            a.se,
            a.interval,
        )
        for a in report.areas
    ]
    overall = report.overall_readiness
    if overall is not None and overall.areas > 1:
        rows.append(
            _area_row(
                _overall_title(overall),
                overall.level,
                overall.levels,
                overall.enough_evidence,
                overall.p_job_ready,
                overall.estimate,
                overall.se,
                overall.interval,
            )
        )
    blocks: list[Block] = [
        Heading(plain("Areas (ability on a scale where 0 is the entry-level job-ready bar)")),
        Table(("area", "level", "P(job-ready)", "estimate", "SE", "90% interval"), tuple(rows)),
    ]
    scaled: list[tuple[str, _OnTheScale]] = [(a.title, a) for a in report.areas]
    if overall is not None and overall.areas > 1:
        scaled.append(("Overall", overall))
    width = max((len(title) for title, _ in scaled), default=0)
    bars = [f"{title:<{width}}  {ability_bar(value)}" for title, value in scaled]
    bars.append(f"{'':<{width}}  scale -3 to +3; | cut scores, = 90% interval, # estimate")
    blocks.append(Preformatted(tuple(bars)))
    return blocks


def _levels_section(report: Report) -> list[Block]:
    rows = [
        (plain(a.title), *(_percent(p) for p in a.levels.probabilities))
        for a in report.areas
        if a.levels is not None
    ]
    overall = report.overall_readiness
    if overall is not None and overall.areas > 1:
        rows.append(
            (
                plain(_overall_title(overall)),
                *(_percent(p) for p in overall.levels.probabilities),
            )
        )
    if not rows:
        return []
    return [
        Heading(plain("Level probabilities")),
        Paragraph(
            plain(
                "How likely each level is, given your answers. A level is named once it holds "
                f"{NAMING_PROBABILITY:.0%} of the probability; otherwise the fewest adjacent "
                f"levels that together hold {NAMING_PROBABILITY:.0%}."
            )
        ),
        Table(("area", *(name for name in LEVELS)), tuple(rows)),
    ]


def _readiness_item(area: AreaReadiness) -> ListItem:
    return ListItem(
        (Span(area.title, Style.STRONG), Span(f": {area.verdict}")),
        (plain(starting_point(area.carry_over, area.answer_share, area.starts_from_previous)),),
    )


def _topics_section(report: Report) -> list[Block]:
    titles = {area.area: area.title for area in report.areas}
    blocks: list[Block] = [Heading(plain("Focus list: weak topics"))]
    if report.focus:
        items = tuple(
            ListItem(
                plain(
                    weak_topic_sentence(
                        topic.title,
                        titles.get(topic.area, topic.area),
                        topic.correct,
                        topic.answered,
                        topic.expected,
                        topic.quizzes,
                        topic.probability_weak,
                    )
                ),
                tuple(plain(pointer) for pointer in topic.study),
            )
            for topic in report.focus
        )
        blocks.append(ItemList(items, ordered=True))
        return blocks
    tested = len(report.topics)
    answers = sum(topic.answered for topic in report.topics) / tested if tested else 0.0
    blocks.append(
        Paragraph(
            plain(
                no_weak_topic_sentence(answers, report.quizzes_pooled, DEFAULT_FALSE_DISCOVERY_RATE)
            )
        )
    )
    return blocks


def _next_steps_section(report: Report) -> list[Block]:
    if not report.next_steps:
        return []
    items = []
    for step in report.next_steps:
        missed = [m for m in step.missed_by_topic if m.missed]
        if missed:
            counts = ", ".join(f"{m.title} {m.missed} of {m.answered}" for m in missed)
            summary = f"questions missed by topic: {counts}"
        else:
            summary = "no question missed"
        children = [plain(pointer) for pointer in step.study]
        children.append(
            plain(
                f"Practise {step.title}: `skillprobe practice --areas {step.area}` brings back "
                "the questions you missed and asks new ones at the right difficulty."
            )
        )
        items.append(
            ListItem((Span(step.title, Style.STRONG), Span(f": {summary}")), tuple(children))
        )
    return [Heading(plain("Next steps")), ItemList(tuple(items))]


def _review_section(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Heading(plain(f"Review: {len(report.review)} missed question(s)")),
    ]
    for entry in report.review:
        blocks.append(Heading((Span(f"Q{entry.number} · "), Span(entry.item_id)), depth=3))
        if entry.prompt.strip():
            blocks.append(AuthoredMarkdown(entry.prompt))
        blocks.append(
            ItemList(
                (
                    ListItem((Span("Your answer:", Style.STRONG), Span(f" {entry.your_answer}"))),
                    ListItem((Span("Right answer:", Style.STRONG), Span(f" {entry.right_answer}"))),
                )
            )
        )
        if entry.explanation.strip():
            blocks.append(AuthoredMarkdown(entry.explanation))
    return blocks


def _progress_section(report: Report) -> list[Block]:
    areas = [area.area for area in report.areas]
    rows = []
    for past in report.history:
        cells = []
        for area in areas:
            estimate = past.areas.get(area)
            cells.append(
                plain(f"{estimate.estimate:+.2f} ± {estimate.se:.2f}" if estimate else "-")
            )
        rows.append(
            (
                plain(str(past.session_id)),
                plain(past.date.strftime("%Y-%m-%d")),
                plain(str(past.answered)),
                *cells,
            )
        )
    return [
        Heading(plain("Progress (estimate ± SE per quiz)")),
        Table(("quiz", "date", "answered", *areas), tuple(rows)),
    ]


def _practice_section(report: Report) -> list[Block]:
    tally = report.practice
    sessions, answered, correct = (
        (tally.sessions, tally.answered, tally.correct) if tally else (0, 0, 0)
    )
    return [
        Heading(plain("Practice (not counted above)")),
        Paragraph(plain(practice_sentence(sessions, answered, correct))),
    ]


def uncounted_sentence(uncounted: int) -> str:
    """The report's one line about answers that do not count (never which ones)."""
    answers = "answer was" if uncounted == 1 else "answers were"
    return (
        f"{uncounted} further {answers} not counted: new questions being tried out, "
        "or questions whose answer you had already been shown."
    )


def report_document(report: Report) -> Document:
    """The report walked once into the structure both the text and Markdown renderers use."""
    blocks: list[Block] = [Heading(_title(report), depth=1)]
    if report.time_limit_s is not None:
        limit = describe_duration(report.time_limit_s)
        blocks.append(
            Paragraph(
                plain(
                    time_limit_sentence(
                        limit, report.answered, report.time_ran_out, report.status == "finished"
                    )
                )
            )
        )
    if report.uncounted:
        blocks.append(Paragraph(plain(uncounted_sentence(report.uncounted))))
    priors = [(area.title, (report.population or {}).get(area.area)) for area in report.areas]
    blocks.append(Paragraph(plain(model_note(priors))))
    blocks += _areas_section(report)
    blocks += _levels_section(report)
    if report.areas:
        blocks.append(Heading(plain("Readiness")))
        blocks.append(ItemList(tuple(_readiness_item(area) for area in report.areas)))
    blocks += _topics_section(report)
    blocks += _next_steps_section(report)
    blocks += _practice_section(report)
    blocks += _review_section(report)
    blocks += _progress_section(report)
    return Document(tuple(blocks))


def render_text(report: Report) -> str:
    return render_document_text(report_document(report))


def render_markdown(report: Report) -> str:
    return render_document_markdown(report_document(report))


# -- JSON -------------------------------------------------------------------------


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _levels_dict(levels: LevelCall | None) -> dict[str, Any] | None:
    if levels is None:
        return None
    return {
        "probabilities": dict(zip(LEVELS, levels.probabilities, strict=True)),
        "named": list(levels.names),
        "named_probability": levels.named.probability,
    }


def _cuts_dict(cuts: CutScores) -> dict[str, float]:
    return {"developing": cuts.developing, "job_ready": cuts.job_ready, "strong": cuts.strong}


def _area_dict(area: AreaReadiness) -> dict[str, Any]:
    carry = area.carry_over
    return {
        "title": area.title,
        "estimate": area.estimate,
        "se": area.se,
        "interval_90": list(area.interval),
        "level": area.level,
        "levels": _levels_dict(area.levels),
        "p_job_ready": area.p_job_ready,
        "enough_evidence": area.enough_evidence,
        "verdict": area.verdict,
        "answered": area.answered,
        "correct": area.correct,
        "prior": {"mean": area.prior[0], "sd": area.prior[1]},
        "answer_share": area.answer_share,
        "starts_from_previous": area.starts_from_previous,
        "carry_over": None
        if carry is None
        else {
            "previous_estimate": _finite(carry.previous_mean),
            "previous_se": _finite(carry.previous_se),
            "days": carry.days,
            "growth": carry.growth,
            "drift_sd": _finite(carry.drift_sd),
        },
        "cut_scores": _cuts_dict(area.cut_scores),
    }


def _overall_dict(report: Report) -> dict[str, Any]:
    result: dict[str, Any] = {"estimate": report.overall.estimate, "se": report.overall.se}
    overall = report.overall_readiness
    if overall is not None:
        result |= {
            "areas": overall.areas,
            "interval_90": list(overall.interval),
            "level": overall.level,
            "levels": _levels_dict(overall.levels),
            "p_job_ready": overall.p_job_ready,
            "enough_evidence": overall.enough_evidence,
            "cut_scores": _cuts_dict(overall.cut_scores),
        }
    return result


def report_to_dict(report: Report) -> dict[str, Any]:
    population = report.population or {}
    return {
        "learner": report.learner,
        "session_id": report.session_id,
        "mode": report.mode,
        "status": report.status,
        "started_at": report.started_at.isoformat(),
        "finished_at": report.finished_at.isoformat() if report.finished_at else None,
        "answered": report.answered,
        "correct": report.correct,
        "time_limit_s": report.time_limit_s,
        "time_ran_out": report.time_ran_out,
        "uncounted": report.uncounted,
        "practice": {
            "sessions": report.practice.sessions if report.practice else 0,
            "answered": report.practice.answered if report.practice else 0,
            "correct": report.practice.correct if report.practice else 0,
            "counted_in_estimates": False,
        },
        "model": {
            "note": model_note([(a.title, population.get(a.area)) for a in report.areas]),
            "naming_probability": NAMING_PROBABILITY,
            "false_discovery_rate": DEFAULT_FALSE_DISCOVERY_RATE,
            "quizzes_pooled_for_topics": report.quizzes_pooled,
            "population": {
                area: {
                    "mean": prior.mean,
                    "sd": prior.sd,
                    "learners": prior.learners,
                    "weight": prior.weight,
                }
                for area, prior in population.items()
            },
        },
        "overall": _overall_dict(report),
        "areas": {area.area: _area_dict(area) for area in report.areas},
        "topics": [
            {
                "area": t.area,
                "topic": t.topic,
                "title": t.title,
                "answered": t.answered,
                "correct": t.correct,
                "expected": t.expected,
                "probability_weak": t.probability_weak,
                "effect": t.effect,
                "p_value": t.p_value,
                "weak": t.weak,
                "quizzes": t.quizzes,
            }
            for t in report.topics
        ],
        "focus": [
            {
                "area": t.area,
                "topic": t.topic,
                "title": t.title,
                "probability_weak": t.probability_weak,
                "study": list(t.study),
            }
            for t in report.focus
        ],
        "next_steps": [
            {
                "area": step.area,
                "missed_by_topic": [
                    {"topic": m.topic, "title": m.title, "missed": m.missed, "answered": m.answered}
                    for m in step.missed_by_topic
                ],
                "study": list(step.study),
            }
            for step in report.next_steps
        ],
        "questions": [
            {
                "number": a.number,
                "item_id": a.item_id,
                "area": a.area,
                "topic": a.topic,
                "correct": a.correct,
                "skipped": a.skipped,
                "your_answer": a.your_answer,
                "right_answer": a.right_answer,
                "response_time_ms": a.response_time_ms,
            }
            for a in report.answers
        ],
        "history": [
            {
                "session_id": past.session_id,
                "date": past.date.isoformat(),
                "answered": past.answered,
                "areas": {
                    area: {"estimate": e.estimate, "se": e.se, "answered": e.answered}
                    for area, e in past.areas.items()
                },
            }
            for past in report.history
        ],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2)
