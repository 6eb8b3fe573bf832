"""Report rendering: one walk for text and Markdown, hostile text kept inert, honest wording."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.bank.model import AreaInfo, CutScores, TopicInfo
from engine.report.document import Heading
from engine.report.readiness import ResponseRecord, build_report
from engine.report.render import render_json, render_markdown, render_text, report_document
from engine.report.safe_text import markdown_code, markdown_inline, printable

CUTS = CutScores(developing=-1.0, job_ready=0.0, strong=1.2)
AREAS = [
    AreaInfo(
        "math", "Mathematics", "", CUTS, (TopicInfo("alg", "math", "Algebra", "", ("Read",)),)
    ),
    AreaInfo("ml", "Machine learning", "", CUTS, (TopicInfo("sup", "ml", "Supervised", ""),)),
]
HOSTILE = "ann\x1b[2J\x1b]0;owned\x07 **bold** <b>x</b> [link](http://x) \u202eevil\x9b1m"


def _report(learner: str = "ann", answer: str = "42", correct: bool = False, n: int = 8):
    records = [
        ResponseRecord(
            number=i,
            item_id=f"item-{i}",
            area="math" if i % 2 else "ml",
            topic="alg" if i % 2 else "sup",
            a=1.0,
            b=0.0,
            c=0.0,
            correct=correct or i % 3 == 0,
            skipped=False,
            prompt=f"What is **{i}**?\x1b[31m\n\n```python\nprint({i})\n```",
            your_answer=answer,
            right_answer="`x`",
            explanation="Because.\x07",
        )
        for i in range(1, n + 1)
    ]
    return build_report(
        learner=learner,
        session_id=3,
        mode="exam",
        status="finished",
        started_at=dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC),
        finished_at=dt.datetime(2026, 2, 1, 9, 30, tzinfo=dt.UTC),
        areas=AREAS,
        responses=records,
        priors={},
    )


def _no_controls(text: str) -> bool:
    return all(
        ch == "\n" or (unicodedata.category(ch) != "Cc" and ch not in "\u202e\u2066") for ch in text
    )


def test_text_and_markdown_walk_the_same_sections_in_the_same_order() -> None:
    report = _report()
    headings = [
        "".join(span.text for span in block.text)
        for block in report_document(report).blocks
        if isinstance(block, Heading)
    ]
    assert "Level probabilities" in headings and "Next steps" in headings
    for rendered in (render_text(report), render_markdown(report)):
        position = 0
        for heading in headings[1:]:  # the title holds the learner's name, in bold in Markdown
            found = rendered.find(heading, position)
            assert found >= position, heading
            position = found + len(heading)


def test_hostile_learner_names_and_answers_stay_inert() -> None:
    report = _report(learner=HOSTILE, answer="`rm -rf /`| \x1b[31m**x**")
    text, markdown = render_text(report), render_markdown(report)
    for rendered in (text, markdown, render_json(report)):
        assert "\x1b" not in rendered and "\x07" not in rendered and "\x9b" not in rendered
    assert _no_controls(text) and _no_controls(markdown)
    assert "ann[2J]0;owned **bold** <b>x</b>" in text
    assert r"\*\*bold\*\* \<b\>x\</b\> \[link\](http://x)" in markdown
    assert r"**Your answer:** \`rm -rf /\`\| \[31m\*\*x\*\*" in markdown
    # Authored Markdown (prompts) stays Markdown, without its control characters.
    assert "```python\nprint(1)\n```" in markdown


def test_nothing_is_ever_certain_in_the_wording() -> None:
    report = _report(correct=True, n=60)
    for rendered in (render_text(report), render_markdown(report)):
        assert "100%" not in rendered and " 0%" not in rendered
        assert "more than 99%" in rendered
        assert "model-based" in rendered


def test_too_little_evidence_names_no_level() -> None:
    text = render_text(_report(n=3))
    assert "Too early to call" in text
    assert "Job-ready (" not in text


def test_no_weak_topic_is_said_plainly_with_next_steps() -> None:
    text = render_text(_report())
    assert "No topic stands out as weak" in text
    assert "questions missed by topic: Algebra" in text
    assert "Practise Mathematics" in text


def test_json_has_the_probabilities_and_the_model() -> None:
    data = json.loads(render_json(_report()))
    math_area = data["areas"]["math"]
    assert set(math_area["levels"]["probabilities"]) == {
        "Foundations", "Developing", "Job-ready", "Strong",
    }  # fmt: skip
    assert sum(math_area["levels"]["probabilities"].values()) == pytest.approx(1.0)
    named = math_area["levels"]["named"]
    assert math_area["level"] == "Too early to call" or (
        named[0] in math_area["level"] and named[-1] in math_area["level"]
    )
    assert data["overall"]["areas"] == 2
    assert data["model"]["false_discovery_rate"] == 0.1
    assert data["next_steps"][0]["missed_by_topic"]


@given(st.text())
def test_printable_removes_every_control_character(value: str) -> None:
    for cleaned in (printable(value), printable(value, multiline=True)):
        assert _no_controls(cleaned)
    assert "\n" not in printable(value)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_markdown_inline_leaves_no_unescaped_markup(value: str) -> None:
    escaped = markdown_inline(value)
    unescaped = escaped.replace("\\\\", "")
    for marker in "*_`[]<>|#~&!":
        assert all(
            unescaped[i - 1] == "\\" for i, ch in enumerate(unescaped) if ch == marker and i > 0
        )
        assert not unescaped.startswith(marker)


def test_code_spans_fence_backticks_and_pipes() -> None:
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("`x`") == "`` `x` ``"
    assert markdown_code("a|b") == "`a\\|b`"


def _math_report(priors, carried_over=None):
    records = [
        ResponseRecord(i, f"i{i}", "math", "alg", 1.0, 0.0, 0.0, i % 2 == 0, False)
        for i in range(10)
    ]
    return build_report(
        learner="ann",
        session_id=2,
        mode="exam",
        status="finished",
        started_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        finished_at=None,
        areas=AREAS[:1],
        responses=records,
        priors=priors,
        carried_over=carried_over,
    )


def test_a_returning_learner_is_told_where_the_result_started() -> None:
    from engine.irt.population import GrowthModel
    from engine.irt.posterior import carry_over

    carried = carry_over(0.5, 0.3, 14.0, GrowthModel(0.01, 0.01, 40))
    report = _math_report({"math": (carried.prior_mean, carried.prior_sd)}, {"math": carried})
    area = report.areas[0]
    share = round(20 * (1 - (area.se / carried.prior_sd) ** 2)) * 5
    assert area.starts_from_previous
    assert (
        "Starts from your last result (+0.50), loosened for the 14 days since and moved +0.14 "
        f"for the average growth of returning learners; about {share}% of today's result comes "
        "from today's answers." in " ".join(render_text(report).split())
    )
    stored_only = _math_report({"math": (0.5, 0.58)})
    assert "Starts from your last result, loosened for the time since" in render_text(stored_only)
    fresh = _math_report({})
    assert "Starts from the population prior" in render_text(fresh)
