"""Monte Carlo simulation of adaptive quizzes, with baselines and summary figures.

`simulate_quiz` runs the real quiz loop (`AdaptiveTestPlan.next_item`,
`record_response`) for simulated learners whose true abilities are known;
`simulate_oracle` gives each learner the items most informative at their
*true* ability (a bound no real quiz can reach); `summarise` turns either into
RMSE, bias, length, SE, interval coverage, exposure and overlap figures, and
for classification quizzes accuracy and calibration.

References
----------
Chen, S.-Y., Ankenmann, R. D., & Spray, J. A. (2003). The relationship between
item exposure and test overlap in computerized adaptive testing. *Journal of
Educational Measurement, 40*(2), 129-145. (The overlap rate.)

Naeini, M. P., Cooper, G. F., & Hauskrecht, M. (2015). Obtaining well
calibrated probabilities using Bayesian binning. *AAAI*, 2901-2907.
(Expected calibration error.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.irt.item_bank import BoolArray, IntArray, ItemBank, PerArea, per_area_values
from engine.irt.model import FloatArray, information, probability
from engine.irt.plan import AdaptiveTestPlan
from engine.irt.posterior import Posterior
from engine.irt.state import AdaptiveTestState, record_response, start_test

#: Level of the reported interval (coverage is checked against it).
INTERVAL_LEVEL = 0.95
#: Bins of the expected calibration error.
CALIBRATION_BINS = 10


@dataclass(frozen=True, eq=False)
class SimulationRecord:
    """Outcomes of one simulated arm; arrays are (simulees, areas) by area code.

    Attributes
    ----------
    true_theta, estimate, se, lower, upper : numpy.ndarray
        True ability, EAP estimate, posterior SD and 95% credible interval.
    lengths : numpy.ndarray
        Items given per simulee and area.
    probability_above : numpy.ndarray
        Posterior P(theta >= cut) where a cut was given, else NaN.
    exposure_counts : numpy.ndarray
        For each bank item, how many simulees were given it.
    """

    true_theta: FloatArray
    estimate: FloatArray
    se: FloatArray
    lower: FloatArray
    upper: FloatArray
    lengths: IntArray
    probability_above: FloatArray
    exposure_counts: IntArray


class _Recorder:
    """Collects per-simulee outcomes into arrays."""

    def __init__(self, n_simulees: int, n_areas: int, n_items: int) -> None:
        shape = (n_simulees, n_areas)
        self.estimate = np.full(shape, np.nan)
        self.se = np.full(shape, np.nan)
        self.lower = np.full(shape, np.nan)
        self.upper = np.full(shape, np.nan)
        self.probability_above = np.full(shape, np.nan)
        self.lengths = np.zeros(shape, dtype=np.intp)
        self.exposure_counts = np.zeros(n_items, dtype=np.intp)

    def add(self, simulee: int, area: int, posterior: Posterior, cut: float, length: int) -> None:
        tail = (1.0 - INTERVAL_LEVEL) / 2.0
        self.estimate[simulee, area] = posterior.mean
        self.se[simulee, area] = posterior.sd
        self.lower[simulee, area] = posterior.quantile(tail)
        self.upper[simulee, area] = posterior.quantile(1.0 - tail)
        self.lengths[simulee, area] = length
        if not math.isnan(cut):
            self.probability_above[simulee, area] = posterior.probability_at_or_above(cut)

    def record(self, true_theta: FloatArray) -> SimulationRecord:
        return SimulationRecord(
            true_theta=true_theta,
            estimate=self.estimate,
            se=self.se,
            lower=self.lower,
            upper=self.upper,
            lengths=self.lengths,
            probability_above=self.probability_above,
            exposure_counts=self.exposure_counts,
        )


def _probability_of_one(theta: float, bank: ItemBank, item: int) -> float:
    """`probability` for one bank item, in plain floats (the simulation's inner loop)."""
    z = min(max(float(bank.a[item]) * (float(theta) - float(bank.b[item])), -30.0), 30.0)
    c = float(bank.c[item])
    return c + (1.0 - c) / (1.0 + math.exp(-z))


def _area_matrix(bank: ItemBank, true_theta: FloatArray) -> FloatArray:
    theta = np.asarray(true_theta, dtype=np.float64)
    if theta.ndim == 1:
        theta = np.repeat(theta[:, None], bank.n_areas, axis=1)
    if theta.shape[1] != bank.n_areas:
        raise ValueError("true_theta needs one column per area")
    return theta


def simulate_quiz(
    bank: ItemBank,
    plan: AdaptiveTestPlan,
    true_theta: FloatArray,
    rng: np.random.Generator,
    *,
    cut_scores: PerArea | None = None,
    final_states: list[AdaptiveTestState] | None = None,
) -> SimulationRecord:
    """Run the real quiz loop for every simulee.

    Parameters
    ----------
    bank : ItemBank
        The item bank.
    plan : AdaptiveTestPlan
        Selection and stopping, exactly as a real quiz uses them.
    true_theta : numpy.ndarray
        True abilities, shape (simulees,) for one ability in every area, or
        (simulees, areas).
    rng : numpy.random.Generator
        Draws item choices and simulated answers.
    cut_scores : float, mapping or sequence, optional
        Cut per area for the recorded P(theta >= cut).
    final_states : list, optional
        When given, each simulee's final quiz state is appended to it (for
        figures about what the report would say: `engine.irt.report_figures`).

    Returns
    -------
    SimulationRecord
    """
    theta = _area_matrix(bank, true_theta)
    cuts = per_area_values(bank, cut_scores, math.nan)
    recorder = _Recorder(theta.shape[0], bank.n_areas, bank.n_items)
    for simulee in range(theta.shape[0]):
        state = start_test(bank)
        while (item := plan.next_item(state, rng)) is not None:
            area = int(bank.area[item])
            p_correct = _probability_of_one(theta[simulee, area], bank, item)
            state = record_response(state, item, bool(rng.random() < p_correct))
        for area in range(bank.n_areas):
            recorder.add(
                simulee, area, state.area_posteriors[area], cuts[area], state.area_counts[area]
            )
        np.add.at(recorder.exposure_counts, np.asarray(state.administered, dtype=np.intp), 1)
        if final_states is not None:
            final_states.append(state)
    return recorder.record(theta)


def simulate_oracle(
    bank: ItemBank,
    true_theta: FloatArray,
    lengths: IntArray,
    rng: np.random.Generator,
    *,
    cut_scores: PerArea | None = None,
) -> SimulationRecord:
    """Each simulee gets, per area, the items most informative at their TRUE ability.

    No real quiz can do this (it does not know the true ability); it bounds what
    item selection can achieve at the same lengths.

    Parameters
    ----------
    bank : ItemBank
        The item bank.
    true_theta : numpy.ndarray
        As for `simulate_quiz`.
    lengths : numpy.ndarray
        Items per simulee and area, e.g. the adaptive quiz's `lengths`.
    rng : numpy.random.Generator
        Draws the simulated answers.
    cut_scores : float, mapping or sequence, optional
        Cut per area for the recorded P(theta >= cut).
    """
    theta = _area_matrix(bank, true_theta)
    cuts = per_area_values(bank, cut_scores, math.nan)
    recorder = _Recorder(theta.shape[0], bank.n_areas, bank.n_items)
    area_items = [np.flatnonzero(bank.area == area) for area in range(bank.n_areas)]
    for simulee in range(theta.shape[0]):
        for area, items in enumerate(area_items):
            length = min(int(lengths[simulee, area]), items.size)
            true_value = theta[simulee, area]
            chosen = items[:0]
            if length > 0:
                info = information(true_value, bank.a[items], bank.b[items], bank.c[items])
                chosen = items[np.argpartition(-info, length - 1)[:length]]
            p_correct = probability(true_value, bank.a[chosen], bank.b[chosen], bank.c[chosen])
            answers = (rng.random(chosen.size) < p_correct).astype(np.float64)
            posterior = Posterior.normal().update_many(
                bank.a[chosen], bank.b[chosen], bank.c[chosen], answers
            )
            recorder.add(simulee, area, posterior, cuts[area], length)
            recorder.exposure_counts[chosen] += 1
    return recorder.record(theta)


def expected_calibration_error(
    predicted: FloatArray, outcome: BoolArray, bins: int = CALIBRATION_BINS
) -> float:
    """Expected calibration error over equal-width probability bins (Naeini et al., 2015).

    ``sum_b (n_b / n) |mean predicted in b - observed frequency in b|``.
    """
    predicted = np.clip(np.asarray(predicted, dtype=np.float64), 0.0, 1.0)
    outcome = np.asarray(outcome, dtype=np.float64)
    if predicted.size == 0:
        return 0.0
    which = np.minimum((predicted * bins).astype(np.intp), bins - 1)
    error = 0.0
    for b in range(bins):
        in_bin = which == b
        if in_bin.any():
            error += in_bin.mean() * abs(predicted[in_bin].mean() - outcome[in_bin].mean())
    return float(error)


def overlap_rate(exposure_counts: IntArray, n_simulees: int, mean_length: float) -> float:
    """Mean proportion of items two simulees share (Chen, Ankenmann & Spray, 2003).

    The expected number of shared items over all pairs is
    ``sum_i n_i (n_i - 1) / (N (N - 1))`` (``n_i`` simulees saw item ``i``);
    divided by the mean test length it is the overlap rate.
    """
    if n_simulees < 2 or mean_length <= 0:
        return 0.0
    counts = np.asarray(exposure_counts, dtype=np.float64)
    shared = float(np.sum(counts * (counts - 1.0))) / (n_simulees * (n_simulees - 1.0))
    return shared / mean_length


def summarise(
    record: SimulationRecord,
    *,
    areas: IntArray | None = None,
    item_mask: BoolArray | None = None,
    cut_scores: PerArea | None = None,
    bank: ItemBank | None = None,
) -> dict[str, float]:
    """Summary figures of a simulated arm over the chosen areas.

    Parameters
    ----------
    record : SimulationRecord
        One arm's outcomes.
    areas : numpy.ndarray, optional
        Area codes to pool (default all).
    item_mask : numpy.ndarray, optional
        Bank items belonging to those areas, for exposure and overlap.
    cut_scores, bank : optional
        With both, also ``classification_accuracy`` (decision P >= 0.5 against
        the true side of the cut) and ``calibration_error`` (ECE, 10 bins).

    Returns
    -------
    dict
        ``rmse``, ``bias``, ``mean_length`` (items per quiz in these areas),
        ``mean_se``, ``coverage_95``, ``max_exposure``, ``overlap``, and the
        classification figures when requested.
    """
    columns = np.arange(record.estimate.shape[1]) if areas is None else np.asarray(areas)
    true = record.true_theta[:, columns]
    estimate = record.estimate[:, columns]
    error = estimate - true
    n_simulees = true.shape[0]
    counts = record.exposure_counts if item_mask is None else record.exposure_counts[item_mask]
    mean_length = float(record.lengths[:, columns].sum(axis=1).mean())
    covered = (record.lower[:, columns] <= true) & (true <= record.upper[:, columns])
    summary = {
        "rmse": float(np.sqrt(np.mean(error**2))),
        "bias": float(np.mean(error)),
        "mean_length": mean_length,
        "mean_se": float(np.mean(record.se[:, columns])),
        "coverage_95": float(np.mean(covered)),
        "max_exposure": float(counts.max() / n_simulees) if counts.size else 0.0,
        "overlap": overlap_rate(counts, n_simulees, mean_length),
    }
    if cut_scores is not None and bank is not None:
        cuts = per_area_values(bank, cut_scores, math.nan)[columns]
        p_above = record.probability_above[:, columns].reshape(-1)
        truly_above = (true >= cuts).reshape(-1)
        # Only areas with a cut (and a recorded probability) are classified.
        known = np.isfinite(p_above)
        if known.any():
            p_above, truly_above = p_above[known], truly_above[known]
            summary["classification_accuracy"] = float(np.mean((p_above >= 0.5) == truly_above))
            summary["calibration_error"] = expected_calibration_error(p_above, truly_above)
    return summary
