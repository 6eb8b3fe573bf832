"""Typed answers from anyone: never a crash, never stored too long, never echoed raw."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.quiz.answer_input import (
    MAX_ANSWER_LENGTH,
    QUOTE_LENGTH,
    InputProblem,
    parse_answer,
)
from engine.quiz.model import Answer, Question, ShownOption
from engine.text import clipped, printable


def _question(kind: str, options: int = 4) -> Question:
    shown = tuple(ShownOption(chr(65 + i), i, f"option {i}") for i in range(options))
    return Question(0, 1, "x", 0, 0, "math", "Mathematics", "t", "Topic", kind, "?",
                    shown if kind in ("single", "multiple", "true_false") else ())  # fmt: skip


KINDS = ("single", "multiple", "true_false", "numeric", "text")


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs") or ch == "\u202e" for ch in text)


@given(kind=st.sampled_from(KINDS), typed=st.text(max_size=400))
def test_any_typed_text_is_an_answer_or_one_short_clean_refusal(kind: str, typed: str) -> None:
    parsed = parse_answer(_question(kind), typed)
    if isinstance(parsed, InputProblem):
        assert "\n" not in parsed.message and not _has_controls(parsed.message)
        assert len(parsed.message) <= QUOTE_LENGTH + 80
    else:
        assert isinstance(parsed, Answer)
        assert len(parsed.text) <= MAX_ANSWER_LENGTH


@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_thousands_of_digits_are_not_an_option(kind: str) -> None:
    for digits in ("9" * 150, "0" * 150 + "1", "9" * 5000):
        parsed = parse_answer(_question(kind), digits)
        assert isinstance(parsed, InputProblem)
        assert len(parsed.message) < 120


def test_the_longest_answer_is_taken_and_one_more_character_is_not() -> None:
    longest = "a" * MAX_ANSWER_LENGTH
    assert parse_answer(_question("text"), longest) == Answer(text=longest)
    refused = parse_answer(_question("text"), longest + "a")
    assert refused == InputProblem(
        f"that answer is too long: answers are at most {MAX_ANSWER_LENGTH} characters"
    )


def test_a_typed_answer_is_kept_exactly_control_codes_and_all() -> None:
    typed = "\x1b[31mred\x1b[0m"
    assert parse_answer(_question("text"), typed) == Answer(text=typed)


def test_refusals_quote_what_was_typed_without_its_control_codes() -> None:
    parsed = parse_answer(_question("numeric"), "\x1b]0;owned\x07 twelve")
    assert isinstance(parsed, InputProblem)
    assert parsed.message.startswith("']0;owned twelve' is not a number")


@given(st.text(), st.integers(min_value=1, max_value=60))
def test_clipped_is_printable_one_line_and_never_longer_than_asked(value: str, limit: int) -> None:
    quoted = clipped(value, limit)
    assert len(quoted) <= limit
    assert "\n" not in quoted and not _has_controls(quoted)
    if len(printable(value)) <= limit:
        assert quoted == printable(value)
    else:
        assert quoted.endswith("…")


def test_printable_drops_lone_surrogates_left_by_undecodable_bytes() -> None:
    decoded = b"caf\xe9".decode("utf-8", errors="surrogateescape")
    assert printable(decoded) == "caf"
    printable(decoded).encode("utf-8")  # would raise with the surrogate left in
