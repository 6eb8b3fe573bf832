"""The readiness report as plain text, Markdown or JSON (for people, mentors and scripts)."""

from __future__ import annotations

import json
from typing import Any

from engine.report.readiness import AreaReadiness, Report

BAR_WIDTH = 40
BAR_RANGE = (-3.0, 3.0)


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "learner": report.learner,
        "session_id": report.session_id,
        "mode": report.mode,
        "status": report.status,
        "started_at": report.started_at.isoformat(),
        "finished_at": report.finished_at.isoformat() if report.finished_at else None,
        "answered": report.answered,
        "correct": report.correct,
        "overall": {"estimate": report.overall.estimate, "se": report.overall.se},
        "areas": {
            area.area: {
                "title": area.title,
                "estimate": area.estimate,
                "se": area.se,
                "interval_90": list(area.interval),
                "level": area.level,
                "p_job_ready": area.p_job_ready,
                "enough_evidence": area.enough_evidence,
                "verdict": area.verdict,
                "answered": area.answered,
                "correct": area.correct,
                "cut_scores": {
                    "developing": area.cut_scores.developing,
                    "job_ready": area.cut_scores.job_ready,
                    "strong": area.cut_scores.strong,
                },
            }
            for area in report.areas
        },
        "topics": [
            {
                "area": t.area,
                "topic": t.topic,
                "title": t.title,
                "answered": t.answered,
                "correct": t.correct,
                "expected": t.expected,
                "z": t.z,
                "weak": t.weak,
            }
            for t in report.topics
        ],
        "focus": [
            {"area": t.area, "topic": t.topic, "title": t.title, "z": t.z, "study": list(t.study)}
            for t in report.focus
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


def ability_bar(area: AreaReadiness, width: int = BAR_WIDTH) -> str:
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


def _heading(report: Report) -> str:
    when = (report.finished_at or report.started_at).strftime("%Y-%m-%d %H:%M UTC")
    state = "finished" if report.status == "finished" else "unfinished"
    return (
        f"Readiness report for {report.learner}: quiz {report.session_id} ({report.mode}, "
        f"{state}, {when}), {report.correct} of {report.answered} correct"
    )


def render_text(report: Report) -> str:
    lines = [_heading(report), ""]
    lines.append("Areas (ability on a scale where 0 is the entry-level job-ready bar)")
    for area in report.areas:
        lo, hi = area.interval
        lines.append(
            f"  {area.title:<22} {area.level:<12} estimate {area.estimate:+.2f}  SE {area.se:.2f}  "
            f"90% interval {lo:+.2f} to {hi:+.2f}"
        )
        lines.append(f"  {'':<22} {ability_bar(area)}  {area.verdict}")
    lines.append("")
    lines.append("Focus list (weakest first)")
    if not report.focus:
        lines.append("  No topic stands out as weak yet.")
    for rank, topic in enumerate(report.focus, start=1):
        flag = "weak" if topic.weak else "below expectation"
        lines.append(
            f"  {rank}. {topic.title} ({topic.area}): {topic.correct}/{topic.answered} correct, "
            f"{topic.expected:.1f} expected, {flag}"
        )
        lines.extend(f"       - {pointer}" for pointer in topic.study)
    lines.append("")
    lines.append(f"Review: {len(report.review)} missed question(s)")
    for entry in report.review:
        lines.append(f"  Q{entry.number} [{entry.item_id}]")
        lines.extend(f"    {line}" for line in entry.prompt.strip().split("\n"))
        lines.append(f"    Your answer:  {entry.your_answer}")
        lines.append(f"    Right answer: {entry.right_answer}")
        lines.extend(f"    {line}" for line in entry.explanation.strip().split("\n"))
        lines.append("")
    lines.extend(_progress_lines(report, markdown=False))
    return "\n".join(lines).rstrip() + "\n"


def _progress_lines(report: Report, *, markdown: bool) -> list[str]:
    areas = [area.area for area in report.areas]
    if markdown:
        lines = ["## Progress", "", "| quiz | date | answered | " + " | ".join(areas) + " |"]
        lines.append("|" + "---|" * (3 + len(areas)))
    else:
        lines = ["Progress (estimate ± SE per quiz)"]
    for past in report.history:
        cells = []
        for area in areas:
            estimate = past.areas.get(area)
            cells.append(f"{estimate.estimate:+.2f} ± {estimate.se:.2f}" if estimate else "-")
        date = past.date.strftime("%Y-%m-%d")
        if markdown:
            row = f"| {past.session_id} | {date} | {past.answered} | " + " | ".join(cells) + " |"
            lines.append(row)
        else:
            columns = "  ".join(f"{a}: {c}" for a, c in zip(areas, cells, strict=True))
            lines.append(f"  quiz {past.session_id} {date} ({past.answered} answers)  {columns}")
    return lines


def render_markdown(report: Report) -> str:
    lines = [f"# {_heading(report)}", "", "## Areas", ""]
    lines.append("| area | level | estimate | SE | 90% interval | readiness |")
    lines.append("|---|---|---|---|---|---|")
    for area in report.areas:
        lo, hi = area.interval
        lines.append(
            f"| {area.title} | {area.level} | {area.estimate:+.2f} | {area.se:.2f} | "
            f"{lo:+.2f} to {hi:+.2f} | {area.verdict} |"
        )
    lines += ["", "```text"]
    lines += [f"{area.title:<22} {ability_bar(area)}" for area in report.areas]
    lines += [
        "```",
        "",
        "Scale -3 to +3; `|` marks the cut scores, `=` the 90% interval, `#` the estimate.",
        "",
        "## Focus list",
        "",
    ]
    if not report.focus:
        lines.append("No topic stands out as weak yet.")
    for rank, topic in enumerate(report.focus, start=1):
        flag = "**weak**" if topic.weak else "below expectation"
        lines.append(
            f"{rank}. **{topic.title}** ({topic.area}): {topic.correct}/{topic.answered} correct, "
            f"{topic.expected:.1f} expected ({flag})"
        )
        lines.extend(f"   - {pointer}" for pointer in topic.study)
    lines += ["", f"## Review: {len(report.review)} missed question(s)", ""]
    for entry in report.review:
        lines.append(f"### Q{entry.number} · {entry.item_id}")
        lines += ["", entry.prompt.strip(), ""]
        lines.append(f"- **Your answer:** {entry.your_answer}")
        lines.append(f"- **Right answer:** {entry.right_answer}")
        lines += ["", entry.explanation.strip(), ""]
    lines.append("")
    lines.extend(_progress_lines(report, markdown=True))
    return "\n".join(lines).rstrip() + "\n"
