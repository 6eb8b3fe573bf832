"""Simulated cohorts of known ability, built straight into the report's input (no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from engine.bank.model import AreaInfo, CutScores, TopicInfo
from engine.irt.model import probability
from engine.report.cohort import CohortAnswers, CohortData, CohortItem, CohortQuiz

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CUTS = CutScores(-1.0, 0.0, 1.2)


def make_areas(n_areas: int = 2, topics_per_area: int = 4) -> tuple[AreaInfo, ...]:
    return tuple(
        AreaInfo(
            f"area{a}",
            f"Area {a}",
            "",
            CUTS,
            tuple(
                TopicInfo(f"t{a}{t}", f"area{a}", f"Topic {a}.{t}", "", (f"study {a}.{t}",))
                for t in range(topics_per_area)
            ),
        )
        for a in range(n_areas)
    )


@dataclass
class Cohort:
    """Learners with a true ability per area that may grow by a fixed amount per quiz."""

    n_learners: int
    quizzes: int
    per_area: int
    seed: int = 0
    areas: tuple[AreaInfo, ...] = field(default_factory=make_areas)
    items_per_topic: int = 12
    growth_per_quiz: float = 0.0
    ability_mean: float = 0.0
    ability_sd: float = 1.0
    topic_effects: Mapping[str, float] = field(default_factory=dict)  # topic id -> shift
    days_between: float = 7.0
    wrong_key: str | None = None  # an item nobody can answer right
    names: Callable[[int], str] = lambda k: f"learner-{k:03d}"

    def build(self) -> tuple[CohortData, np.ndarray]:
        rng = np.random.default_rng(self.seed)
        items: list[CohortItem] = []
        parameters = []
        for area in self.areas:
            for topic in area.topics:
                for k in range(self.items_per_topic):
                    items.append(CohortItem(f"{topic.id}-{k:02d}", area.id, topic.id))
                    parameters.append(
                        (float(np.exp(rng.normal(0.1, 0.2))), float(rng.uniform(-2.5, 2.5)), 0.2)
                    )
        a, b, c = (np.array(column) for column in zip(*parameters, strict=True))
        by_area = {
            area.id: [k for k, item in enumerate(items) if item.area == area.id]
            for area in self.areas
        }
        thetas = rng.normal(self.ability_mean, self.ability_sd, (self.n_learners, len(self.areas)))
        quizzes, quiz_of, item_of, correct = [], [], [], []
        for learner in range(self.n_learners):
            for q in range(self.quizzes):
                started = START + dt.timedelta(days=self.days_between * q, minutes=learner)
                quizzes.append(CohortQuiz(len(quizzes) + 1, learner, started, {}))
                for area_index, area in enumerate(self.areas):
                    theta = thetas[learner, area_index] + self.growth_per_quiz * q
                    chosen = rng.choice(by_area[area.id], self.per_area, replace=False)
                    for item in chosen:
                        shift = self.topic_effects.get(items[item].topic, 0.0)
                        p = float(probability(theta + shift, a[item], b[item], c[item]))
                        right = rng.random() < p and items[item].item_id != self.wrong_key
                        quiz_of.append(len(quizzes) - 1)
                        item_of.append(int(item))
                        correct.append(right)
        item_index = np.array(item_of, dtype=np.intp)
        data = CohortData(
            name="simulated",
            areas=self.areas,
            learners=tuple(self.names(k) for k in range(self.n_learners)),
            quizzes=tuple(quizzes),
            items=tuple(items),
            answers=CohortAnswers(
                quiz=np.array(quiz_of, dtype=np.intp),
                item=item_index,
                a=a[item_index],
                b=b[item_index],
                c=c[item_index],
                correct=np.array(correct, dtype=bool),
            ),
        )
        return data, thetas
