"""Small banks shared by the engine tests."""

from __future__ import annotations

import numpy as np
import pytest

from engine.irt import ItemBank


@pytest.fixture
def two_area_bank() -> ItemBank:
    """Two areas x three topics x 10 items, difficulties spread -2..2."""
    rng = np.random.default_rng(11)
    areas, topics = [], []
    for area in ("math", "ml"):
        for topic in ("t1", "t2", "t3"):
            areas += [area] * 10
            topics += [topic] * 10
    n = len(areas)
    return ItemBank.from_arrays(
        rng.uniform(0.7, 2.0, n),
        np.tile(np.linspace(-2, 2, 10), 6),
        rng.uniform(0.0, 0.25, n),
        areas=areas,
        topics=topics,
    )


@pytest.fixture
def flat_bank() -> ItemBank:
    """One area, one topic, 200 2PL items."""
    rng = np.random.default_rng(3)
    return ItemBank.from_arrays(rng.uniform(0.8, 2.0, 200), rng.uniform(-3, 3, 200))
