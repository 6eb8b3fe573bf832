"""How an item is put in front of a learner: the option order and the `Question` value.

The quiz shuffles the options of items that allow it (with the quiz's own
random generator, so a replay shows the same order); previews show the
authored order. True/false items always show True then False.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from engine.bank.model import ItemSpec
from engine.quiz.answer_input import TRUE_FALSE_LABELS, option_label
from engine.quiz.model import Question, ShownOption

if TYPE_CHECKING:  # the generator is passed in; previews never import NumPy
    import numpy as np


def authored_order(item: ItemSpec) -> tuple[int, ...]:
    return tuple(range(len(item.options)))


def shuffled_order(item: ItemSpec, rng: np.random.Generator) -> tuple[int, ...]:
    """A random option order when the item allows shuffling, else the authored one.

    The generator is drawn from only when there is something to shuffle, so the
    quiz's later draws do not depend on items that cannot be shuffled.
    """
    order = authored_order(item)
    if item.shuffle and len(order) > 1:
        return tuple(int(i) for i in rng.permutation(len(order)))
    return order


def shown_options(item: ItemSpec, order: Sequence[int]) -> tuple[ShownOption, ...]:
    """The options as displayed: labelled A, B, ... in `order` (authored indices)."""
    if item.type == "true_false":
        return tuple(
            ShownOption(option_label(i), i, text) for i, text in enumerate(TRUE_FALSE_LABELS)
        )
    return tuple(
        ShownOption(option_label(shown), index, item.options[index].text)
        for shown, index in enumerate(order)
    )


def present(
    item: ItemSpec,
    order: Sequence[int],
    *,
    area_title: str,
    topic_title: str,
    session_id: int = 0,
    number: int = 1,
    version_id: int = 0,
    parameter_set_id: int = 0,
) -> Question:
    """The `Question` a learner sees for `item` (ids are 0 outside a stored quiz)."""
    return Question(
        session_id=session_id,
        number=number,
        item_id=item.id,
        version_id=version_id,
        parameter_set_id=parameter_set_id,
        area=item.area,
        area_title=area_title,
        topic=item.topic,
        topic_title=topic_title,
        type=item.type,
        prompt=item.prompt,
        options=shown_options(item, order),
        unit=item.unit,
    )
