"""Monte Carlo simulation of adaptive quizzes, with baselines and summary figures.

`simulate_quiz` runs the real quiz loop (`AdaptiveTestPlan.next_item`,
`record_response`) for simulated learners whose true abilities are known;
`simulate_oracle` gives each learner the items most informative at their
*true* ability (a bound no real quiz can reach); `summarise` turns either into
RMSE, bias, length, SE, interval coverage, exposure and overlap figures, and
for classification quizzes accuracy and calibration. `selection_figures` adds
how the selection used the bank: the share of items given at least once, how
many reached the answers calibration needs, how many unscored (pretest)
questions a quiz had, and the regression slope of the difficulty of the items
given on the learner's true ability.

Answers can be generated from *true* parameters that differ from the ones the
engine uses (`perturbed_bank`): difficulties with noise or shifted, spread
discriminations. That is how a bank whose authored parameters are wrong
behaves.

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
from dataclasses import dataclass, replace

import numpy as np

from engine.irt.item_bank import BoolArray, IntArray, ItemBank, PerArea, per_area_values
from engine.irt.model import FloatArray, information, probability
from engine.irt.plan import AdaptiveTestPlan, counts_toward_estimates
from engine.irt.posterior import Posterior
from engine.irt.state import AdaptiveTestState, record_response, start_test

#: Level of the reported interval (coverage is checked against it).
INTERVAL_LEVEL = 0.95
#: Bins of the expected calibration error.
CALIBRATION_BINS = 10
#: Answers an item needs before calibration estimates it (`skillprobe calibrate`'s
#: default ``--min-responses``).
ANSWERS_FOR_CALIBRATION = 30


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
        For each bank item, how many simulees were given it (scored or not).
    difficulty_moments : numpy.ndarray
        Per area, ``(n, sum x, sum y, sum x^2, sum x y)`` over the scored items
        given, with ``x`` the learner's true ability and ``y`` the item's true
        difficulty (for `difficulty_slope`).
    unscored : numpy.ndarray
        Unscored questions per simulee (pretest items).
    pretest : numpy.ndarray
        Boolean per bank item: flagged as pretest in this run (None: none).
    """

    true_theta: FloatArray
    estimate: FloatArray
    se: FloatArray
    lower: FloatArray
    upper: FloatArray
    lengths: IntArray
    probability_above: FloatArray
    exposure_counts: IntArray
    difficulty_moments: FloatArray | None = None
    unscored: IntArray | None = None
    pretest: BoolArray | None = None


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
        self.difficulty_moments = np.zeros((n_areas, 5))
        self.unscored = np.zeros(n_simulees, dtype=np.intp)

    def add(self, simulee: int, area: int, posterior: Posterior, cut: float, length: int) -> None:
        tail = (1.0 - INTERVAL_LEVEL) / 2.0
        self.estimate[simulee, area] = posterior.mean
        self.se[simulee, area] = posterior.sd
        self.lower[simulee, area] = posterior.quantile(tail)
        self.upper[simulee, area] = posterior.quantile(1.0 - tail)
        self.lengths[simulee, area] = length
        if not math.isnan(cut):
            self.probability_above[simulee, area] = posterior.probability_at_or_above(cut)

    def add_items(self, area: IntArray, true_theta: FloatArray, difficulty: FloatArray) -> None:
        """Scored items given to one simulee: their areas, the simulee's true
        abilities there and the items' true difficulties."""
        np.add.at(
            self.difficulty_moments,
            area,
            np.column_stack(
                (
                    np.ones(area.size),
                    true_theta,
                    difficulty,
                    true_theta * true_theta,
                    true_theta * difficulty,
                )
            ),
        )

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
            difficulty_moments=self.difficulty_moments,
            unscored=self.unscored,
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
    true_bank: ItemBank | None = None,
    pretest: BoolArray | None = None,
    final_states: list[AdaptiveTestState] | None = None,
) -> SimulationRecord:
    """Run the real quiz loop for every simulee, one after the other.

    Parameters
    ----------
    bank : ItemBank
        The item bank as the engine knows it.
    plan : AdaptiveTestPlan
        Selection and stopping, exactly as a real quiz uses them.
    true_theta : numpy.ndarray
        True abilities, shape (simulees,) for one ability in every area, or
        (simulees, areas).
    rng : numpy.random.Generator
        Draws item choices and simulated answers.
    cut_scores : float, mapping or sequence, optional
        Cut per area for the recorded P(theta >= cut).
    true_bank : ItemBank, optional
        The parameters answers are generated from (default ``bank``: the
        engine's model is right); same items in the same order.
    pretest : numpy.ndarray, optional
        Boolean per item: pretest items, seeded by the plan's pretest policy
        and recorded unscored. The plan sees the answers each item has so far
        (earlier simulees), as a live service would.
    final_states : list, optional
        When given, each simulee's final quiz state is appended to it (for
        figures about what the report would say: `engine.irt.report_figures`).

    Returns
    -------
    SimulationRecord
    """
    theta = _area_matrix(bank, true_theta)
    truth = bank if true_bank is None else true_bank
    if truth.n_items != bank.n_items:
        raise ValueError("the true bank must have the same items as the bank")
    cuts = per_area_values(bank, cut_scores, math.nan)
    recorder = _Recorder(theta.shape[0], bank.n_areas, bank.n_items)
    answer_counts = None if pretest is None else recorder.exposure_counts
    for simulee in range(theta.shape[0]):
        state = start_test(bank)
        while (
            item := plan.next_item(state, rng, pretest=pretest, answer_counts=answer_counts)
        ) is not None:
            area = int(bank.area[item])
            p_correct = _probability_of_one(theta[simulee, area], truth, item)
            scored = counts_toward_estimates(item, pretest=pretest)
            state = record_response(state, item, bool(rng.random() < p_correct), scored=scored)
        for area in range(bank.n_areas):
            recorder.add(
                simulee, area, state.area_posteriors[area], cuts[area], state.area_counts[area]
            )
        given = np.asarray(state.administered, dtype=np.intp)
        np.add.at(recorder.exposure_counts, given, 1)
        scored_items = given[np.asarray(state.scored, dtype=bool)]
        areas = bank.area[scored_items]
        recorder.add_items(areas, theta[simulee, areas], truth.b[scored_items])
        recorder.unscored[simulee] = given.size - scored_items.size
        if final_states is not None:
            final_states.append(state)
    return replace(recorder.record(theta), pretest=pretest)


def perturbed_bank(
    bank: ItemBank,
    rng: np.random.Generator,
    *,
    difficulty_sd: float = 0.0,
    difficulty_shift: float = 0.0,
    discrimination_sd: float = 0.0,
) -> ItemBank:
    """True parameters that differ from the authored ones, for `simulate_quiz`.

    ``b_true = b + difficulty_shift + N(0, difficulty_sd^2)`` and
    ``a_true = a * exp(N(0, discrimination_sd^2))`` (a lognormal spread around
    the authored value); guessing, areas, topics, formats and ids unchanged.
    """
    for name, value in (("difficulty_sd", difficulty_sd), ("discrimination_sd", discrimination_sd)):
        if not (math.isfinite(value) and value >= 0.0):
            raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    if not math.isfinite(difficulty_shift):
        raise ValueError(f"difficulty_shift must be finite, got {difficulty_shift}")
    b = bank.b + difficulty_shift + rng.normal(0.0, difficulty_sd, bank.n_items)
    a = bank.a * np.exp(rng.normal(0.0, discrimination_sd, bank.n_items))
    return ItemBank.from_arrays(
        a,
        b,
        bank.c,
        areas=[bank.area_labels[code] for code in bank.area],
        topics=[bank.topic_labels[code][1] for code in bank.topic],
        ids=bank.ids,
        formats=[bank.format_labels[code] for code in bank.format],
    )


def simulate_oracle(
    bank: ItemBank,
    true_theta: FloatArray,
    lengths: IntArray,
    rng: np.random.Generator,
    *,
    cut_scores: PerArea | None = None,
    true_bank: ItemBank | None = None,
) -> SimulationRecord:
    """Each simulee gets, per area, the items most informative at their TRUE ability.

    No real quiz can do this (it does not know the true ability); it bounds what
    item selection can achieve at the same lengths.

    Parameters
    ----------
    bank : ItemBank
        The item bank as the engine knows it (the posterior uses it).
    true_theta : numpy.ndarray
        As for `simulate_quiz`.
    lengths : numpy.ndarray
        Items per simulee and area, e.g. the adaptive quiz's `lengths`.
    rng : numpy.random.Generator
        Draws the simulated answers.
    cut_scores : float, mapping or sequence, optional
        Cut per area for the recorded P(theta >= cut).
    true_bank : ItemBank, optional
        The true parameters (default ``bank``): they generate the answers and,
        being the oracle's knowledge, choose the items.
    """
    theta = _area_matrix(bank, true_theta)
    truth = bank if true_bank is None else true_bank
    cuts = per_area_values(bank, cut_scores, math.nan)
    recorder = _Recorder(theta.shape[0], bank.n_areas, bank.n_items)
    area_items = [np.flatnonzero(bank.area == area) for area in range(bank.n_areas)]
    for simulee in range(theta.shape[0]):
        for area, items in enumerate(area_items):
            length = min(int(lengths[simulee, area]), items.size)
            true_value = theta[simulee, area]
            chosen = items[:0]
            if length > 0:
                info = information(true_value, truth.a[items], truth.b[items], truth.c[items])
                chosen = items[np.argpartition(-info, length - 1)[:length]]
            p_correct = probability(true_value, truth.a[chosen], truth.b[chosen], truth.c[chosen])
            answers = (rng.random(chosen.size) < p_correct).astype(np.float64)
            posterior = Posterior.normal().update_many(
                bank.a[chosen], bank.b[chosen], bank.c[chosen], answers
            )
            recorder.add(simulee, area, posterior, cuts[area], length)
            recorder.exposure_counts[chosen] += 1
            recorder.add_items(
                np.full(chosen.size, area), np.full(chosen.size, true_value), truth.b[chosen]
            )
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
    summary.update(selection_figures(record, areas=columns, item_mask=item_mask))
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


def difficulty_slope(moments: FloatArray) -> float:
    """Least-squares slope of item difficulty on true ability from summed moments.

    ``moments`` holds ``(n, sum x, sum y, sum x^2, sum x y)`` (summed over
    areas if 2-D); NaN when the abilities do not vary.
    """
    n, sum_x, sum_y, sum_xx, sum_xy = np.asarray(moments, dtype=np.float64).reshape(-1, 5).sum(0)
    spread = n * sum_xx - sum_x * sum_x
    if n < 2 or spread <= 0.0:
        return math.nan
    return float((n * sum_xy - sum_x * sum_y) / spread)


def selection_figures(
    record: SimulationRecord,
    *,
    areas: IntArray | None = None,
    item_mask: BoolArray | None = None,
) -> dict[str, float]:
    """How the selection used the bank, over the chosen areas and items.

    Returns
    -------
    dict
        ``share_of_items_given`` (items given at least once / items),
        ``items_reaching_30_answers`` (items given to at least
        `ANSWERS_FOR_CALIBRATION` simulees), ``unscored_per_quiz`` (mean
        unscored questions per simulee, all areas) and
        ``mean_item_difficulty_slope`` (regression slope of the true difficulty
        of the scored items given on the learner's true ability in the area:
        1 when items follow the learner exactly, 0 when they ignore them); with
        pretest items also ``pretest_items_reaching_30_answers`` (of
        ``pretest_items``).
    """
    counts = record.exposure_counts if item_mask is None else record.exposure_counts[item_mask]
    figures = {
        "share_of_items_given": float(np.mean(counts > 0)) if counts.size else 0.0,
        "items_reaching_30_answers": float(np.count_nonzero(counts >= ANSWERS_FOR_CALIBRATION)),
        "unscored_per_quiz": (
            float(np.mean(record.unscored)) if record.unscored is not None else 0.0
        ),
    }
    if record.pretest is not None:
        pretest = record.pretest if item_mask is None else record.pretest[item_mask]
        figures["pretest_items"] = float(np.count_nonzero(pretest))
        figures["pretest_items_reaching_30_answers"] = float(
            np.count_nonzero(counts[pretest] >= ANSWERS_FOR_CALIBRATION)
        )
    if record.difficulty_moments is not None:
        moments = record.difficulty_moments
        figures["mean_item_difficulty_slope"] = difficulty_slope(
            moments if areas is None else moments[np.asarray(areas)]
        )
    return figures
