"""Synthetic item banks shared by the engine benchmarks (seeded, no files needed)."""

from __future__ import annotations

import numpy as np

from engine.irt import ItemBank


def spread_3pl_bank(n_items: int, rng: np.random.Generator) -> ItemBank:
    """A 3PL bank with a spread of difficulties, as in operational CAT studies.

    a ~ logN(log 1.2, 0.25) (median 1.2), b ~ U(-3, 3), c ~ U(0.05, 0.25).
    """
    a = np.exp(rng.normal(np.log(1.2), 0.25, n_items))
    b = rng.uniform(-3.0, 3.0, n_items)
    c = rng.uniform(0.05, 0.25, n_items)
    return ItemBank.from_arrays(a, b, c)


def authored_like_bank(rng: np.random.Generator, items_per_topic: int = 20) -> ItemBank:
    """A bank shaped like the shipped YAML bank before calibration.

    Four areas of six topics; difficulty 1-5 mapped to b = -2..2 (docs/authoring.md)
    with a little jitter; a = 1; c = 1/4 for single-choice (half the items),
    1/2 for true/false (15%), 0 for multiple/numeric/text (35%).
    """
    areas, topics, a, b, c = [], [], [], [], []
    for area in ("programming", "math", "ml", "swe"):
        for topic in range(6):
            for _ in range(items_per_topic):
                areas.append(area)
                topics.append(f"topic-{topic}")
                a.append(1.0)
                b.append(float(rng.integers(-2, 3)) + rng.normal(0.0, 0.2))
                c.append(float(rng.choice([0.25, 0.5, 0.0], p=[0.5, 0.15, 0.35])))
    return ItemBank.from_arrays(a, b, c, areas=areas, topics=topics)


def calibrated_like_bank(rng: np.random.Generator, items_per_topic: int = 20) -> ItemBank:
    """The authored bank's shape after calibration: the same four areas of six
    topics, with 3PL parameters like those of `spread_3pl_bank` but b ~ N(0, 1.2)."""
    areas, topics = [], []
    for area in ("programming", "math", "ml", "swe"):
        for topic in range(6):
            areas += [area] * items_per_topic
            topics += [f"topic-{topic}"] * items_per_topic
    n = len(areas)
    a = np.exp(rng.normal(np.log(1.2), 0.25, n))
    b = rng.normal(0.0, 1.2, n)
    c = rng.uniform(0.05, 0.25, n)
    return ItemBank.from_arrays(a, b, c, areas=areas, topics=topics)
