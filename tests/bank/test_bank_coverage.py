"""The shipped bank meets the coverage and quality rules of docs/authoring.md."""

from __future__ import annotations

from collections import Counter

import pytest

from engine.bank import ItemSpec, load_bank
from engine.bank.checks import CODE_OUTPUT_TAG
from tests.conftest import SHIPPED_BANK

BANK = load_bank(SHIPPED_BANK).bank
assert BANK is not None
TOPICS = [(area.id, topic.id) for area in BANK.areas for topic in area.topics]


def _items(area: str, topic: str) -> list[ItemSpec]:
    return [item for item in BANK.items if (item.area, item.topic) == (area, topic)]


def test_four_areas_of_six_topics_or_more() -> None:
    assert [area.id for area in BANK.areas] == ["programming", "math", "ml", "swe"]
    assert all(len(area.topics) >= 6 for area in BANK.areas)


def test_at_least_1000_items_in_at_least_32_topics() -> None:
    """Issue #12's target for the bank; every topic's own minimum is tested below."""
    assert len(BANK.items) >= 1000
    assert len(TOPICS) >= 32


@pytest.mark.parametrize(("area", "topic"), TOPICS, ids=[t for _, t in TOPICS])
def test_every_topic_has_25_items_spanning_difficulty_1_to_5(area: str, topic: str) -> None:
    items = _items(area, topic)
    assert len(items) >= 25
    levels = Counter(item.difficulty for item in items)
    assert set(levels) == {1, 2, 3, 4, 5}
    assert levels[1] >= 3 and levels[5] >= 3


@pytest.mark.parametrize(("area", "topic"), TOPICS, ids=[t for _, t in TOPICS])
def test_at_least_a_quarter_of_each_topic_is_not_single_choice(area: str, topic: str) -> None:
    items = _items(area, topic)
    assert sum(item.type != "single" for item in items) >= len(items) / 4


def test_programming_has_code_reading_questions() -> None:
    code_output = [i for i in BANK.items if i.area == "programming" and CODE_OUTPUT_TAG in i.tags]
    assert len(code_output) >= 30


@pytest.mark.parametrize("area", [area.id for area in BANK.areas])
def test_the_right_option_is_not_a_give_away_by_length(area: str) -> None:
    """Test-wise learners pick the longest option; it must not usually be the right one."""
    singles = [i for i in BANK.items if i.area == area and i.type == "single"]
    longest = 0
    for item in singles:
        lengths = [len(option.text) for option in item.options]
        (right,) = item.correct_options
        longest += lengths[right] == max(lengths) and lengths.count(max(lengths)) == 1
    assert longest / len(singles) < 0.35


_SEVERAL_ANSWER_AREAS = [area.id for area in BANK.areas]


def _several_answer_items(area: str) -> list[ItemSpec]:
    return [i for i in BANK.items if i.area == area and i.type == "multiple"]


@pytest.mark.parametrize("area", _SEVERAL_ANSWER_AREAS)
def test_the_longest_option_of_several_answer_items_is_correct_about_as_often_as_by_chance(
    area: str,
) -> None:
    """If lengths carried no information, the longest option would be correct k/n of the time.

    Overcorrecting is a cue too: a longest option that is almost never right can be ruled out
    unread, so the rate must also stay above half of chance.
    """
    longest_correct = chance = 0.0
    for item in _several_answer_items(area):
        lengths = [len(option.text) for option in item.options]
        longest = [i for i, length in enumerate(lengths) if length == max(lengths)]
        longest_correct += sum(i in item.correct_options for i in longest) / len(longest)
        chance += len(item.correct_options) / len(item.options)
    figures = f"{longest_correct:.1f} items against {chance:.1f} by chance"
    assert 0.5 * chance <= longest_correct <= chance, figures


@pytest.mark.parametrize("area", _SEVERAL_ANSWER_AREAS)
def test_correct_options_of_several_answer_items_are_not_longer_than_wrong_ones(
    area: str,
) -> None:
    """Authors qualify true statements until they are safe; that makes them longer."""
    correct, wrong = [], []
    for item in _several_answer_items(area):
        keyed = set(item.correct_options)
        lengths = [len(option.text) for option in item.options]
        correct.append(sum(lengths[i] for i in keyed) / len(keyed))
        wrong.append(
            sum(length for i, length in enumerate(lengths) if i not in keyed)
            / (len(lengths) - len(keyed))
        )
    mean_correct, mean_wrong = sum(correct) / len(correct), sum(wrong) / len(wrong)
    assert mean_correct <= 1.10 * mean_wrong, f"correct {mean_correct:.0f}, wrong {mean_wrong:.0f}"


@pytest.mark.parametrize("area", _SEVERAL_ANSWER_AREAS)
def test_several_answer_items_vary_their_number_of_correct_options(area: str) -> None:
    """A learner who notices that "it is always three" needs no knowledge to score."""
    counts = Counter(len(item.correct_options) for item in _several_answer_items(area))
    assert len(counts) >= 3
    assert max(counts.values()) <= 0.6 * sum(counts.values())


def test_choice_items_without_shuffling_do_not_always_key_the_first_option() -> None:
    """Authors list the right option first; only shuffling hides that from learners."""
    fixed = [i for i in BANK.items if i.type in ("single", "multiple") and not i.shuffle]
    first_keyed = sum(0 in item.correct_options for item in fixed)
    assert first_keyed <= max(2, len(fixed) // 2)


def test_no_all_or_none_of_the_above() -> None:
    banned = ("all of the above", "none of the above")
    offending = [
        item.id
        for item in BANK.items
        for option in item.options
        if option.text.strip().lower().rstrip(".") in banned
    ]
    assert offending == []
