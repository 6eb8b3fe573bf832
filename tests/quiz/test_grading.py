"""Grading and answer parsing: the rules learners meet on every question."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.bank.model import ItemSpec, OptionSpec
from engine.quiz.answer_input import InputProblem, parse_answer
from engine.quiz.grading import grade_text, normalise_text, numbers_match, parse_number
from engine.quiz.marking import describe_key, is_correct
from engine.quiz.model import Answer, Question, ShownOption


def _item(**fields: object) -> ItemSpec:
    base: dict[str, object] = {
        "id": "t-1",
        "area": "math",
        "topic": "t",
        "type": "numeric",
        "prompt": "p",
        "explanation": "e",
        "a": 1.0,
        "b": 0.0,
        "c": 0.0,
        "parameter_source": "difficulty",
    }
    return ItemSpec(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["0.5", ".5", "1/2", "5e-1", " 0.50 ", "+.5", "2/4", "5E-1"])
def test_every_usual_spelling_of_one_half_is_accepted(typed: str) -> None:
    assert is_correct(_item(answer=0.5), Answer(text=typed))


@pytest.mark.parametrize("typed", ["", "half", "1/0", "0,5", "1e999", "nan", "inf", "1/2/3", "--1"])
def test_non_numbers_are_not_numbers(typed: str) -> None:
    assert parse_number(typed) is None


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_any_printed_float_parses_back_exactly(value: float) -> None:
    assert parse_number(repr(value)) == value


@given(st.fractions(max_denominator=1000).filter(lambda f: f.denominator != 0))
def test_fractions_parse_to_their_value(value: Fraction) -> None:
    parsed = parse_number(f"{value.numerator}/{value.denominator}")
    assert parsed is not None and math.isclose(parsed, float(value), rel_tol=1e-12)


@given(
    key=st.floats(-1e6, 1e6, allow_nan=False),
    tolerance=st.floats(0, 10, allow_nan=False),
    offset=st.floats(-1, 1, allow_nan=False),
)
def test_absolute_tolerance_is_a_closed_interval(key: float, tolerance: float, offset: float):
    value = key + offset * tolerance
    assert numbers_match(value, key, absolute=tolerance)
    outside = key + 2 * tolerance + 1e-6 * max(1.0, abs(key))
    assert not numbers_match(outside, key, absolute=tolerance)


def test_a_bound_written_in_decimal_is_inside_the_tolerance() -> None:
    # 0.4 - 0.3 is 0.10000000000000003 in binary floating point.
    assert numbers_match(0.4, 0.3, absolute=0.1)
    assert not numbers_match(0.41, 0.3, absolute=0.1)


def test_relative_tolerance_scales_with_the_key() -> None:
    assert numbers_match(101.0, 100.0, relative=0.01)
    assert not numbers_match(102.0, 100.0, relative=0.01)


def test_text_answers_ignore_case_and_spacing_and_accept_alternatives() -> None:
    item = _item(type="text", accept=("git log", "git  reflog"), pattern=r"git\s+log\s+--oneline")
    for typed in ("git log", "  GIT   Log ", "git reflog", "Git log --oneline"):
        assert grade_text(item, typed), typed
    for typed in ("git", "", "git logs", "git log --graph"):
        assert not grade_text(item, typed), typed


@given(st.text())
def test_normalised_text_is_idempotent_and_trimmed(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip()


CHOICE = _item(
    type="multiple",
    options=(OptionSpec("a", True), OptionSpec("b"), OptionSpec("c", True), OptionSpec("d")),
)


def _question(item: ItemSpec, order: tuple[int, ...]) -> Question:
    return Question(
        session_id=1,
        number=1,
        item_id=item.id,
        version_id=1,
        parameter_set_id=1,
        area="math",
        area_title="Math",
        topic="t",
        topic_title="T",
        type=item.type,
        prompt="p",
        options=tuple(
            ShownOption(chr(65 + shown), index, item.options[index].text)
            for shown, index in enumerate(order)
        ),
    )


def test_multiple_choice_is_all_or_nothing_whatever_the_shown_order() -> None:
    question = _question(CHOICE, (3, 2, 1, 0))  # shown as d, c, b, a
    chosen = parse_answer(question, "2, D")
    assert chosen == Answer(choices=(0, 2))
    assert is_correct(CHOICE, chosen)
    assert not is_correct(CHOICE, parse_answer(question, "2"))  # type: ignore[arg-type]
    assert not is_correct(CHOICE, parse_answer(question, "1,2,4"))  # type: ignore[arg-type]
    assert describe_key(CHOICE) == "a; c"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("e", "'e' is not an option; type a number 1-4 or a letter A-D"),
        ("5", "'5' is not an option"),
        ("", "type an answer, or ? to skip"),
        (",", "choose an option: 1-4 or A-D"),
    ],
)
def test_choices_that_do_not_exist_are_refused(typed: str, problem: str) -> None:
    result = parse_answer(_question(CHOICE, (0, 1, 2, 3)), typed)
    assert isinstance(result, InputProblem) and problem in result.message


@given(st.text(max_size=30))
def test_parsing_any_input_never_raises(typed: str) -> None:
    for item in (CHOICE, _item(answer=1.0), _item(type="text", accept=("x",))):
        result = parse_answer(_question(item, tuple(range(len(item.options)))), typed)
        assert isinstance(result, Answer | InputProblem)


def test_skipping_is_recorded_as_wrong() -> None:
    assert parse_answer(_question(CHOICE, (0, 1, 2, 3)), "?") == Answer.skip()
    assert not is_correct(_item(answer=1.0), Answer.skip())
