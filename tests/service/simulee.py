"""A simulated learner of known ability who answers through the service API."""

from __future__ import annotations

import numpy as np

from engine.bank.model import ItemSpec
from engine.irt.model import probability
from engine.quiz.model import Answer, Question


class Simulee:
    """Answers each question correctly with the 3PL probability at `theta`."""

    def __init__(self, theta: float, items: tuple[ItemSpec, ...], seed: int) -> None:
        self.theta = theta
        self.items = {item.id: item for item in items}
        self.rng = np.random.default_rng(seed)

    def answer(self, question: Question) -> Answer:
        item = self.items[question.item_id]
        p = float(probability(self.theta, item.a, item.b, item.c))
        knows = self.rng.random() < p
        return right_answer(item) if knows else wrong_answer(item)


def right_answer(item: ItemSpec) -> Answer:
    if item.type in ("single", "multiple"):
        return Answer(choices=item.correct_options)
    if item.type == "true_false":
        return Answer(value=bool(item.answer))
    if item.type == "numeric":
        return Answer(text=repr(item.answer))
    return Answer(text=item.accept[0] if item.accept else "")


def wrong_answer(item: ItemSpec) -> Answer:
    if item.type in ("single", "multiple"):
        wrong = [i for i, option in enumerate(item.options) if not option.correct]
        return Answer(choices=(wrong[0],))
    if item.type == "true_false":
        return Answer(value=not item.answer)
    if item.type == "numeric":
        return Answer(text=repr(float(item.answer or 0) + 1234.5))
    return Answer(text="definitely not the answer")
