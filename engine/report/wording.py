"""The report's sentences: what the numbers mean, said without claiming more than they hold.

Rules every sentence here follows:

* probabilities are "model-based" and never read more than 99% or less than
  1% (`engine.irt.levels.probability_words`);
* no level or readiness verdict before a minimum of evidence in the area
  (`MIN_AREA_ANSWERS` answers and a posterior SD of at most `MAX_CALLABLE_SE`);
* nothing is called weak unless the topic model called it weak.
"""

from __future__ import annotations

import math

from engine.irt.levels import probability_words
from engine.irt.population import PopulationPrior
from engine.irt.posterior import CarryOver

#: No level or readiness verdict for an area with fewer answers than this in
#: the quiz, or a posterior SD above MAX_CALLABLE_SE. Four well-targeted
#: four-option items (information about 0.155 each) take the SD from the
#: prior's 1 to about 0.79: the point where the answers carry a third of the
#: precision. Below that the named run of levels is mostly the prior's
#: (three of the four levels under N(0, 1)); see docs/engine.md.
MIN_AREA_ANSWERS = 4
MAX_CALLABLE_SE = 0.8
#: Between BORDERLINE and 1 - BORDERLINE the evidence leans too little to call readiness.
BORDERLINE = 0.35
#: What the report says instead of a level when there is too little evidence.
TOO_EARLY = "Too early to call"
MODEL_BASED = "model-based"


def readiness_verdict(
    *, enough_evidence: bool, answered: int, se: float, p_job_ready: float
) -> str:
    """One line on readiness: the chance of being job-ready, or why there is no verdict."""
    if not enough_evidence:
        return (
            f"{TOO_EARLY}: {answered} answer{'s' if answered != 1 else ''}, SE {se:.2f} "
            f"(a verdict needs {MIN_AREA_ANSWERS} answers and SE {MAX_CALLABLE_SE:.1f} or less); "
            "take a longer quiz in this area"
        )
    if p_job_ready >= 1 - BORDERLINE:
        return f"Job-ready: {probability_words(p_job_ready)} chance ({MODEL_BASED})"
    if p_job_ready <= BORDERLINE:
        return f"Not yet job-ready: {probability_words(1 - p_job_ready)} chance ({MODEL_BASED})"
    return (
        f"Borderline: {probability_words(p_job_ready)} chance of being job-ready "
        f"({MODEL_BASED}); more questions would settle it"
    )


def level_words(label: str, probability: float, enough_evidence: bool) -> str:
    """ "Developing or Job-ready (87%)", or the too-early label alone."""
    if not enough_evidence:
        return TOO_EARLY
    return f"{label} ({probability_words(probability, compact=True)})"


def _share_words(share: float) -> str:
    if math.isnan(share):
        return "an unknown share"
    rounded = 5 * round(share * 20)
    if rounded >= 100:
        return "nearly all"
    if rounded <= 0:
        return "almost none"
    return f"about {rounded}%"


def _days_words(days: float) -> str:
    if days < 1.0:
        return "loosened a little for a retake on the same day"
    whole = round(days)
    return f"loosened for the {whole} day{'s' if whole != 1 else ''} since"


def starting_point(carry_over: CarryOver | None, share: float, from_previous: bool) -> str:
    """Where the area's result started and how much of it comes from this quiz's answers."""
    from_answers = f"{_share_words(share)} of today's result comes from today's answers"
    if not from_previous:
        return f"Starts from the population prior; {from_answers}."
    if carry_over is None or not math.isfinite(carry_over.previous_mean):
        return f"Starts from your last result, loosened for the time since; {from_answers}."
    growth = ""
    if abs(carry_over.growth) >= 0.005:
        growth = f" and moved {carry_over.growth:+.2f} for the average growth of returning learners"
    return (
        f"Starts from your last result ({carry_over.previous_mean:+.2f}), "
        f"{_days_words(carry_over.days)}{growth}; {from_answers}."
    )


def population_sentence(prior: PopulationPrior | None) -> str:
    """How the prior behind the probabilities was set."""
    if prior is None or prior.learners == 0 or prior.weight == 0.0:
        return "the default population prior N(0, 1)"
    return (
        f"a population prior N({prior.mean:+.2f}, {prior.sd:.2f}^2) fitted to "
        f"{prior.learners} learners' results"
    )


def model_note(priors: list[tuple[str, PopulationPrior | None]]) -> str:
    """The paragraph that says what every probability in the report assumes."""
    distinct = {population_sentence(prior) for _, prior in priors}
    if len(distinct) <= 1:
        basis = next(iter(distinct), population_sentence(None))
    else:
        basis = "; ".join(f"{title}: {population_sentence(prior)}" for title, prior in priors)
    return (
        f"All probabilities are {MODEL_BASED}: they assume the questions behave as their "
        "parameters say and that you resemble the learners the prior describes "
        f"({basis}). They are never shown above 99% or below 1%."
    )


def weak_topic_sentence(
    title: str,
    area_title: str,
    correct: int,
    answered: int,
    expected: float,
    quizzes: int,
    probability_weak: float,
) -> str:
    """One weak topic, with the evidence behind the call."""
    over = f" over {quizzes} quizzes" if quizzes > 1 else ""
    return (
        f"{title} ({area_title}): {correct} of {answered} right{over}, about {expected:.1f} "
        f"expected at your {area_title} level; {MODEL_BASED} chance it is at least half a "
        f"logit below that level: {probability_words(probability_weak)}"
    )


def no_weak_topic_sentence(answers_per_topic: float, quizzes: int, fdr: float) -> str:
    """Why no topic is called weak, and that this is not a verdict that none is."""
    over = f"{quizzes} quizzes" if quizzes > 1 else "this quiz"
    return (
        "No topic stands out as weak. With about "
        f"{answers_per_topic:.1f} answers per topic over {over}, the evidence does not single "
        "out any topic from your level in its area (a topic is called weak only at a "
        f"{fdr:.0%} false discovery rate across all topics). More quizzes and practice "
        "in an area sharpen this."
    )


def questions_words(count: int) -> str:
    return f"{count} question{'s' if count != 1 else ''}"


def time_limit_sentence(limit: str, answered: int, ran_out: bool, finished: bool = True) -> str:
    """What a timed quiz's report says about the clock (`limit` in words, e.g. "30 min")."""
    questions = questions_words(answered)
    if not finished:
        return f"Timed quiz (time limit {limit}), not finished: {questions} answered so far."
    if ran_out:
        return (
            f"Time ran out after {questions} (time limit {limit}). Questions not reached "
            "are not held against you: the estimates use the answers you gave."
        )
    return f"Timed quiz: {questions} answered within the time limit of {limit}."


def practice_sentence(sessions: int, answered: int, correct: int) -> str:
    """Practice sessions since the quiz, and why they are not in the estimates."""
    apart = (
        "Practice answers are kept apart and never change these estimates: practice repeats "
        "questions and explains them, so readiness comes from quiz answers only (first "
        "exposure)."
    )
    if not answered:
        return (
            "Practice sessions (`skillprobe practice`) bring back the questions you missed "
            f"and add questions from your weakest topics. {apart}"
        )
    return (
        f"Since this quiz: {answered} practice answer{'s' if answered != 1 else ''} in "
        f"{sessions} session{'s' if sessions != 1 else ''}, {correct} right. {apart}"
    )
