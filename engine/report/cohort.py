"""The instructor's cohort report: pure computation from a cohort's stored answers.

What it says, and how:

* **Each learner's latest result per area** (as of the report's end date): the
  posterior of their latest quiz in the area, from that quiz's own prior, so
  it is exactly what the learner's own report of that quiz says (level or
  run of levels holding 80%, P(job-ready), estimate and SE).
* **Per area**: a histogram of those latest estimates, and the share of the
  cohort at each level. Each learner's level is uncertain (their posterior
  gives a probability for each level), so the number of learners at a level is
  a sum of independent Bernoulli variables: its exact (Poisson-binomial)
  distribution gives the expected share and a 90% interval. The interval is
  about this cohort's members, measured with error, not about learners in
  general.
* **Topics weak across the cohort**: the topic-effect model pooled over every
  answer in the window (`engine.report.cohort_topics`), called weak at a 10%
  false discovery rate; not a count of individual flags.
* **Progress**: per area, each learner's latest estimate at the start of the
  window (or their first result, without a start date) against their latest
  at its end; the mean change with a standard error that treats the two
  posteriors as independent (conservative: a carried-over prior makes them
  positively correlated).
* **Most-missed items**: misses in the window, the misses the model expects
  from the learners who answered (each answer's ability posterior from the
  rest of its quiz's answers in the area), and the item's calibration
  diagnostics when the bank has been calibrated.

Inputs are plain arrays and frozen dataclasses (`CohortData`); the service
layer reads them from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from engine.bank.model import AreaInfo, CutScores
from engine.irt.item_bank import BoolArray, IntArray
from engine.irt.levels import NAMING_PROBABILITY, LevelRange
from engine.irt.model import FloatArray, log_probabilities
from engine.irt.posterior import trapezoid_weights
from engine.irt.topics import DEFAULT_FALSE_DISCOVERY_RATE, poisson_binomial
from engine.report.cohort_topics import COHORT_GRID, TopicAnswers, pooled_topic_effects
from engine.report.group_posteriors import (
    GroupPosteriors,
    answer_log_likelihoods,
    group_posteriors,
)
from engine.report.readiness import LEVELS, LevelCall
from engine.report.wording import MAX_CALLABLE_SE, MIN_AREA_ANSWERS, TOO_EARLY

#: The share intervals hold this much probability.
SHARE_INTERVAL = 0.9
#: Histogram of latest estimates: bins of this width from -3 to 3 (values beyond go to the ends).
HISTOGRAM_RANGE = (-3.0, 3.0)
HISTOGRAM_BIN = 0.5
#: How many of the most-missed items the report lists.
MOST_MISSED = 10


# -- input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortQuiz:
    """One quiz of a member: whose (index into `CohortData.learners`), when, its priors."""

    quiz_id: int
    learner: int
    started_at: dt.datetime
    priors: Mapping[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class CohortItem:
    item_id: str
    area: str
    topic: str


@dataclass(frozen=True, eq=False)
class CohortAnswers:
    """Every stored answer of the cohort's quizzes, one entry per answer.

    ``quiz`` indexes `CohortData.quizzes`, ``item`` indexes `CohortData.items`;
    ``a, b, c`` are the parameters the item had when answered; a skip is not correct.
    """

    quiz: IntArray
    item: IntArray
    a: FloatArray
    b: FloatArray
    c: FloatArray
    correct: BoolArray

    @classmethod
    def empty(cls) -> CohortAnswers:
        none = np.zeros(0)
        return cls(
            np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp), none, none, none, none > 0
        )


@dataclass(frozen=True)
class CalibrationNote:
    """An item's diagnostics from the latest calibration of the bank."""

    responses: int
    proportion_correct: float | None
    infit: float | None
    outfit: float | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class CohortData:
    """Everything the report is computed from: the members and all their quizzes up to the end."""

    name: str
    areas: tuple[AreaInfo, ...]
    learners: tuple[str, ...]
    quizzes: tuple[CohortQuiz, ...]
    items: tuple[CohortItem, ...]
    answers: CohortAnswers
    #: Population prior per area for the topic model and for quizzes without a stored prior.
    population: Mapping[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Window:
    """The report's period: quizzes started from ``since`` (None: from the start) to ``until``."""

    since: dt.datetime | None
    until: dt.datetime


# -- output ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerArea:
    """A learner's latest result in one area, as their own report of that quiz gives it."""

    area: str
    quiz_id: int
    measured_at: dt.datetime
    answered: int
    estimate: float
    se: float
    level: str  # the named level(s), or "Too early to call"
    level_probability: float  # the probability the named level(s) hold
    p_job_ready: float
    enough_evidence: bool
    levels: tuple[float, ...]  # probability of each level, Foundations first


@dataclass(frozen=True)
class LearnerRow:
    name: str
    quizzes: int  # quizzes started in the window
    answered: int  # answers in those quizzes
    last_active: dt.datetime | None  # latest quiz started, up to the end of the window
    areas: Mapping[str, LearnerArea]


@dataclass(frozen=True)
class Share:
    """The share of measured learners at a level: expected value and a 90% interval."""

    expected: float
    low: float
    high: float


@dataclass(frozen=True)
class Histogram:
    edges: tuple[float, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class AreaSummary:
    area: str
    title: str
    cut_scores: CutScores
    measured: int  # members with a result in the area
    too_early: int  # of those, results without enough evidence for a level
    mean_estimate: float | None
    histogram: Histogram
    levels: tuple[Share, ...]  # one per level, Foundations first
    job_ready: Share  # at or above the job-ready cut


@dataclass(frozen=True)
class CohortTopic:
    area: str
    topic: str
    title: str
    answered: int
    correct: int
    expected: float
    effect: float
    effect_sd: float
    probability_weak: float
    p_value: float
    weak: bool
    learners: int
    study: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaProgress:
    area: str
    title: str
    learners: int  # measured at both points
    mean_change: float | None
    se_change: float | None
    job_ready_before: float | None  # expected share at or above the job-ready cut
    job_ready_after: float | None


@dataclass(frozen=True)
class MissedItem:
    item_id: str
    area: str
    topic: str
    asked: int
    missed: int
    expected_missed: float
    learners: int
    calibration: CalibrationNote | None = None
    prompt: str = ""  # the first line of the item's current text, filled in by the service


@dataclass(frozen=True)
class CohortReport:
    cohort: str
    window: Window
    members: int
    active: int  # members with a quiz in the window
    learners: tuple[LearnerRow, ...]
    areas: tuple[AreaSummary, ...]
    topics: tuple[CohortTopic, ...]  # every topic with answers, area then topic order
    progress: tuple[AreaProgress, ...]
    progress_from_first: bool  # True: from each learner's first result (no start date)
    items: tuple[MissedItem, ...]
    answers: int  # answers in the window
    false_discovery_rate: float = DEFAULT_FALSE_DISCOVERY_RATE

    @property
    def weak_topics(self) -> tuple[CohortTopic, ...]:
        """Topics called weak, most probably weak first."""
        weak = [topic for topic in self.topics if topic.weak]
        weak.sort(key=lambda t: (-t.probability_weak, t.p_value, t.area, t.topic))
        return tuple(weak)


# -- pure pieces ----------------------------------------------------------------------------


def share_of(probabilities: FloatArray, level: float = SHARE_INTERVAL) -> Share:
    """Share of learners with a property, when each has it with the given probability.

    The count is Poisson-binomial; the interval runs between its equal-tailed
    quantiles, divided by the number of learners.
    """
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 0.0, 1.0)
    n = p.size
    if n == 0:
        return Share(float("nan"), float("nan"), float("nan"))
    cumulative = np.cumsum(poisson_binomial(p))
    tail = (1.0 - level) / 2.0
    low = int(np.searchsorted(cumulative, tail - 1e-12))
    high = int(np.searchsorted(cumulative, 1.0 - tail - 1e-12))
    return Share(float(p.mean()), low / n, min(high, n) / n)


def histogram(estimates: FloatArray) -> Histogram:
    low, high = HISTOGRAM_RANGE
    edges = np.arange(low, high + HISTOGRAM_BIN / 2, HISTOGRAM_BIN)
    clipped = np.clip(np.asarray(estimates, dtype=np.float64), low, high - 1e-9)
    counts, _ = np.histogram(clipped, bins=edges)
    return Histogram(tuple(float(e) for e in edges), tuple(int(c) for c in counts))


def named_level_runs(
    probabilities: FloatArray, threshold: float = NAMING_PROBABILITY
) -> tuple[IntArray, IntArray, FloatArray]:
    """`engine.irt.levels.named_levels` for every row at once: first and last level of the
    shortest run holding ``threshold``, and what it holds."""
    p = np.asarray(probabilities, dtype=np.float64).reshape(-1, len(LEVELS))
    rows, n = p.shape
    cumulative = np.concatenate((np.zeros((rows, 1)), np.cumsum(p, axis=1)), axis=1)
    first = np.full(rows, -1, dtype=np.intp)
    last = np.full(rows, n - 1, dtype=np.intp)
    held = cumulative[:, -1].copy()
    for size in range(1, n + 1):
        sums = cumulative[:, size:] - cumulative[:, :-size]
        best = np.argmax(sums, axis=1)  # the first of equals: the lower run
        value = sums[np.arange(rows), best]
        # The same allowance for rounding as named_levels.
        pick = (first < 0) & (value >= threshold - 1e-12)
        first[pick], last[pick], held[pick] = best[pick], best[pick] + size - 1, value[pick]
    first[first < 0] = 0
    return first, last, held


def _level_probabilities(posteriors: GroupPosteriors, cuts: Sequence[CutScores]) -> FloatArray:
    """Shape ``(groups, 4)``: each group's probability of each level, with its area's cuts."""
    below = np.zeros((len(cuts), 3))
    for column, name in enumerate(("developing", "job_ready", "strong")):
        values = np.array([getattr(cut, name) for cut in cuts])
        for value in np.unique(values):
            chosen = values == value
            below[chosen, column] = posteriors.cdf(float(value))[chosen]
    edges = np.concatenate(
        (
            np.zeros((len(cuts), 1)),
            np.maximum.accumulate(np.clip(below, 0, 1), axis=1),
            np.ones((len(cuts), 1)),
        ),
        axis=1,
    )
    return np.diff(edges, axis=1)


@dataclass(frozen=True, eq=False)
class _Groups:
    """Answers grouped by (quiz, area): the unit a posterior is computed for."""

    of_answer: IntArray  # group of each answer (-1: area not in the report)
    quiz: IntArray
    area: IntArray
    learner: IntArray
    started: FloatArray  # quiz start, seconds since the epoch


def _group_answers(data: CohortData) -> _Groups:
    area_index = {area.id: index for index, area in enumerate(data.areas)}
    item_area = np.array([area_index.get(item.area, -1) for item in data.items], dtype=np.intp)
    answer_area = item_area[data.answers.item] if data.answers.item.size else np.zeros(0, np.intp)
    n_areas = max(len(data.areas), 1)
    keys = data.answers.quiz.astype(np.int64) * n_areas + answer_area
    keys[answer_area < 0] = -1
    distinct, of_answer = np.unique(keys, return_inverse=True)
    of_answer = of_answer.reshape(-1)
    kept = distinct >= 0
    renumber = np.cumsum(kept) - 1
    of_answer = np.where(kept[of_answer], renumber[of_answer], -1) if distinct.size else of_answer
    distinct = distinct[kept]
    quiz = (distinct // n_areas).astype(np.intp)
    learners = np.array([q.learner for q in data.quizzes], dtype=np.intp)
    starts = np.array([q.started_at.timestamp() for q in data.quizzes], dtype=np.float64)
    return _Groups(
        of_answer=of_answer,
        quiz=quiz,
        area=(distinct % n_areas).astype(np.intp),
        learner=learners[quiz] if quiz.size else quiz,
        started=starts[quiz] if quiz.size else np.zeros(0),
    )


def _last_per_learner_area(groups: _Groups, chosen: BoolArray) -> dict[tuple[int, int], int]:
    """The latest chosen group of each (learner, area): latest start, then highest quiz id."""
    order = np.lexsort((groups.quiz, groups.started))
    latest: dict[tuple[int, int], int] = {}
    for group in order[chosen[order]]:
        latest[(int(groups.learner[group]), int(groups.area[group]))] = int(group)
    return latest


def _first_per_learner_area(groups: _Groups) -> dict[tuple[int, int], int]:
    order = np.lexsort((groups.quiz, groups.started))
    first: dict[tuple[int, int], int] = {}
    for group in order:
        first.setdefault((int(groups.learner[group]), int(groups.area[group])), int(group))
    return first


@dataclass(frozen=True, eq=False)
class _Results:
    """Posterior read-outs of the groups that were computed, by group number."""

    index: dict[int, int]  # group -> row
    posteriors: GroupPosteriors
    levels: FloatArray  # (rows, 4)
    p_job_ready: FloatArray
    named: tuple[IntArray, IntArray, FloatArray]  # first and last named level, and their mass


def _results(data: CohortData, groups: _Groups, wanted: Sequence[int]) -> _Results:
    """The posteriors of the wanted groups only (a row each), from their answers alone."""
    ordered = sorted(set(wanted))
    index = {group: row for row, group in enumerate(ordered)}
    row_of_group = np.full(groups.quiz.size, -1, dtype=np.intp)
    row_of_group[ordered] = np.arange(len(ordered))
    answer_rows = np.full(groups.of_answer.size, -1, dtype=np.intp)
    reported = groups.of_answer >= 0
    answer_rows[reported] = row_of_group[groups.of_answer[reported]]
    kept = answer_rows >= 0
    answers = data.answers
    means, sds = [], []
    for group in ordered:
        area = data.areas[int(groups.area[group])].id
        quiz = data.quizzes[int(groups.quiz[group])]
        mean, sd = quiz.priors.get(area, data.population.get(area, (0.0, 1.0)))
        means.append(mean)
        sds.append(sd)
    posteriors = group_posteriors(
        answers.a[kept],
        answers.b[kept],
        answers.c[kept],
        answers.correct[kept].astype(np.float64),
        answer_rows[kept],
        np.array(means, dtype=np.float64),
        np.array(sds, dtype=np.float64),
    )
    cuts = [data.areas[int(groups.area[group])].cut_scores for group in ordered]
    levels = _level_probabilities(posteriors, cuts) if ordered else np.zeros((0, 4))
    p_job_ready = 1.0 - levels[:, 0] - levels[:, 1] if ordered else np.zeros(0)
    return _Results(
        index, posteriors, levels, np.clip(p_job_ready, 0.0, 1.0), named_level_runs(levels)
    )


def _learner_area(data: CohortData, groups: _Groups, results: _Results, group: int) -> LearnerArea:
    row = results.index[group]
    se = float(results.posteriors.sd[row])
    answered = int(results.posteriors.answered[row])
    enough = answered >= MIN_AREA_ANSWERS and se <= MAX_CALLABLE_SE
    probabilities = tuple(results.levels[row].tolist())
    first, last, held = (values[row] for values in results.named)
    call = LevelCall(probabilities, LevelRange(int(first), int(last), float(held)))
    quiz = data.quizzes[int(groups.quiz[group])]
    return LearnerArea(
        area=data.areas[int(groups.area[group])].id,
        quiz_id=quiz.quiz_id,
        measured_at=quiz.started_at,
        answered=answered,
        estimate=float(results.posteriors.mean[row]),
        se=se,
        level=call.label if enough else TOO_EARLY,
        level_probability=call.named.probability,
        p_job_ready=float(results.p_job_ready[row]),
        enough_evidence=enough,
        levels=probabilities,
    )


def _area_summary(
    area: AreaInfo, results: Sequence[LearnerArea], levels: FloatArray
) -> AreaSummary:
    estimates = np.array([r.estimate for r in results], dtype=np.float64)
    return AreaSummary(
        area=area.id,
        title=area.title,
        cut_scores=area.cut_scores,
        measured=len(results),
        too_early=sum(1 for r in results if not r.enough_evidence),
        mean_estimate=float(estimates.mean()) if results else None,
        histogram=histogram(estimates),
        levels=tuple(share_of(levels[:, k]) for k in range(len(LEVELS))),
        job_ready=share_of(np.array([r.p_job_ready for r in results])),
    )


def _progress(area: AreaInfo, results: _Results, pairs: Sequence[tuple[int, int]]) -> AreaProgress:
    """Mean change from each pair's earlier group to its later one (groups as numbered)."""
    if not pairs:
        return AreaProgress(area.id, area.title, 0, None, None, None, None)
    before = np.array([results.index[earlier] for earlier, _ in pairs])
    after = np.array([results.index[later] for _, later in pairs])
    mean, sd, p_job_ready = results.posteriors.mean, results.posteriors.sd, results.p_job_ready
    k = len(pairs)
    return AreaProgress(
        area=area.id,
        title=area.title,
        learners=k,
        mean_change=float((mean[after] - mean[before]).mean()),
        se_change=float(np.sqrt((sd[before] ** 2 + sd[after] ** 2).sum()) / k),
        job_ready_before=float(p_job_ready[before].mean()),
        job_ready_after=float(p_job_ready[after].mean()),
    )


def _topics(data: CohortData, groups: _Groups, in_window: BoolArray) -> tuple[CohortTopic, ...]:
    """The pooled topic model over the window's answers in the reported areas."""
    catalogue: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
        (area.id, topic.id): (topic.title, topic.study)
        for area in data.areas
        for topic in area.topics
    }
    reported = {area.id for area in data.areas}
    for item in data.items:
        if item.area in reported:
            catalogue.setdefault((item.area, item.topic), (item.topic, ()))
    codes = {key: code for code, key in enumerate(catalogue)}
    answers = data.answers
    chosen = np.flatnonzero(in_window & (groups.of_answer >= 0))
    if chosen.size == 0:
        return ()
    item_topic = np.array(
        [codes.get((item.area, item.topic), -1) for item in data.items], dtype=np.intp
    )
    session = groups.of_answer[chosen]
    priors = [data.population.get(data.areas[int(area)].id, (0.0, 1.0)) for area in groups.area]
    effects = pooled_topic_effects(
        TopicAnswers(
            a=answers.a[chosen],
            b=answers.b[chosen],
            c=answers.c[chosen],
            correct=answers.correct[chosen].astype(np.float64),
            topic=item_topic[answers.item[chosen]],
            session=session,
            prior_mean=np.array([p[0] for p in priors], dtype=np.float64),
            prior_sd=np.array([p[1] for p in priors], dtype=np.float64),
        ),
        len(codes),
        theta_grid=COHORT_GRID,
    )
    learners_per_topic: dict[int, set[int]] = {}
    topic_of_chosen = item_topic[answers.item[chosen]]
    learner_of_chosen = groups.learner[session]
    for code, learner in set(
        zip(topic_of_chosen.tolist(), learner_of_chosen.tolist(), strict=True)
    ):
        learners_per_topic.setdefault(code, set()).add(learner)
    found = []
    for (area, topic), code in codes.items():
        if effects.answered[code] == 0:
            continue
        title, study = catalogue[(area, topic)]
        found.append(
            CohortTopic(
                area=area,
                topic=topic,
                title=title,
                answered=int(effects.answered[code]),
                correct=int(effects.correct[code]),
                expected=float(effects.expected[code]),
                effect=float(effects.effect_mean[code]),
                effect_sd=float(effects.effect_sd[code]),
                probability_weak=float(effects.probability_below[code]),
                p_value=float(effects.p_value[code]),
                weak=bool(effects.weak[code]),
                learners=len(learners_per_topic.get(code, ())),
                study=study,
            )
        )
    return tuple(found)


def _most_missed_items(
    data: CohortData, groups: _Groups, in_window: BoolArray, count: int
) -> list[int]:
    answers = data.answers
    chosen = in_window & (groups.of_answer >= 0)
    if not chosen.any():
        return []
    n_items = len(data.items)
    asked = np.bincount(answers.item[chosen], minlength=n_items)
    missed = np.bincount(answers.item[chosen & ~answers.correct], minlength=n_items)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(asked > 0, missed / np.maximum(asked, 1), 0.0)
    ids = [item.item_id for item in data.items]
    order = sorted(np.flatnonzero(missed > 0), key=lambda i: (-missed[i], -rate[i], ids[i]))
    return [int(i) for i in order[:count]]


def _expected_misses(
    data: CohortData, groups: _Groups, results: _Results, answer_indices: IntArray
) -> FloatArray:
    """Each answer's chance of a miss, from its quiz's other answers in the area (leave one out)."""
    answers = data.answers
    rows = np.array([results.index[int(groups.of_answer[i])] for i in answer_indices], np.intp)
    grid = results.posteriors.grid
    own = answer_log_likelihoods(
        grid,
        answers.a[answer_indices],
        answers.b[answer_indices],
        answers.c[answer_indices],
        answers.correct[answer_indices].astype(np.float64),
    )
    log_rest = results.posteriors.log_density[rows] - own
    masses = np.exp(log_rest - log_rest.max(axis=1, keepdims=True))
    masses *= trapezoid_weights(grid)[None, :]
    masses /= masses.sum(axis=1, keepdims=True)
    log_correct, _ = log_probabilities(
        grid[None, :],
        answers.a[answer_indices][:, None],
        answers.b[answer_indices][:, None],
        answers.c[answer_indices][:, None],
    )
    result: FloatArray = 1.0 - (masses * np.exp(log_correct)).sum(axis=1)
    return result


def _learner_rows(
    data: CohortData,
    latest: Mapping[tuple[int, int], int],
    by_group: Mapping[int, LearnerArea],
    in_window: BoolArray,
) -> list[LearnerRow]:
    """One row per member: quizzes and answers in the window, last activity, latest results."""
    answers_per_quiz = np.bincount(data.answers.quiz, minlength=len(data.quizzes))
    results_of: dict[int, dict[str, LearnerArea]] = {}
    for (learner, area_index), group in sorted(latest.items()):
        results_of.setdefault(learner, {})[data.areas[area_index].id] = by_group[group]
    quizzes_of: dict[int, list[int]] = {}
    for position, quiz in enumerate(data.quizzes):
        quizzes_of.setdefault(quiz.learner, []).append(position)
    rows = []
    for index, name in enumerate(data.learners):
        own = quizzes_of.get(index, [])
        recent = [k for k in own if in_window[k]]
        rows.append(
            LearnerRow(
                name=name,
                quizzes=len(recent),
                answered=int(answers_per_quiz[recent].sum()),
                last_active=max((data.quizzes[k].started_at for k in own), default=None),
                areas=results_of.get(index, {}),
            )
        )
    rows.sort(key=lambda row: (row.name.casefold(), row.name))
    return rows


def _missed_items(
    data: CohortData,
    groups: _Groups,
    results: _Results,
    top_items: Sequence[int],
    top_answers: IntArray,
    calibration: Mapping[str, CalibrationNote],
) -> list[MissedItem]:
    if not top_items:
        return []
    expected = _expected_misses(data, groups, results, top_answers)
    items_answered = data.answers.item[top_answers]
    correct = data.answers.correct[top_answers]
    learner_of = groups.learner[groups.of_answer[top_answers]]
    missed_items = []
    for item in top_items:
        mine = items_answered == item
        record = data.items[item]
        missed_items.append(
            MissedItem(
                item_id=record.item_id,
                area=record.area,
                topic=record.topic,
                asked=int(mine.sum()),
                missed=int((~correct[mine]).sum()),
                expected_missed=float(expected[mine].sum()),
                learners=len(set(learner_of[mine].tolist())),
                calibration=calibration.get(record.item_id),
            )
        )
    return missed_items


def build_cohort_report(
    data: CohortData,
    window: Window,
    *,
    calibration: Mapping[str, CalibrationNote] | None = None,
    most_missed: int = MOST_MISSED,
) -> CohortReport:
    """The cohort report for ``window``.

    ``data`` holds every quiz of the members started up to ``window.until``
    (earlier ones too: a learner's latest result may predate the window, and
    progress starts from the result at its start).
    """
    groups = _group_answers(data)
    since = window.since.timestamp() if window.since is not None else -np.inf
    quiz_starts = np.array([q.started_at.timestamp() for q in data.quizzes], dtype=np.float64)
    quiz_in_window = quiz_starts >= since
    answer_in_window = quiz_in_window[data.answers.quiz]
    latest = _last_per_learner_area(groups, np.ones(groups.quiz.size, dtype=bool))
    if window.since is not None:
        before = _last_per_learner_area(groups, groups.started < since)
    else:
        before = _first_per_learner_area(groups)
    top_items = _most_missed_items(data, groups, answer_in_window, most_missed)
    top_answers = np.flatnonzero(
        answer_in_window & (groups.of_answer >= 0) & np.isin(data.answers.item, top_items)
    )
    wanted = [*latest.values(), *before.values(), *groups.of_answer[top_answers].tolist()]
    results = _results(data, groups, wanted)
    by_group = {group: _learner_area(data, groups, results, group) for group in latest.values()}
    learners = _learner_rows(data, latest, by_group, quiz_in_window)

    areas, progress = [], []
    for position, area in enumerate(data.areas):
        keys = [key for key in latest if key[1] == position]
        level_rows = np.array([results.levels[results.index[latest[key]]] for key in keys])
        areas.append(
            _area_summary(
                area, [by_group[latest[key]] for key in keys], level_rows.reshape(-1, len(LEVELS))
            )
        )
        pairs = [
            (before[key], latest[key])
            for key in keys
            if key in before and before[key] != latest[key]
        ]
        progress.append(_progress(area, results, pairs))

    return CohortReport(
        cohort=data.name,
        window=window,
        members=len(data.learners),
        active=sum(1 for row in learners if row.quizzes),
        learners=tuple(learners),
        areas=tuple(areas),
        topics=_topics(data, groups, answer_in_window),
        progress=tuple(progress),
        progress_from_first=window.since is None,
        items=tuple(
            _missed_items(data, groups, results, top_items, top_answers, calibration or {})
        ),
        answers=int(answer_in_window.sum()),
    )
