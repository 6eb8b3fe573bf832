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


def test_at_least_600_items_in_four_areas_of_six_topics_or_more() -> None:
    assert len(BANK.items) >= 600
    assert [area.id for area in BANK.areas] == ["programming", "math", "ml", "swe"]
    assert all(len(area.topics) >= 6 for area in BANK.areas)


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
