"""The cohort report as text, Markdown, JSON and CSV.

Text and Markdown come from one walk into the report's `Document`
(`engine.report.document`), whose renderers strip control characters from
every piece of text and escape untrusted text (learner names, item prompts)
so it never becomes Markdown. CSV cells go through `printable` too, and a
text cell that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``) gets a leading apostrophe (OWASP's advice against CSV
injection).
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from engine.irt.levels import NAMING_PROBABILITY, probability_words
from engine.report.cohort import (
    HISTOGRAM_BIN,
    HISTOGRAM_RANGE,
    SHARE_INTERVAL,
    AreaProgress,
    AreaSummary,
    CohortReport,
    CohortTopic,
    LearnerArea,
    MissedItem,
    Share,
)
from engine.report.document import (
    Block,
    Document,
    Heading,
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
from engine.report.readiness import LEVELS
from engine.report.wording import MAX_CALLABLE_SE, MIN_AREA_ANSWERS, MODEL_BASED, TOO_EARLY
from engine.text import printable

#: One letter per level in the learner table; a run reads "D-J".
LEVEL_LETTERS = dict(zip(LEVELS, "FDJS", strict=True))
#: Sparkline characters for the histograms, from empty to the tallest bin.
BARS = " ▁▂▃▄▅▆▇█"
#: Topics listed when none is called weak: the ones closest to it.
CLOSEST_TOPICS = 5
PROMPT_WIDTH = 60
#: Characters a spreadsheet reads as the start of a formula (OWASP, CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@")


# -- small formats -----------------------------------------------------------------------------


def _date(report: CohortReport, which: str) -> str:
    moment = report.window.since if which == "since" else report.window.until
    return moment.strftime("%Y-%m-%d") if moment is not None else "the start"


def _share(share: Share) -> str:
    if math.isnan(share.expected):
        return "-"
    return f"{share.expected:.0%} ({share.low:.0%}-{share.high:.0%})"


def level_code(result: LearnerArea) -> str:
    """ "J", "D-J", or "?" when there is too little evidence for a level."""
    if not result.enough_evidence:
        return "?"
    names = result.level.split(" or ") if " or " in result.level else result.level.split(" to ")
    letters = [LEVEL_LETTERS.get(name, "?") for name in names]
    return "-".join(letters)


def learner_cell(result: LearnerArea | None) -> str:
    if result is None:
        return "-"
    if not result.enough_evidence:
        return f"? ({result.answered} answers)"
    return f"{level_code(result)} {probability_words(result.p_job_ready, compact=True)}"


def sparkline(counts: tuple[int, ...]) -> str:
    tallest = max(counts, default=0)
    if tallest == 0:
        return " " * len(counts)
    return "".join(BARS[math.ceil(count / tallest * (len(BARS) - 1))] for count in counts)


def _cut_marks(area: AreaSummary) -> str:
    low, _ = HISTOGRAM_RANGE
    marks = [" "] * len(area.histogram.counts)
    for cut in (area.cut_scores.developing, area.cut_scores.job_ready, area.cut_scores.strong):
        position = math.floor((cut - low) / HISTOGRAM_BIN)
        if 0 <= position < len(marks):
            marks[position] = "^"
    return "".join(marks)


def first_line(text: str, width: int = PROMPT_WIDTH) -> str:
    """The first line of a prompt that says something (code fences skipped), shortened."""
    lines = (part.strip() for part in printable(text, multiline=True).split("\n"))
    line = next((part for part in lines if part and not part.startswith(("```", "~~~"))), "")
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


# -- the one walk ------------------------------------------------------------------------------


def _heading(report: CohortReport) -> list[Block]:
    period = (
        f"quizzes started from {_date(report, 'since')} to {_date(report, 'until')} (UTC days)"
        if report.window.since is not None
        else f"all quizzes started up to {_date(report, 'until')} (UTC)"
    )
    return [
        Heading((Span("Cohort report: "), Span(report.cohort, Style.STRONG)), depth=1),
        Paragraph(
            plain(
                f"{period}; {report.members} member{'s' if report.members != 1 else ''}, "
                f"{report.active} active in that period, {report.answers} answers."
            )
        ),
        Paragraph(
            plain(
                f"All probabilities are {MODEL_BASED} (the questions behave as their parameters "
                "say; each learner's result is what their own report of their latest quiz says). "
                f"Shares give the expected share and a {SHARE_INTERVAL:.0%} interval that "
                "allows for each member's measurement error; they describe this cohort, not "
                "learners in general."
            )
        ),
    ]


def _areas_section(report: CohortReport) -> list[Block]:
    rows = []
    for area in report.areas:
        mean = f"{area.mean_estimate:+.2f}" if area.mean_estimate is not None else "-"
        rows.append(
            (
                plain(area.title),
                plain(
                    f"{area.measured}" + (f" ({area.too_early} early)" if area.too_early else "")
                ),
                plain(mean),
                *(plain(_share(share)) for share in area.levels),
                plain(_share(area.job_ready)),
            )
        )
    width = max((len(area.title) for area in report.areas), default=0)
    low, high = HISTOGRAM_RANGE
    lines = []
    for area in report.areas:
        lines.append(
            f"{area.title:<{width}}  |{sparkline(area.histogram.counts)}|  {area.measured} measured"
        )
        lines.append(f"{'':<{width}}   {_cut_marks(area)}")
    lines.append(
        f"{'':<{width}}  latest estimates from {low:+.0f} to {high:+.0f}, {HISTOGRAM_BIN} per bar; "
        "^ the bars holding the cut scores"
    )
    return [
        Heading(plain("Areas: where the cohort stands (each member's latest result)")),
        Table(
            ("area", "measured", "mean", *LEVELS, "job-ready or above"),
            tuple(rows),
        ),
        Preformatted(tuple(lines)),
    ]


def _learners_section(report: CohortReport) -> list[Block]:
    areas = [(area.area, area.title) for area in report.areas]
    rows = []
    for learner in report.learners:
        last = learner.last_active.strftime("%Y-%m-%d") if learner.last_active else "never"
        rows.append(
            (
                plain(learner.name),
                plain(str(learner.quizzes)),
                plain(last),
                *(plain(learner_cell(learner.areas.get(area))) for area, _ in areas),
            )
        )
    legend = (
        "Each area: the level (F Foundations, D Developing, J Job-ready, S Strong; a run such as "
        f"D-J when the evidence holds {NAMING_PROBABILITY:.0%} only across both) and P(job-ready); "
        f"? means {TOO_EARLY.lower()} (fewer than {MIN_AREA_ANSWERS} answers or SE above "
        f"{MAX_CALLABLE_SE}). Quizzes: started in the period."
    )
    return [
        Heading(plain("Learners")),
        Paragraph(plain(legend)),
        Table(("learner", "quizzes", "last active", *(title for _, title in areas)), tuple(rows)),
    ]


def _topic_sentence(topic: CohortTopic, area_title: str) -> str:
    return (
        f"{topic.title} ({area_title}): {topic.correct} of {topic.answered} right from "
        f"{topic.learners} learner{'s' if topic.learners != 1 else ''}, about "
        f"{topic.expected:.1f} expected at their levels; effect {topic.effect:+.2f} logits, "
        f"{MODEL_BASED} chance it is at least half a logit below the area: "
        f"{probability_words(topic.probability_weak)}"
    )


def _topics_section(report: CohortReport) -> list[Block]:
    titles = {area.area: area.title for area in report.areas}
    blocks: list[Block] = [Heading(plain("Topics weak across the cohort"))]
    weak = report.weak_topics
    method = (
        "A topic effect shared by the cohort, every answer in the period pooled (each quiz's "
        f"ability integrated out); a topic is called weak at a {report.false_discovery_rate:.0%} "
        "false discovery rate across all topics."
    )
    if weak:
        blocks.append(Paragraph(plain(method)))
        blocks.append(
            ItemList(
                tuple(
                    ListItem(
                        plain(_topic_sentence(topic, titles.get(topic.area, topic.area))),
                        tuple(plain(pointer) for pointer in topic.study[:2]),
                    )
                    for topic in weak
                ),
                ordered=True,
            )
        )
        return blocks
    if not report.topics:
        blocks.append(Paragraph(plain("No answers in the period.")))
        return blocks
    blocks.append(Paragraph(plain(f"No topic is called weak. {method} Closest to it:")))
    closest = sorted(report.topics, key=lambda t: (t.p_value, t.effect))[:CLOSEST_TOPICS]
    blocks.append(
        Table(
            ("topic", "area", "right", "expected", "effect", "p-value"),
            tuple(
                (
                    plain(topic.title),
                    plain(titles.get(topic.area, topic.area)),
                    plain(f"{topic.correct} of {topic.answered}"),
                    plain(f"{topic.expected:.1f}"),
                    plain(f"{topic.effect:+.2f}"),
                    plain(f"{topic.p_value:.2f}"),
                )
                for topic in closest
            ),
        )
    )
    return blocks


def _progress_cell(progress: AreaProgress) -> tuple[str, str]:
    if progress.mean_change is None or progress.se_change is None:
        return "-", "-"
    before = progress.job_ready_before or 0.0
    after = progress.job_ready_after or 0.0
    return (
        f"{progress.mean_change:+.2f} ± {progress.se_change:.2f}",
        f"{before:.0%} -> {after:.0%}",
    )


def _progress_section(report: CohortReport) -> list[Block]:
    start = (
        "each learner's first result"
        if report.progress_from_first
        else f"each learner's latest result before {_date(report, 'since')}"
    )
    rows = []
    for progress in report.progress:
        change, job_ready = _progress_cell(progress)
        rows.append(
            (plain(progress.title), plain(str(progress.learners)), plain(change), plain(job_ready))
        )
    return [
        Heading(plain("Progress")),
        Paragraph(
            plain(
                f"From {start} to their latest by {_date(report, 'until')}, for learners measured "
                "at both points: the mean change of the estimate (± its standard error, which "
                "treats the two results as independent and so errs on the wide side) and the "
                "expected share at or above the job-ready bar."
            )
        ),
        Table(("area", "learners", "mean change", "job-ready share"), tuple(rows)),
    ]


def _calibration_cell(item: MissedItem) -> str:
    note = item.calibration
    if note is None:
        return "not calibrated yet"
    parts = []
    if note.infit is not None and note.outfit is not None:
        parts.append(f"infit {note.infit:.2f}, outfit {note.outfit:.2f}")
    if note.flags:
        parts.append("flags: " + ", ".join(note.flags))
    return "; ".join(parts) or f"calibrated on {note.responses} answers"


def _items_section(report: CohortReport) -> list[Block]:
    blocks: list[Block] = [Heading(plain("Most-missed questions"))]
    if not report.items:
        blocks.append(Paragraph(plain("No question was missed in the period.")))
        return blocks
    blocks.append(
        Paragraph(
            plain(
                "Misses in the period against the misses the model expects from the learners "
                "who answered (each answer judged from the rest of that quiz); many more than "
                "expected points at the question (its key, wording or difficulty), not only at "
                "the learners. Calibration figures come from `skillprobe calibrate`."
            )
        )
    )
    rows = tuple(
        (
            (Span(item.item_id, Style.CODE),),
            plain(first_line(item.prompt)),
            plain(f"{item.missed} of {item.asked}"),
            plain(f"{item.expected_missed:.1f}"),
            plain(str(item.learners)),
            plain(_calibration_cell(item)),
        )
        for item in report.items
    )
    blocks.append(
        Table(("item", "question", "missed", "expected", "learners", "calibration"), rows)
    )
    return blocks


def cohort_document(report: CohortReport) -> Document:
    blocks = _heading(report)
    blocks += _areas_section(report)
    blocks += _learners_section(report)
    blocks += _topics_section(report)
    blocks += _progress_section(report)
    blocks += _items_section(report)
    return Document(tuple(blocks))


def render_cohort_text(report: CohortReport) -> str:
    return render_document_text(cohort_document(report))


def render_cohort_markdown(report: CohortReport) -> str:
    return render_document_markdown(cohort_document(report))


# -- JSON ----------------------------------------------------------------------------------------


def _number(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _share_dict(share: Share) -> dict[str, float | None]:
    return {
        "expected": _number(share.expected),
        "low": _number(share.low),
        "high": _number(share.high),
    }


def _learner_area_dict(result: LearnerArea) -> dict[str, Any]:
    return {
        "quiz_id": result.quiz_id,
        "measured_at": result.measured_at.isoformat(),
        "answered": result.answered,
        "estimate": result.estimate,
        "se": result.se,
        "level": result.level,
        "level_probability": result.level_probability,
        "levels": dict(zip(LEVELS, result.levels, strict=True)),
        "p_job_ready": result.p_job_ready,
        "enough_evidence": result.enough_evidence,
    }


def _area_dict(area: AreaSummary, progress: AreaProgress | None) -> dict[str, Any]:
    return {
        "title": area.title,
        "measured": area.measured,
        "too_early": area.too_early,
        "mean_estimate": _number(area.mean_estimate),
        "histogram": {"edges": list(area.histogram.edges), "counts": list(area.histogram.counts)},
        "levels": {
            name: _share_dict(share) for name, share in zip(LEVELS, area.levels, strict=True)
        },
        "job_ready_or_above": _share_dict(area.job_ready),
        "cut_scores": {
            "developing": area.cut_scores.developing,
            "job_ready": area.cut_scores.job_ready,
            "strong": area.cut_scores.strong,
        },
        "progress": None
        if progress is None
        else {
            "learners": progress.learners,
            "mean_change": _number(progress.mean_change),
            "se_change": _number(progress.se_change),
            "job_ready_before": _number(progress.job_ready_before),
            "job_ready_after": _number(progress.job_ready_after),
        },
    }


def _topic_dict(topic: CohortTopic) -> dict[str, Any]:
    return {
        "area": topic.area,
        "topic": topic.topic,
        "title": topic.title,
        "answered": topic.answered,
        "correct": topic.correct,
        "expected": topic.expected,
        "effect": topic.effect,
        "effect_sd": topic.effect_sd,
        "probability_weak": topic.probability_weak,
        "p_value": _number(topic.p_value),
        "weak": topic.weak,
        "learners": topic.learners,
        "study": list(topic.study),
    }


def _item_dict(item: MissedItem) -> dict[str, Any]:
    note = item.calibration
    return {
        "item_id": item.item_id,
        "area": item.area,
        "topic": item.topic,
        "prompt": item.prompt,
        "asked": item.asked,
        "missed": item.missed,
        "expected_missed": item.expected_missed,
        "learners": item.learners,
        "calibration": None
        if note is None
        else {
            "responses": note.responses,
            "proportion_correct": note.proportion_correct,
            "infit": note.infit,
            "outfit": note.outfit,
            "flags": list(note.flags),
        },
    }


def cohort_to_dict(report: CohortReport) -> dict[str, Any]:
    progress = {p.area: p for p in report.progress}
    return {
        "cohort": report.cohort,
        "window": {
            "since": report.window.since.isoformat() if report.window.since else None,
            "until": report.window.until.isoformat(),
        },
        "members": report.members,
        "active": report.active,
        "answers": report.answers,
        "model": {
            "naming_probability": NAMING_PROBABILITY,
            "share_interval": SHARE_INTERVAL,
            "false_discovery_rate": report.false_discovery_rate,
            "progress_from": "first result" if report.progress_from_first else "since",
        },
        "learners": [
            {
                "name": learner.name,
                "quizzes": learner.quizzes,
                "answered": learner.answered,
                "last_active": learner.last_active.isoformat() if learner.last_active else None,
                "areas": {area: _learner_area_dict(r) for area, r in learner.areas.items()},
            }
            for learner in report.learners
        ],
        "areas": {area.area: _area_dict(area, progress.get(area.area)) for area in report.areas},
        "topics": [_topic_dict(topic) for topic in report.topics],
        "weak_topics": [topic.topic for topic in report.weak_topics],
        "items": [_item_dict(item) for item in report.items],
    }


def render_cohort_json(report: CohortReport) -> str:
    return json.dumps(cohort_to_dict(report), indent=2) + "\n"


# -- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "cohort",
    "learner",
    "area",
    "level",
    "level_probability",
    "p_job_ready",
    "estimate",
    "se",
    "answered",
    "quiz_id",
    "measured_at",
    "quizzes",
    "last_active",
)


def spreadsheet_text(value: str) -> str:
    """Text safe in a spreadsheet cell: no control characters, never read as a formula."""
    text = printable(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_cohort_csv(report: CohortReport) -> str:
    """One row per learner and area (empty figures where the learner has no result)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for learner in report.learners:
        last = learner.last_active.isoformat() if learner.last_active else ""
        for area in report.areas:
            result = learner.areas.get(area.area)
            figures: list[object] = ["", "", "", "", "", "", "", ""]
            if result is not None:
                figures = [
                    result.level,
                    f"{result.level_probability:.4f}",
                    f"{result.p_job_ready:.4f}",
                    f"{result.estimate:.4f}",
                    f"{result.se:.4f}",
                    result.answered,
                    result.quiz_id,
                    result.measured_at.isoformat(),
                ]
            writer.writerow(
                [
                    spreadsheet_text(report.cohort),
                    spreadsheet_text(learner.name),
                    area.area,
                    *figures,
                    learner.quizzes,
                    last,
                ]
            )
    return out.getvalue()
