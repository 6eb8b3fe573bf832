"""The pure pieces of a quiz: option order, length rules, and the JSON a quiz stores."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.bank.model import ItemSpec, OptionSpec
from engine.irt.stopping import AnyOf, MaxItems
from engine.quiz.codecs import QuizSettings, decode_answer, encode_answer
from engine.quiz.length import MAX_LENGTH, length_problem, plan_for_length
from engine.quiz.model import Answer, QuizLength
from engine.quiz.presentation import authored_order, present, shuffled_order


def choice_item(count: int, *, shuffle: bool = True, kind: str = "single") -> ItemSpec:
    options = tuple(
        OptionSpec(text=f"option {i}", correct=i == 0, feedback="") for i in range(count)
    )
    return ItemSpec(
        id="x-001",
        area="math",
        topic="probability",
        type=kind,
        prompt="Which?",
        explanation="Because.",
        a=1.0,
        b=0.0,
        c=0.0,
        parameter_source="difficulty",
        options=options,
        shuffle=shuffle,
    )


# -- option order -------------------------------------------------------------


@given(st.integers(2, 8), st.integers(0, 2**32 - 1))
def test_a_shuffled_order_is_a_permutation_of_the_authored_one(count: int, seed: int) -> None:
    order = shuffled_order(choice_item(count), np.random.default_rng(seed))
    assert sorted(order) == list(authored_order(choice_item(count)))


def test_an_item_that_may_not_be_shuffled_keeps_its_order_and_draws_nothing() -> None:
    rng = np.random.default_rng(5)
    untouched = np.random.default_rng(5)
    assert shuffled_order(choice_item(4, shuffle=False), rng) == (0, 1, 2, 3)
    # The quiz's later draws must not depend on items that cannot be shuffled.
    assert rng.random() == untouched.random()


def test_the_same_generator_state_gives_the_same_order() -> None:
    item = choice_item(6)
    first = shuffled_order(item, np.random.default_rng([7, 3]))
    assert first == shuffled_order(item, np.random.default_rng([7, 3]))


def test_options_are_labelled_in_the_order_shown_and_keep_their_authored_index() -> None:
    question = present(
        choice_item(3), (2, 0, 1), area_title="Mathematics", topic_title="Probability"
    )
    assert [(o.label, o.index, o.text) for o in question.options] == [
        ("A", 2, "option 2"),
        ("B", 0, "option 0"),
        ("C", 1, "option 1"),
    ]
    assert question.option_order == (2, 0, 1)
    assert (question.area_title, question.topic_title) == ("Mathematics", "Probability")


def test_true_false_items_show_true_then_false() -> None:
    item = ItemSpec(
        id="x-002",
        area="math",
        topic="probability",
        type="true_false",
        prompt="P(A) can exceed 1.",
        explanation="It cannot.",
        a=1.0,
        b=0.0,
        c=0.0,
        parameter_source="difficulty",
        answer=False,
    )
    question = present(item, authored_order(item), area_title="M", topic_title="P")
    assert [(o.label, o.index, o.text) for o in question.options] == [
        ("A", 0, "True"),
        ("B", 1, "False"),
    ]


# -- length rules -------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "problem"),
    [
        (QuizLength(preset=None, length=0), f"between 1 and {MAX_LENGTH}"),
        (QuizLength(preset=None, length=MAX_LENGTH + 1), f"between 1 and {MAX_LENGTH}"),
        (QuizLength(preset=None, se=0.01, max_items=10), "between 0.05 and 1"),
        (QuizLength(preset=None, se=0.3), "maximum number of items"),
        (QuizLength(preset="huge"), "unknown quiz length 'huge'"),
    ],
)
def test_lengths_that_cannot_be_used_say_why(length: QuizLength, problem: str) -> None:
    message = length_problem(length)
    assert message is not None and problem in message


@pytest.mark.parametrize(
    "length",
    [
        QuizLength(preset=None, length=1),
        QuizLength(preset=None, length=MAX_LENGTH),
        QuizLength(preset=None, se=0.3, max_items=40),
        QuizLength(preset="quick"),
        QuizLength(preset="thorough"),
    ],
)
def test_valid_lengths_have_no_problem(length: QuizLength) -> None:
    assert length_problem(length) is None


def test_a_fixed_length_caps_the_questions_and_has_no_precision_target() -> None:
    plan = plan_for_length(QuizLength(preset=None, length=12), {"math": 0.0})
    assert (plan.max_questions, plan.se_target) == (12, None)
    assert isinstance(plan.plan.stopping, MaxItems)


def test_a_precision_target_stops_at_the_target_or_the_cap() -> None:
    plan = plan_for_length(QuizLength(preset=None, se=0.3, max_items=40), {"math": 0.0})
    assert (plan.max_questions, plan.se_target) == (40, 0.3)
    assert isinstance(plan.plan.stopping, AnyOf)


def test_a_preset_has_no_cap_but_its_own_precision_target() -> None:
    plan = plan_for_length(QuizLength(preset="standard"), {"math": 0.0})
    assert plan.max_questions is None
    assert plan.se_target == 0.5  # engine.irt.plan.QUIZ_PRESETS["standard"]


# -- stored JSON ----------------------------------------------------------------

answers = st.builds(
    Answer,
    choices=st.lists(st.integers(0, 9), max_size=4).map(tuple),
    value=st.none() | st.booleans(),
    text=st.text(max_size=20),
    skipped=st.booleans(),
)


@given(answers)
def test_an_answer_reads_back_as_it_was_stored(answer: Answer) -> None:
    assert decode_answer(encode_answer(answer)) == answer


def test_the_stored_answer_format_is_unchanged() -> None:
    """Rows written before the codec moved here must still read back."""
    stored = '{"choices": [2, 0], "value": null, "text": "", "skipped": false}'
    assert encode_answer(Answer(choices=(2, 0))) == stored
    assert decode_answer(stored) == Answer(choices=(2, 0))
    assert decode_answer('{"text": "0.5"}') == Answer(text="0.5")


lengths = st.one_of(
    st.sampled_from(["quick", "standard", "thorough"]).map(lambda p: QuizLength(preset=p)),
    st.integers(1, MAX_LENGTH).map(lambda n: QuizLength(preset=None, length=n)),
    st.tuples(st.floats(0.05, 1.0), st.integers(1, MAX_LENGTH)).map(
        lambda t: QuizLength(preset=None, se=t[0], max_items=t[1])
    ),
)
priors = st.dictionaries(
    st.sampled_from(["programming", "math", "ml", "swe"]),
    st.tuples(st.floats(-3, 3), st.floats(0.1, 1.0)),
)


@given(lengths, priors)
def test_settings_read_back_as_they_were_stored(length: QuizLength, prior: dict) -> None:
    settings = QuizSettings(length, prior)
    stored = json.loads(json.dumps(settings.to_json()))  # through the JSON column
    assert QuizSettings.from_json(stored) == settings


def test_settings_stored_before_priors_existed_read_as_no_priors() -> None:
    settings = QuizSettings.from_json({"length": {"preset": "quick"}})
    assert settings == QuizSettings(QuizLength(preset="quick"), {})
