"""Reading a typed answer ("b", "1,3", ".5", "?") into an `Answer`, or saying why not.

Shared by the plain-text quiz and the TUI's answer box, so both accept the
same things and refuse with the same words. Typed text is never trusted: an
answer longer than `MAX_ANSWER_LENGTH` is refused (so a pasted megabyte is
never stored), option numbers are read only when a few digits long, and a
refusal quotes at most `QUOTE_LENGTH` characters of what was typed, with
control characters removed (`engine.text.clipped`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.quiz.grading import parse_number
from engine.quiz.model import Answer, Question
from engine.text import clipped

SKIP_INPUTS = frozenset({"?", "skip", "idk", "i don't know"})
TRUE_WORDS = frozenset({"true", "t", "yes", "y"})
FALSE_WORDS = frozenset({"false", "f", "no", "n"})
TRUE_FALSE_LABELS = ("True", "False")
#: The longest answer taken, in characters: the bank's text answers are a few words
#: and its numbers a few digits; anything longer is a paste gone wrong.
MAX_ANSWER_LENGTH = 200
#: How much of a refused answer is quoted back.
QUOTE_LENGTH = 40
#: Option numbers have at most this many digits (no question has 1,000 options).
MAX_OPTION_DIGITS = 3


@dataclass(frozen=True)
class InputProblem:
    """Why a typed answer does not fit the question; it is never recorded."""

    message: str


def option_label(position: int) -> str:
    return chr(ord("A") + position)


def parse_answer(question: Question, typed: str) -> Answer | InputProblem:
    text = typed.strip()
    if len(text) > MAX_ANSWER_LENGTH:
        return InputProblem(
            f"that answer is too long: answers are at most {MAX_ANSWER_LENGTH} characters"
        )
    if text.lower() in SKIP_INPUTS:
        return Answer.skip()
    if not text:
        return InputProblem("type an answer, or ? to skip")
    if question.type == "single":
        positions = _choice_positions(text, len(question.options))
        if isinstance(positions, InputProblem):
            return positions
        if len(positions) != 1:
            return InputProblem("choose one option")
        return Answer(choices=(question.options[positions[0]].index,))
    if question.type == "multiple":
        positions = _choice_positions(text, len(question.options))
        if isinstance(positions, InputProblem):
            return positions
        return Answer(choices=tuple(sorted({question.options[p].index for p in positions})))
    if question.type == "true_false":
        return _true_false(text)
    if question.type == "numeric":
        if parse_number(text) is None:
            return InputProblem(f"{_quoted(text)} is not a number; type e.g. 0.5, .5, 1/2 or 5e-1")
        return Answer(text=text)
    return Answer(text=text)


def _choice_positions(text: str, count: int) -> list[int] | InputProblem:
    last = option_label(count - 1)
    tokens = [token.rstrip(").") for token in re.split(r"[\s,;]+", text) if token]
    positions: list[int] = []
    for token in tokens:
        position = _position(token)
        if position is None or not 0 <= position < count:
            return InputProblem(
                f"{_quoted(token)} is not an option; type a number 1-{count} or a letter A-{last}"
            )
        positions.append(position)
    if not positions:
        return InputProblem(f"choose an option: 1-{count} or A-{last}")
    return positions


def _position(token: str) -> int | None:
    """0-based position from '3' or 'c' (ASCII only: '¹' and 'ß' are not options)."""
    if not token.isascii():
        return None
    if token.isdigit():
        # int() of thousands of digits is slow, and refused above 4,300 digits.
        return int(token) - 1 if len(token) <= MAX_OPTION_DIGITS else None
    if len(token) == 1 and token.isalpha():
        return ord(token.upper()) - ord("A")
    return None


def _quoted(typed: str) -> str:
    """What was typed, quoted back safely: one line, no control characters, clipped."""
    return f"'{clipped(typed, QUOTE_LENGTH)}'"


def _true_false(text: str) -> Answer | InputProblem:
    lowered = text.lower()
    if lowered in TRUE_WORDS or lowered in ("1", "a"):
        return Answer(value=True)
    if lowered in FALSE_WORDS or lowered in ("2", "b"):
        return Answer(value=False)
    return InputProblem("answer true or false (or 1 for True, 2 for False)")
