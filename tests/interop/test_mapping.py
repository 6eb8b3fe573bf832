"""From Moodle's questions to skillprobe items: what is kept, what is reported, what is skipped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.interop.gift import parse_gift
from engine.interop.mapping import items_from_questions, wildcard_to_regex
from engine.interop.problems import Severity

PATH = Path("questions.gift")


def convert(source: str, taken: set[str] | None = None):
    document = parse_gift(source, PATH)
    assert not [p for p in document.problems if p.fatal]
    items, problems = items_from_questions(document.questions, PATH, "math", "stats", taken)
    return items, problems


def test_weights_that_add_up_to_100_are_a_faithful_multiple_choice() -> None:
    (item,), problems = convert(
        "::robust:: Which are robust to outliers?{~%50%median ~%50%IQR ~%-100%mean ####Both.}"
    )
    assert item.data["type"] == "multiple"
    assert [o.get("correct", False) for o in item.data["options"]] == [True, True, False]
    assert item.id == "robust"
    assert problems == []


def test_partial_credit_on_a_single_choice_is_reported_as_lost() -> None:
    (item,), problems = convert("Capital of Australia?{=Canberra ~%50%Sydney ~Perth ####Canberra.}")
    assert item.data["type"] == "single"
    assert [o.get("correct", False) for o in item.data["options"]] == [True, False, False]
    (problem,) = problems
    assert problem.severity is Severity.LOSS
    assert "partial credit (50%) for 'Sydney'" in problem.message


def test_weights_that_do_not_add_up_are_reported() -> None:
    _, problems = convert("Pick?{~%50%a ~%25%b ~c ####x}")
    assert any("add up to 75%" in p.message for p in problems)


def test_several_fully_right_answers_in_a_single_choice_are_skipped() -> None:
    items, (problem,) = convert("Either?{=a =b ~c}\n".replace("=b", "~%100%b"))
    assert items == []
    assert problem.severity is Severity.SKIPPED
    assert "2 answers are each worth 100%" in problem.message


def test_missing_general_feedback_gives_a_stated_answer_and_a_note() -> None:
    (item,), (problem,) = convert("2 + 2?{#4}")
    assert item.data["explanation"] == "The answer is 4."
    assert item.data["difficulty"] == 3
    assert problem.severity is Severity.NOTE


@pytest.mark.parametrize(
    ("answer", "matches", "rejects"),
    [
        ("git *", ["git log", "git "], ["svn log"]),
        ("a\\*b", ["a*b"], ["axb"]),  # \* is a literal star in Moodle
        ("*.py", ["x.py"], ["x.pyc"]),
    ],
)
def test_moodle_wildcards_become_a_pattern(
    answer: str, matches: list[str], rejects: list[str]
) -> None:
    regex = re.compile(f"^(?:{wildcard_to_regex(answer)})$")
    assert all(regex.match(m) for m in matches)
    assert not any(regex.match(r) for r in rejects)


def test_short_answers_split_into_accept_and_pattern() -> None:
    (item,), _ = convert("Command?{=git log =git log * ####x}")
    assert item.data["accept"] == ["git log"]
    assert item.data["pattern"] == "^(?:git\\ log\\ .*)$"


def test_ids_come_from_valid_names_else_topic_numbers() -> None:
    items, problems = convert(
        "::q-1:: A?{T####x}\n\n::Question Two:: B?{T####x}\n\n::q-1:: C?{T####x}\n\n"
        "::stats-007:: D?{T####x}\n",
        taken={"stats-003"},
    )
    assert [i.id for i in items] == ["q-1", "stats-008", "stats-009", "stats-007"]
    assert items[1].comments == ("Moodle question name: Question Two",)
    assert any("'q-1' is already used" in p.message for p in problems)


def test_an_item_skillprobe_would_reject_is_skipped_with_the_bank_rule() -> None:
    items, (problem,) = convert("Pick?{=same ~same ####x}")
    assert items == []
    assert problem.severity is Severity.SKIPPED
    assert "duplicate option" in problem.message


def test_skillprobe_categories_choose_area_and_topic() -> None:
    document = parse_gift("$CATEGORY: $course$/skillprobe/ml/unsupervised\n\nQ?{T####x}\n", PATH)
    (item,), _ = items_from_questions(document.questions, PATH, None, None)
    assert (item.area, item.topic) == ("ml", "unsupervised")
    document = parse_gift("$CATEGORY: $course$/Unit 1\n\nQ?{T####x}\n", PATH)
    _, (problem,) = items_from_questions(document.questions, PATH, None, None)
    assert problem.fatal and "give --area and --topic" in problem.message
