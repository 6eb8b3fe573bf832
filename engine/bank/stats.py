"""Counting a bank's items by area, topic, type and difficulty."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from engine.bank.model import Bank

TYPES = ("single", "multiple", "true_false", "numeric", "text")
DIFFICULTIES = (1, 2, 3, 4, 5)
SOURCES = ("shipped", "anchor", "irt", "difficulty")


@dataclass(frozen=True)
class Counts:
    total: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_difficulty: dict[int, int] = field(default_factory=dict)
    # Where the parameters come from: "shipped" (calibrated), "anchor", "irt", "difficulty".
    by_source: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TopicCounts:
    area: str
    topic: str
    counts: Counts


@dataclass(frozen=True)
class BankStats:
    total: Counts
    areas: dict[str, Counts]
    topics: tuple[TopicCounts, ...]

    def as_dict(self) -> dict[str, object]:
        def counts(c: Counts) -> dict[str, object]:
            return {
                "items": c.total,
                "by_type": c.by_type,
                "by_difficulty": {str(k): v for k, v in c.by_difficulty.items()},
                "by_source": c.by_source,
            }

        return {
            **counts(self.total),
            "areas": {
                area: {
                    **counts(area_counts),
                    "topics": {t.topic: counts(t.counts) for t in self.topics if t.area == area},
                }
                for area, area_counts in self.areas.items()
            },
        }


def difficulty_level(b: float) -> int:
    """The 1..5 band an item falls in, for items given explicit IRT parameters."""
    return int(min(5, max(1, round(b + 3))))


def bank_stats(bank: Bank) -> BankStats:
    def count(items: list) -> Counts:
        types = Counter(item.type for item in items)
        levels = Counter(item.difficulty or difficulty_level(item.b) for item in items)
        sources = Counter(item.parameter_source for item in items)
        return Counts(
            total=len(items),
            by_type={t: types.get(t, 0) for t in TYPES},
            by_difficulty={d: levels.get(d, 0) for d in DIFFICULTIES},
            by_source={s: sources.get(s, 0) for s in SOURCES},
        )

    areas = {}
    topics = []
    for area in bank.areas:
        area_items = [item for item in bank.items if item.area == area.id]
        areas[area.id] = count(area_items)
        for topic in area.topics:
            topics.append(
                TopicCounts(
                    area.id, topic.id, count([i for i in area_items if i.topic == topic.id])
                )
            )
    return BankStats(count(list(bank.items)), areas, tuple(topics))
