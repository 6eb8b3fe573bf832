"""The askable bank, cached between calls: current versions and parameters as arrays and specs.

It also knows which items are *pretest* items (`engine.irt.pretest`: still
on an author's guess in an area whose scale comes from data) and how many
answers each item had when the bank was loaded, so that quizzes seed the
least-answered pretest items first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.bank.model import AreaInfo, ItemSpec
from engine.db import quiz_store
from engine.db.database import Database
from engine.irt.item_bank import ItemBank
from engine.irt.pretest import ParameterSource, pretest_items
from engine.quiz.model import Question
from engine.quiz.presentation import present, shuffled_order
from engine.service.converters import item_spec
from engine.service.errors import QuizError


@dataclass(frozen=True)
class AskableBank:
    """Every stored item (retired ones flagged, so old quizzes still replay) and the areas."""

    items: tuple[quiz_store.StoredItem, ...]
    bank: ItemBank
    index: dict[str, int]  # item id -> position in `items` and `bank`
    eligible: np.ndarray  # may be asked: not retired
    areas: tuple[AreaInfo, ...]
    pretest: np.ndarray  # asked to collect data, never counted in estimates
    answer_counts: np.ndarray  # stored answers per item when the bank was loaded

    def spec(self, position: int) -> ItemSpec:
        return item_spec(self.items[position])

    def area(self, area_id: str) -> AreaInfo:
        return next(area for area in self.areas if area.id == area_id)

    def topic_title(self, area_id: str, topic_id: str) -> str:
        topic = next((t for t in self.area(area_id).topics if t.id == topic_id), None)
        return topic.title if topic else topic_id

    def present(
        self, position: int, rng: np.random.Generator, *, session_id: int, number: int
    ) -> tuple[Question, ItemSpec]:
        """The item at `position` as asked (options shuffled with `rng`), and its spec."""
        stored = self.items[position]
        spec = self.spec(position)
        question = present(
            spec,
            shuffled_order(spec, rng),
            area_title=self.area(spec.area).title,
            topic_title=self.topic_title(spec.area, spec.topic),
            session_id=session_id,
            number=number,
            version_id=stored.version_id,
            parameter_set_id=stored.parameter_set_id,
        )
        return question, spec

    def askable_specs(self) -> tuple[ItemSpec, ...]:
        return tuple(
            self.spec(position) for position, item in enumerate(self.items) if not item.retired
        )

    def askable_areas(self) -> set[str]:
        return {item.area for item in self.items if not item.retired}

    def job_ready_cuts(self) -> dict[str, float]:
        return {area.id: area.cut_scores.job_ready for area in self.areas}

    def level_cuts(self) -> dict[str, tuple[float, float, float]]:
        """Every level cut per area with items (developing, job-ready, strong), for aiming."""
        cuts = (area for area in self.areas if area.id in self.bank.area_labels)
        return {
            area.id: (area.cut_scores.developing, area.cut_scores.job_ready, area.cut_scores.strong)
            for area in cuts
        }


def load_askable_bank(database: Database) -> AskableBank:
    with database.reader() as session:
        items = tuple(quiz_store.current_items(session))
        areas = quiz_store.area_infos(session)
        answers = quiz_store.answer_counts(session)
    if not items:
        raise QuizError("the question bank is empty: run `skillprobe bank import` first")
    bank = ItemBank.from_items(items)
    eligible = np.array([not item.retired for item in items], dtype=bool)
    from_data = np.array([_from_data(item.parameter_source) for item in items], dtype=bool)
    return AskableBank(
        items=items,
        bank=bank,
        index={item.id: position for position, item in enumerate(items)},
        eligible=eligible,
        areas=areas,
        # Retired items neither count towards an area's measured items nor are asked.
        pretest=pretest_items(from_data & eligible, bank.area) & eligible,
        answer_counts=np.array([answers.get(item.id, 0) for item in items], dtype=np.int64),
    )


def _from_data(source: str) -> bool:
    try:
        return ParameterSource(source).from_data
    except ValueError:  # an unknown source is nobody's measurement
        return False
