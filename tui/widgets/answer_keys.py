"""The key hints of a question waiting for its answer, shared by the quiz and practice screens."""

from __future__ import annotations

from engine.quiz.model import Question
from tui.widgets.keybar import KeyHint


def answer_key_hints(question: Question) -> list[KeyHint]:
    """How to answer `question` (by its type), then answer and "I don't know"."""
    keys: list[KeyHint] = []
    last = question.options[-1].label if question.options else "A"
    if question.type == "multiple":
        keys += [KeyHint(f"A-{last}", "tick", None), KeyHint("space", "tick", "space")]
    elif question.type == "true_false":
        keys += [KeyHint("T/F", "choose", None)]
    elif question.type == "single":
        keys += [KeyHint(f"A-{last}", "choose", None)]
    keys += [
        KeyHint("⏎", "answer", "enter"),
        KeyHint("^s", "I don't know", "ctrl+s"),
        KeyHint("PgDn", "scroll", "pagedown", optional=True),
    ]
    return keys
