"""The numerical core of skillprobe: IRT models, ability estimation and adaptive testing.

Pure numpy and the standard library; no I/O, no database, no UI. Randomness is
always passed in as a ``numpy.random.Generator``. See docs/engine.md.

Typical quiz loop (one posterior per area, plus an overall one)::

    from engine.irt import QUIZ_PRESETS, ItemBank, carry_over_prior, record_response, start_test

    bank = ItemBank.from_items(loaded.items)          # a, b, c, area, topic, id
    plan = QUIZ_PRESETS["standard"].plan(
        cut_scores={"math": 0.0, ...}, level_cuts={"math": (-1.0, 0.0, 1.2), ...}
    )
    state = start_test(bank, priors={"math": carry_over_prior(0.4, 0.35)})
    while (item := plan.next_item(state, rng, eligible=..., seen=..., pretest=...)) is not None:
        scored = counts_toward_estimates(item, pretest=..., key_shown=...)
        state = record_response(state, item, answer_is_correct, scored=scored)
    state.area_posteriors[bank.area_index("math")].probability_at_or_above(0.0)
"""

from engine.irt.calibration import CalibrationResult, calibrate_items
from engine.irt.content import DEFAULT_ITEMS_PER_AREA, NO_BALANCE, ContentBalance
from engine.irt.estimation import (
    DEFAULT_SEARCH_BOUNDS,
    MAX_STANDARD_ERROR,
    METHODS,
    AbilityEstimate,
    estimate_ability,
    estimate_eap,
    estimate_map,
    estimate_ml,
    estimate_wle,
)
from engine.irt.exposure import (
    DEFAULT_RANDOMESQUE_SIZE,
    ExposureControl,
    MaximumInformation,
    Progressive,
    Randomesque,
    SympsonHetter,
)
from engine.irt.item_bank import ItemBank, PerArea, parameter_problems, per_area_values
from engine.irt.model import (
    information,
    log_likelihood,
    log_probabilities,
    probability,
    test_information,
)
from engine.irt.plan import (
    QUIZ_PRESETS,
    AdaptiveTestPlan,
    StoppingConfig,
    counts_toward_estimates,
)
from engine.irt.posterior import (
    Posterior,
    carry_over_prior,
    normal_prior,
    quadrature_grid,
)
from engine.irt.seeding import PretestPolicy
from engine.irt.selection import (
    DEFAULT_AIM_WIDTH,
    ItemSelector,
    LevelCuts,
    MaxInfoSelector,
    ProgressiveSelector,
    RandomSelector,
    available_items,
    level_cut_matrix,
    selection_points,
)
from engine.irt.state import AdaptiveTestState, record_response, start_test
from engine.irt.stopping import (
    AllOf,
    AnyOf,
    FixedLength,
    MaxItems,
    MinItems,
    ReadinessClassification,
    StandardErrorTarget,
    StoppingRule,
)

__all__ = [
    "DEFAULT_AIM_WIDTH",
    "DEFAULT_ITEMS_PER_AREA",
    "DEFAULT_RANDOMESQUE_SIZE",
    "DEFAULT_SEARCH_BOUNDS",
    "MAX_STANDARD_ERROR",
    "METHODS",
    "NO_BALANCE",
    "QUIZ_PRESETS",
    "AbilityEstimate",
    "AdaptiveTestPlan",
    "AdaptiveTestState",
    "AllOf",
    "AnyOf",
    "CalibrationResult",
    "ContentBalance",
    "ExposureControl",
    "FixedLength",
    "ItemBank",
    "ItemSelector",
    "LevelCuts",
    "MaxInfoSelector",
    "MaxItems",
    "MaximumInformation",
    "MinItems",
    "PerArea",
    "Posterior",
    "PretestPolicy",
    "Progressive",
    "ProgressiveSelector",
    "RandomSelector",
    "Randomesque",
    "ReadinessClassification",
    "StandardErrorTarget",
    "StoppingConfig",
    "StoppingRule",
    "SympsonHetter",
    "available_items",
    "calibrate_items",
    "carry_over_prior",
    "counts_toward_estimates",
    "estimate_ability",
    "estimate_eap",
    "estimate_map",
    "estimate_ml",
    "estimate_wle",
    "information",
    "level_cut_matrix",
    "log_likelihood",
    "log_probabilities",
    "normal_prior",
    "parameter_problems",
    "per_area_values",
    "probability",
    "quadrature_grid",
    "record_response",
    "selection_points",
    "start_test",
    "test_information",
]
