"""The light-weight preset summary shown in the app matches the presets the engine runs."""

from __future__ import annotations

from engine.irt.plan import QUIZ_PRESETS
from engine.quiz.model import PRESET_ITEMS_PER_AREA, PRESET_NAMES


def test_preset_summaries_match_the_engine_presets() -> None:
    assert set(PRESET_NAMES) == set(QUIZ_PRESETS) == set(PRESET_ITEMS_PER_AREA)
    for name, config in QUIZ_PRESETS.items():
        expected = (config.min_items_per_area, config.max_items_per_area)
        assert PRESET_ITEMS_PER_AREA[name] == expected
