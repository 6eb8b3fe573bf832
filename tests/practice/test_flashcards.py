"""Anki cards: the question on the front, the answer and explanation on the back, no markup."""

from __future__ import annotations

from engine.bank.model import ItemSpec, OptionSpec
from engine.practice.flashcards import flashcard

HOSTILE = '<script>alert("x")</script> <img src=x onerror=alert(1)> \x1b[31mred'


def _item(**fields) -> ItemSpec:
    base = {
        "id": "git-001",
        "area": "swe",
        "topic": "git",
        "type": "single",
        "prompt": "What does this print?\n\n```python\nprint(1 < 2)\n```\n",
        "explanation": "Comparison gives a **bool**.",
        "a": 1.0,
        "b": 0.0,
        "c": 0.25,
        "parameter_source": "difficulty",
        "options": (OptionSpec("True", True), OptionSpec("False", False)),
    }
    return ItemSpec(**(base | fields))


def test_front_has_the_code_block_preformatted_and_the_options() -> None:
    card = flashcard(_item(), area_title="Software engineering", topic_title="Git")
    assert '<pre><code class="language-python">print(1 &lt; 2)\n</code></pre>' in card.front
    assert '<span class="sp-label">A</span> True</li>' in card.front
    assert '<span class="sp-label">B</span> False</li>' in card.front
    assert "Software engineering › Git" in card.front
    assert "<b>Answer:</b> True" in card.back
    assert "<strong>bool</strong>" in card.back
    assert card.tags == ("skillprobe", "skillprobe::swe::git")


def test_untrusted_text_never_becomes_markup() -> None:
    item = _item(
        prompt=HOSTILE,
        explanation=HOSTILE,
        options=(OptionSpec(HOSTILE, True), OptionSpec("<b>no</b>", False)),
    )
    card = flashcard(item, area_title="<i>Area</i>", topic_title=HOSTILE)
    for html in (card.front, card.back):
        assert "<script>" not in html
        assert "<img" not in html
        assert "<i>Area" not in html
        assert "<b>no</b>" not in html
        assert "&lt;script&gt;" in html
        assert "\x1b" not in html


def test_numeric_questions_show_the_unit_and_the_tolerance() -> None:
    card = flashcard(
        _item(type="numeric", options=(), answer=0.5, absolute_tolerance=0.01, unit="s"),
        area_title="Mathematics",
        topic_title="Probability",
    )
    assert "Answer with a number. (s)" in card.front
    assert "<b>Answer:</b> 0.5 (± 0.01) s" in card.back
    assert "sp-options" not in card.front
