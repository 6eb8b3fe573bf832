"""A question as an Anki flashcard: the front and back as HTML (pure).

The front shows where the question is from, the prompt (Markdown rendered with
the CommonMark parser the exports use, so code blocks become preformatted
``<pre><code>``) and, for choice questions, the options in authored order. The
back shows the right answer and the explanation. Item text is untrusted: raw
HTML in it is escaped by the Markdown renderer, every plain string goes
through `html.escape`, and control characters are dropped first, so nothing
in an item becomes markup (or a control code) in Anki.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from engine.bank.model import ItemSpec
from engine.interop.text_format import markdown_to_html
from engine.quiz.answer_input import option_label
from engine.quiz.marking import describe_key
from engine.text import printable

_TAG_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")

TYPE_PROMPTS = {
    "single": "Choose one.",
    "multiple": "Choose all that apply.",
    "true_false": "True or false?",
    "numeric": "Answer with a number.",
    "text": "Answer in a word or two.",
}


@dataclass(frozen=True)
class Flashcard:
    """One note: `item_id` gives its stable GUID, so a re-export updates it in Anki."""

    item_id: str
    front: str
    back: str
    tags: tuple[str, ...]


def _tag(text: str) -> str:
    return _TAG_UNSAFE.sub("-", text).strip("-") or "untitled"


def _html(markdown: str, *, inline: bool = False) -> str:
    return markdown_to_html(printable(markdown, multiline=True), inline=inline)


def _text(value: str) -> str:
    return html.escape(printable(value))


def _options(item: ItemSpec) -> str:
    if item.type not in ("single", "multiple") or not item.options:
        return ""
    rows = "".join(
        f'<li><span class="sp-label">{option_label(index)}</span> '
        f"{_html(option.text, inline=True)}</li>"
        for index, option in enumerate(item.options)
    )
    return f'<ul class="sp-options">{rows}</ul>'


def flashcard(item: ItemSpec, *, area_title: str, topic_title: str) -> Flashcard:
    """The Anki note for `item`."""
    where = _text(f"{area_title} › {topic_title}")
    unit = f" ({_text(item.unit)})" if item.type == "numeric" and item.unit else ""
    front = (
        f'<div class="sp-where">{where}</div>'
        f'<div class="sp-prompt">{_html(item.prompt)}</div>'
        f"{_options(item)}"
        f'<div class="sp-hint">{html.escape(TYPE_PROMPTS.get(item.type, ""))}{unit}</div>'
    )
    back = (
        f'<div class="sp-answer"><b>Answer:</b> {_text(describe_key(item))}</div>'
        f'<div class="sp-explanation">{_html(item.explanation)}</div>'
    )
    tags = ("skillprobe", f"skillprobe::{_tag(item.area)}::{_tag(item.topic)}")
    return Flashcard(item.id, front, back, tags)
