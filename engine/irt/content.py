"""Content constraints weighed against information: the maximum priority index.

Instead of narrowing the bank rule by rule (area, then topic, then format,
then information), every candidate gets a *priority index* (Cheng & Chang,
2009): its information times one factor per content constraint it belongs to,

    PI_i = I_i(theta) * prod_k f_k ** w_k,    f_k = 1 - x_k / u_k,

where ``x_k`` is how many items of constraint ``k`` the quiz has given and
``u_k`` its quota, so ``f_k`` is the share of the quota still unused: 1 before
the first item of ``k``, 0 once the quota is full (those items are then passed
over while anything else remains). An item that is much more informative can
still win over a constraint that is a little behind, which the strict cascade
never allowed. The weights ``w_k`` set how hard each family of constraints
pulls against information.

The constraint families, per area of the quiz:

* **area**: quota = the area's share of the planned quiz (``area_targets``,
  default equal) times the planned length; this interleaves areas the way
  Kingsbury & Zara's (1989) constrained CAT did, softly. Its quota is never
  below the next item, so area balance never excludes an item.
* **topic**: quota ``(1 + tolerance) * s_t * L`` with ``s_t`` the topic's share
  of the area's items in the bank and ``L`` the planned items per area;
* **response format** (single choice, true/false, numeric, ...): quota
  ``(1 + tolerance) * s_f * L`` with ``s_f`` the format's share of the area's
  items. Without it, typed answers (``c = 0``, nothing to guess) out-inform
  every single-choice item at the authored ``a = 1`` and the quiz shows little
  else.

``L`` is the plan's items per area (the preset's maximum), or
`DEFAULT_ITEMS_PER_AREA`, and grows with the quiz once it is exceeded, so
quotas are shares of the quiz, not fixed counts.

References
----------
Cheng, Y., & Chang, H.-H. (2009). The maximum priority index method for
severely constrained item selection in computerized adaptive testing. *British
Journal of Mathematical and Statistical Psychology, 62*(2), 369-383.

Kingsbury, G. G., & Zara, A. R. (1989). Procedures for selecting items for
computerized adaptive tests. *Applied Measurement in Education, 2*(4), 359-375.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.irt.item_bank import PerArea, per_area_values
from engine.irt.model import FloatArray
from engine.irt.state import AdaptiveTestState

#: Planned items per area when the plan does not say (quiz-wide fixed lengths,
#: SE targets without a cap): about a standard quiz's area.
DEFAULT_ITEMS_PER_AREA = 10.0


def _check_non_negative(value: float, name: str) -> None:
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")


@dataclass(frozen=True)
class ContentBalance:
    """How strongly each family of content constraints pulls against information.

    Attributes
    ----------
    area_weight, topic_weight, format_weight : float
        Exponents ``w`` of the quota factors (0 switches a family off). The
        area weight is higher than the others because area quotas are never
        full before the area's last item, so a factor of ``1 - x/u`` alone
        would barely interleave areas.
    tolerance : float
        How far above its share of the bank a topic or format may go: its quota
        is ``(1 + tolerance)`` times its share of the planned items.
    """

    area_weight: float = 3.0
    topic_weight: float = 1.0
    format_weight: float = 1.0
    tolerance: float = 0.5

    def __post_init__(self) -> None:
        for name in ("area_weight", "topic_weight", "format_weight", "tolerance"):
            _check_non_negative(getattr(self, name), name)


#: No content balancing: the priority index is the information.
NO_BALANCE = ContentBalance(area_weight=0.0, topic_weight=0.0, format_weight=0.0)


def quota_factors(given: FloatArray, quota: FloatArray, weight: float) -> FloatArray:
    """Cheng & Chang's (2009) factor ``(1 - x / u) ** w`` per constraint, 0 once ``x >= u``.

    Parameters
    ----------
    given : numpy.ndarray
        Items given so far per constraint (``x``).
    quota : numpy.ndarray
        Quota per constraint (``u``); a quota of 0 gives 0.
    weight : float
        Exponent ``w``; 0 gives 1 everywhere.
    """
    if weight == 0.0:
        return np.ones(np.shape(given))
    with np.errstate(divide="ignore", invalid="ignore"):
        unused = np.where(quota > 0.0, 1.0 - given / quota, 0.0)
    np.clip(unused, 0.0, 1.0, out=unused)
    return unused if weight == 1.0 else unused**weight


def priority_weights(
    state: AdaptiveTestState,
    balance: ContentBalance,
    *,
    items_per_area: float | None = None,
    area_targets: PerArea | None = None,
) -> FloatArray | None:
    """Product of the content factors of every bank item, or None when all are equal.

    Parameters
    ----------
    state : AdaptiveTestState
        The quiz so far (its scored counts per area, topic and format).
    balance : ContentBalance
        Weights and tolerance.
    items_per_area : float, optional
        Planned (maximum) scored items per area; default `DEFAULT_ITEMS_PER_AREA`.
    area_targets : float, mapping or sequence, optional
        Target share per area (any non-negative weights; default equal).

    Returns
    -------
    numpy.ndarray or None
        One factor in [0, 1] per bank item; None when the bank has one area,
        one topic and one format (every factor would be the same).
    """
    bank = state.bank
    if not bank.has_content_categories:
        return None
    planned = DEFAULT_ITEMS_PER_AREA if items_per_area is None else float(items_per_area)
    area_counts = np.asarray(state.area_counts, dtype=np.float64)
    # Quotas are shares of the quiz: once an area passes its plan, they grow with it.
    length = np.maximum(planned, area_counts + 1.0)
    weights: FloatArray | None = None
    if bank.n_areas > 1 and balance.area_weight > 0.0:
        active = np.asarray(state.active_areas, dtype=bool)
        shares = np.where(active, _area_shares(state, area_targets), 0.0)
        total = shares.sum()
        share = shares / total if total > 0.0 else active / max(active.sum(), 1)
        quota = np.maximum(share * active.sum() * length, area_counts + 1.0)
        weights = quota_factors(area_counts, quota, balance.area_weight)[bank.area]
    slack = 1.0 + balance.tolerance
    if bank.n_topics > 1 and balance.topic_weight > 0.0:
        quota = slack * bank.topic_share * length[bank.topic_area]
        given = np.asarray(state.topic_counts, dtype=np.float64)
        factor = quota_factors(given, quota, balance.topic_weight)[bank.topic]
        weights = factor if weights is None else weights * factor
    if bank.n_formats > 1 and balance.format_weight > 0.0:
        pair_area = np.repeat(np.arange(bank.n_areas), bank.n_formats)
        quota = slack * bank.area_format_share * length[pair_area]
        given = np.asarray(state.area_format_counts, dtype=np.float64)
        factor = quota_factors(given, quota, balance.format_weight)[bank.area_format]
        weights = factor if weights is None else weights * factor
    return weights


def _area_shares(state: AdaptiveTestState, area_targets: PerArea | None) -> FloatArray:
    if area_targets is None:
        return np.ones(state.bank.n_areas)
    targets = per_area_values(state.bank, area_targets, 0.0)
    return np.clip(np.nan_to_num(targets), 0.0, None)
