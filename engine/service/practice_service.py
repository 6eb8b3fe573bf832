"""The practice service: spaced-repetition practice sessions, their status and history.

A practice session (issue #15) asks the learner's due reviews first (FSRS cards
made when a question was missed, in a quiz or in practice), then new questions
from the weakest topics at a desirable difficulty, and always explains each
answer. It is not a quiz: its answers go to their own table and never change a
readiness estimate (docs/engine.md, "Practice sessions").

Every answer is committed, with its card's review, before the feedback is
returned. The session in memory is a cache: a new process rebuilds it from
the stored settings, answers and cards and carries on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.bank.model import ItemSpec
from engine.clock import Clock, utc
from engine.db import practice_store, quiz_store
from engine.db.practice_store import PRACTICE_SOURCE, StoredPracticeAnswer, StoredPracticeSession
from engine.practice.model import (
    MAX_COUNT,
    MAX_TARGET_SUCCESS,
    MIN_TARGET_SUCCESS,
    RECENT_DAYS,
    AnkiExport,
    PracticeQuestion,
    PracticeReceipt,
    PracticeRecord,
    PracticeRequest,
    PracticeStatus,
    PracticeSummary,
    TopicDue,
    TopicRef,
    TopicTally,
)
from engine.practice.scheduling import (
    DUE_WINDOW_DAYS,
    CardState,
    Outcome,
    apply_outcomes,
    day_end,
    is_due,
)
from engine.practice.selection import PracticePool, item_times, next_practice_item
from engine.practice.topics import TargetTopics, request_problem, target_topics
from engine.quiz.codecs import encode_answer
from engine.quiz.marking import feedback, is_correct
from engine.quiz.model import Answer
from engine.report.weak_topics import TopicFinding
from engine.service import history
from engine.service.askable_bank import AskableBank
from engine.service.converters import item_spec
from engine.service.errors import QuizError
from engine.service.quiz_service import QuizService

__all__ = ["PracticeService"]


@dataclass
class _LivePractice:
    """A practice session in memory: the pool it chooses from and where it has got to."""

    stored: StoredPracticeSession
    learner_id: int
    count: int
    target: float
    topics: tuple[TopicRef, ...]
    reason: str
    pool: PracticePool
    asked: np.ndarray
    new_per_topic: np.ndarray
    answered: int = 0
    correct: int = 0
    pending: tuple[PracticeQuestion, ItemSpec] | None = None
    finished: bool = False


class PracticeService:
    def __init__(
        self,
        quizzes: QuizService,
        *,
        seed_source: Callable[[], int] | None = None,
    ) -> None:
        self._quizzes = quizzes
        self._database = quizzes.database
        self._clock: Clock = quizzes.clock
        self._new_seed = seed_source or (lambda: random.SystemRandom().randrange(2**31))
        self._live: dict[int, _LivePractice] = {}

    @property
    def quizzes(self) -> QuizService:
        """The quiz service this one shares its bank, clock and database with."""
        return self._quizzes

    def _now(self) -> dt.datetime:
        """Now, in the learner's time zone (days start and end there)."""
        return self._clock.now()

    def _bank(self) -> AskableBank:
        return self._quizzes.askable_bank()

    # -- starting ------------------------------------------------------------------

    def start(self, request: PracticeRequest) -> PracticeSummary:
        """A new practice session; one left part-way is closed (its answers stay)."""
        bank = self._bank()
        problem = request_problem(bank.areas, request.topics, request.areas)
        if problem is not None:
            raise QuizError(problem)
        if not 1 <= request.count <= MAX_COUNT:
            raise QuizError(f"the number of questions must be between 1 and {MAX_COUNT}")
        if not MIN_TARGET_SUCCESS <= request.target_success <= MAX_TARGET_SUCCESS:
            raise QuizError(
                f"the target chance of success must be between {MIN_TARGET_SUCCESS} and "
                f"{MAX_TARGET_SUCCESS}"
            )
        learner = request.learner.strip()
        if not learner:
            raise QuizError("the learner name is empty")
        targets, quiz_id = self._target_topics(learner, request)
        seed = request.seed if request.seed is not None else self._new_seed()
        now = self._now()
        with self._database.unit_of_work() as session:
            learner_id = quiz_store.learner_id(session, learner, create=True)
            assert learner_id is not None
            self._apply_quiz_answers(session, learner_id)
            practice_store.close_active_sessions(session, learner_id, utc(now))
            areas = [area.id for area in bank.areas]
            estimates = history.latest_area_estimates(session, learner_id, areas)
            settings: dict[str, Any] = {
                "count": request.count,
                "target_success": request.target_success,
                "recent_days": RECENT_DAYS,
                "asked_topics": list(request.topics),
                "asked_areas": list(request.areas),
                "topics": [[t.area, t.topic] for t in targets.topics],
                "topics_reason": targets.reason,
                "report_quiz": quiz_id,
                # The abilities predictions use: the latest quiz estimates (0, the
                # population mean, where there is none), fixed for the session.
                "theta": {area: estimates[area].estimate for area in estimates},
            }
            session_id = practice_store.create_session(
                session, learner_id, settings, seed, utc(now)
            )
        return self.summary(session_id)

    def _target_topics(
        self, learner: str, request: PracticeRequest
    ) -> tuple[TargetTopics, int | None]:
        """The topics new questions come from, from the latest report unless asked for."""
        focus: Sequence[TopicFinding] = ()
        findings: Sequence[TopicFinding] = ()
        quiz_id: int | None = None
        if not request.topics:
            finished = [
                q
                for q in self._quizzes.quizzes(learner)
                if q.status == quiz_store.FINISHED and q.answered
            ]
            if finished:
                quiz_id = finished[-1].session_id
                report = self._quizzes.report(quiz_id)
                focus, findings = report.focus, report.topics
        targets = target_topics(
            self._bank().areas,
            topics=request.topics,
            area_ids=request.areas,
            focus=focus,
            findings=findings,
            quiz_id=quiz_id,
        )
        return targets, quiz_id

    def _apply_quiz_answers(self, session: Session, learner_id: int) -> None:
        """Bring the learner's cards up to date with quiz answers (a miss makes a card)."""
        outcomes = practice_store.unapplied_quiz_outcomes(session, learner_id)
        if outcomes:
            cards = {k: c.card for k, c in practice_store.cards_of(session, learner_id).items()}
            reviews = apply_outcomes(cards, outcomes)
            practice_store.save_reviews(session, learner_id, reviews, utc(self._now()))

    # -- asking and answering --------------------------------------------------------

    def next_question(self, session_id: int) -> PracticeQuestion | None:
        """The question to show now (the same one until answered); None when the session ends."""
        live = self._live_session(session_id)
        if live.finished:
            return None
        if live.pending is not None:
            return live.pending[0]
        if live.answered >= live.count:
            self.finish(session_id)
            return None
        bank = self._bank()
        number = live.answered + 1
        rng = np.random.default_rng([live.stored.seed, number])
        now = self._now()
        choice = next_practice_item(
            live.pool,
            asked=live.asked,
            new_per_topic=live.new_per_topic,
            now=now.timestamp(),
            day_end=day_end(now).timestamp(),
            rng=rng,
            target=live.target,
            recent_days=float(live.stored.settings.get("recent_days", RECENT_DAYS)),
        )
        if choice is None:
            self.finish(session_id)
            return None
        question, spec = bank.present(choice.item, rng, session_id=session_id, number=number)
        shown = PracticeQuestion(
            question,
            choice.kind,
            choice.predicted if choice.kind == "new" else None,
            number,
            live.count,
        )
        live.pending = (shown, spec)
        return shown

    def submit(
        self, shown: PracticeQuestion, answer: Answer, response_time_ms: int
    ) -> PracticeReceipt:
        """Grade and store the answer and its card's review (committed), then give feedback."""
        question = shown.question
        live = self._live_session(question.session_id)
        if live.finished:
            raise QuizError("this practice session is already finished")
        if live.pending is None or live.pending[0] != shown:
            raise QuizError("that question is not the one being asked; ask for the next question")
        spec = live.pending[1]
        correct = is_correct(spec, answer)
        now = utc(self._now())
        option_order = question.option_order if spec.type in ("single", "multiple") else None
        try:
            with self._database.unit_of_work() as session:
                answer_id = practice_store.add_answer(
                    session,
                    session_id=question.session_id,
                    number=question.number,
                    kind=shown.kind,
                    predicted=shown.predicted,
                    version_id=question.version_id,
                    parameter_set_id=question.parameter_set_id,
                    option_order=option_order,
                    raw_answer=encode_answer(answer),
                    correct=correct,
                    skipped=answer.skipped,
                    response_time_ms=max(0, int(response_time_ms)),
                    answered_at=now,
                )
                outcome = Outcome(
                    spec.id,
                    correct,
                    now,
                    max(0, int(response_time_ms)),
                    (PRACTICE_SOURCE, answer_id),
                )
                card = practice_store.card_state(session, live.learner_id, spec.id)
                reviews = apply_outcomes({spec.id: card} if card else {}, [outcome])
                practice_store.save_reviews(session, live.learner_id, reviews, now)
        except IntegrityError as error:
            self._live.pop(question.session_id, None)
            raise QuizError(
                "this question was already answered (is the session open somewhere else?)"
            ) from error
        position = self._bank().index[spec.id]
        live.asked[position] = True
        if shown.kind == "new":
            live.new_per_topic[live.pool.topic[position]] += 1
        live.answered += 1
        live.correct += correct
        live.pending = None
        return PracticeReceipt(
            answer_id=answer_id,
            feedback=feedback(spec, answer, correct),
            next_due=reviews[-1].card.due if reviews else card.due if card else None,
            answered=live.answered,
            correct=live.correct,
            count=live.count,
        )

    def finish(self, session_id: int) -> None:
        with self._database.unit_of_work() as session:
            practice_store.finish_session(session, session_id, utc(self._now()))
        live = self._live.get(session_id)
        if live is not None:
            live.finished = True
            live.pending = None

    def _live_session(self, session_id: int) -> _LivePractice:
        live = self._live.get(session_id)
        if live is None:
            live = self._load(session_id)
            self._live[session_id] = live
        return live

    def _load(self, session_id: int) -> _LivePractice:
        bank = self._bank()
        with self._database.reader() as session:
            stored = practice_store.practice_session(session, session_id)
            if stored is None:
                raise QuizError(f"no practice session with id {session_id}")
            answers = practice_store.answers_by_session(session, [session_id]).get(session_id, [])
            due = practice_store.card_due_times(session, stored.learner_id)
            seen = practice_store.last_seen(session, stored.learner_id)
        settings = stored.settings
        topics = tuple(
            TopicRef(area, topic, bank.topic_title(area, topic))
            for area, topic in settings.get("topics", [])
        )
        pool = _pool(bank, settings, topics, due, seen)
        asked = np.zeros(pool.size, dtype=bool)
        new_per_topic = np.zeros(len(bank.bank.topic_labels), dtype=np.intp)
        for answer in answers:
            position = bank.index.get(answer.item_id)
            if position is not None:
                asked[position] = True
                if answer.kind == "new":
                    new_per_topic[pool.topic[position]] += 1
        return _LivePractice(
            stored=stored,
            learner_id=stored.learner_id,
            count=int(settings.get("count", len(answers))),
            target=float(settings.get("target_success", 0.7)),
            topics=topics,
            reason=str(settings.get("topics_reason", "")),
            pool=pool,
            asked=asked,
            new_per_topic=new_per_topic,
            answered=len(answers),
            correct=sum(a.correct for a in answers),
            finished=stored.status == quiz_store.FINISHED,
        )

    # -- what the shells show ----------------------------------------------------------

    def summary(self, session_id: int) -> PracticeSummary:
        with self._database.reader() as session:
            stored = practice_store.practice_session(session, session_id)
            if stored is None:
                raise QuizError(f"no practice session with id {session_id}")
            answers = practice_store.answers_by_session(session, [session_id]).get(session_id, [])
            learner = quiz_store.learner_name(session, stored.learner_id)
        return self._summary(stored, learner, answers)

    def _summary(
        self, stored: StoredPracticeSession, learner: str, answers: Sequence[StoredPracticeAnswer]
    ) -> PracticeSummary:
        bank = self._bank()
        settings = stored.settings
        return PracticeSummary(
            session_id=stored.id,
            learner=learner,
            status=stored.status,
            started_at=stored.started_at,
            finished_at=stored.finished_at,
            count=int(settings.get("count", 0)),
            target_success=float(settings.get("target_success", 0.7)),
            topics=tuple(
                TopicRef(area, topic, bank.topic_title(area, topic))
                for area, topic in settings.get("topics", [])
            ),
            topics_reason=str(settings.get("topics_reason", "")),
            answered=len(answers),
            correct=sum(a.correct for a in answers),
        )

    def status(self, learner: str) -> PracticeStatus:
        """Cards due now (today) and within 7 days, per topic; nothing is written."""
        bank = self._bank()
        now = self._now()
        with self._database.reader() as session:
            learner_id = quiz_store.learner_id(session, learner, create=False)
            cards: dict[str, CardState] = {}
            if learner_id is not None:
                cards = {k: c.card for k, c in practice_store.cards_of(session, learner_id).items()}
                pending = practice_store.unapplied_quiz_outcomes(session, learner_id)
                for review in apply_outcomes(cards, pending):
                    cards[review.outcome.item_id] = review.card
        askable = {item.id: item for item in bank.items if not item.retired}
        per_topic: dict[tuple[str, str], list[int]] = {}
        due_now = due_week = 0
        for item_id, card in cards.items():
            item = askable.get(item_id)
            if item is None:
                continue
            now_due = is_due(card.due, now)
            week_due = is_due(card.due, now, within_days=DUE_WINDOW_DAYS)
            counts = per_topic.setdefault((item.area, item.topic), [0, 0, 0])
            counts[0] += 1
            counts[1] += now_due
            counts[2] += week_due
            due_now += now_due
            due_week += week_due
        topics = tuple(
            TopicDue(area, topic, bank.topic_title(area, topic), *counts)
            for (area, topic), counts in sorted(per_topic.items())
        )
        future = [c.due for k, c in cards.items() if k in askable]
        return PracticeStatus(
            learner=learner,
            now=now,
            due_now=due_now,
            due_7d=due_week,
            cards=sum(t.cards for t in topics),
            next_due=min(future) if future else None,
            topics=topics,
        )

    def sessions(self, learner: str) -> list[PracticeRecord]:
        """The learner's practice sessions with answers, oldest first, with per-topic accuracy."""
        bank = self._bank()
        with self._database.reader() as session:
            learner_id = quiz_store.learner_id(session, learner, create=False)
            if learner_id is None:
                return []
            stored = practice_store.sessions_of(session, learner_id)
            answers = practice_store.answers_by_session(session, [s.id for s in stored])
        records = []
        for past in stored:
            given = answers.get(past.id, [])
            if not given:
                continue
            tallies: dict[tuple[str, str], Counter[str]] = {}
            for answer in given:
                tally = tallies.setdefault((answer.area, answer.topic), Counter())
                tally["answered"] += 1
                tally["correct"] += answer.correct
            records.append(
                PracticeRecord(
                    session_id=past.id,
                    started_at=past.started_at,
                    answered=len(given),
                    correct=sum(a.correct for a in given),
                    reviews=sum(a.kind == "review" for a in given),
                    topics=tuple(
                        TopicTally(
                            area,
                            topic,
                            bank.topic_title(area, topic),
                            tally["answered"],
                            tally["correct"],
                        )
                        for (area, topic), tally in sorted(tallies.items())
                    ),
                )
            )
        return records

    def missed_items(self, learner: str) -> list[str]:
        """Items the learner has missed (those with a card), quiz answers included."""
        with self._database.reader() as session:
            learner_id = quiz_store.learner_id(session, learner, create=False)
            if learner_id is None:
                return []
            cards = {k: c.card for k, c in practice_store.cards_of(session, learner_id).items()}
            pending = practice_store.unapplied_quiz_outcomes(session, learner_id)
        missed = set(cards) | {review.outcome.item_id for review in apply_outcomes(cards, pending)}
        return sorted(missed)

    # -- Anki --------------------------------------------------------------------------

    def export_anki(
        self,
        path: Path,
        *,
        learner: str,
        topics: Sequence[str] = (),
    ) -> AnkiExport:
        """Write an Anki deck: the learner's missed questions, or every question of `topics`."""
        from engine.service.anki_export import write_deck

        bank = self._bank()
        problem = request_problem(bank.areas, topics, ())
        if problem is not None:
            raise QuizError(problem)
        if topics:
            wanted = set(topics)
            chosen = [item_spec(i) for i in bank.items if not i.retired and i.topic in wanted]
            deck = "skillprobe::" + ", ".join(
                t.title for a in bank.areas for t in a.topics if t.id in wanted
            )
        else:
            if learner not in self._quizzes.learners():
                known = ", ".join(self._quizzes.learners()) or "none yet"
                raise QuizError(f"unknown learner '{learner}' (learners: {known})")
            missed = set(self.missed_items(learner))
            chosen = [item_spec(i) for i in bank.items if i.id in missed]
            deck = "skillprobe::missed questions of " + learner.replace("::", ":")
        if not chosen:
            raise QuizError(
                f"{learner} has not missed any question yet: nothing to export"
                if not topics
                else "no questions in those topics"
            )
        return write_deck(path, deck, chosen, bank)


def _pool(
    bank: AskableBank,
    settings: dict[str, Any],
    topics: Sequence[TopicRef],
    due: dict[str, dt.datetime],
    seen: dict[str, dt.datetime],
) -> PracticePool:
    """The bank as one session sees it (see `engine.practice.selection.PracticePool`)."""
    arrays = bank.bank
    in_scope = bank.eligible.copy()
    asked_topics = set(settings.get("asked_topics", []))
    asked_areas = set(settings.get("asked_areas", []))
    if asked_topics:
        in_scope &= np.array([item.topic in asked_topics for item in bank.items], dtype=bool)
    elif asked_areas:
        in_scope &= np.array([item.area in asked_areas for item in bank.items], dtype=bool)
    focus_rank = np.full(len(arrays.topic_labels), -1, dtype=np.intp)
    codes = {label: code for code, label in enumerate(arrays.topic_labels)}
    for rank, ref in enumerate(topics):
        code = codes.get((ref.area, ref.topic))
        if code is not None:
            focus_rank[code] = rank
    thetas = settings.get("theta", {})
    theta = np.array([float(thetas.get(area, 0.0)) for area in arrays.area_labels])
    due_at = item_times(
        bank.index, len(bank.items), {k: when.timestamp() for k, when in due.items()}, np.inf
    )
    last_seen = item_times(
        bank.index, len(bank.items), {k: m.timestamp() for k, m in seen.items()}, -np.inf
    )
    return PracticePool(
        a=arrays.a,
        b=arrays.b,
        c=arrays.c,
        area=arrays.area,
        topic=arrays.topic,
        in_scope=in_scope,
        focus_rank=focus_rank,
        theta=theta,
        has_card=np.isfinite(due_at),
        due_at=due_at,
        last_seen=last_seen,
    )
