"""How long a practice session takes to choose its next question: 5,000 items, 2,000 cards.

Run: `.venv/bin/python benchmarks/bench_practice.py [--repeat R]` (or `make bench`).

Target (issue #15): choosing the next practice question with 5,000 items and
2,000 stored cards for the learner stays under 20 ms. Measured three ways:

* **choose**: the pure step (`engine.practice.selection.next_practice_item`) on
  the session's pool, once with reviews due (the most overdue first) and once
  with none due (new questions nearest the target chance of success);
* **load + choose**: the arrays built from 2,000 cards and 3,000 "last seen"
  times first, as when a session is opened;
* **service**: `PracticeService.next_question` on a SQLite database holding a
  generated 5,000-item bank and 2,000 cards: the first question of a session
  (the cards and answer history read from the database) and a later one.

Reference in the same run: catsim's `UrrySelector` (the established
"difficulty nearest the ability" selector) choosing from the same 5,000 items;
the ratio column is catsim's time over ours. catsim is optional (the bench
extra). Times are the best of `--repeat` rounds (the machine is shared).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_import import generated_bank  # noqa: E402

from engine.irt import ItemBank  # noqa: E402
from engine.practice.scheduling import CardState, Outcome, Review  # noqa: E402
from engine.practice.selection import PracticePool, item_times, next_practice_item  # noqa: E402

ITEMS = 5_000
CARDS = 2_000
SEEN = 3_000
TARGET_MS = 20.0
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
DAY = 86_400.0


def best_ms(step: Callable[[], object], repeat: int, number: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(number):
            step()
        best = min(best, (time.perf_counter() - started) / number)
    return best * 1000


def synthetic_bank(rng: np.random.Generator) -> ItemBank:
    """5,000 3PL items in 4 areas of 8 topics (a ~ logN(log 1.2, 0.25), b ~ U(-3, 3))."""
    areas = [f"area-{i % 4}" for i in range(ITEMS)]
    topics = [f"topic-{(i // 4) % 8}" for i in range(ITEMS)]
    return ItemBank.from_arrays(
        np.exp(rng.normal(np.log(1.2), 0.25, ITEMS)),
        rng.uniform(-3, 3, ITEMS),
        rng.uniform(0.05, 0.25, ITEMS),
        areas=areas,
        topics=topics,
        ids=[f"item-{i}" for i in range(ITEMS)],
    )


def card_times(bank: ItemBank, rng: np.random.Generator, due_now: bool) -> dict[str, float]:
    """2,000 cards' due times: about 15% due today, or none (all in the coming weeks)."""
    chosen = rng.choice(ITEMS, CARDS, replace=False)
    offsets = rng.uniform(-2, 30, CARDS) if due_now else rng.uniform(2, 30, CARDS)
    return {
        bank.ids[i]: NOW.timestamp() + float(o) * DAY for i, o in zip(chosen, offsets, strict=True)
    }


def pool_for(bank: ItemBank, cards: dict[str, float], seen: dict[str, float]) -> PracticePool:
    index = {item_id: i for i, item_id in enumerate(bank.ids)}
    due_at = item_times(index, ITEMS, cards, np.inf)
    focus = np.full(len(bank.topic_labels), -1, dtype=np.intp)
    focus[:3] = np.arange(3)
    return PracticePool(
        a=bank.a,
        b=bank.b,
        c=bank.c,
        area=bank.area,
        topic=bank.topic,
        in_scope=np.ones(ITEMS, dtype=bool),
        focus_rank=focus,
        theta=np.array([-0.4, 0.1, 0.3, -1.0]),
        has_card=np.isfinite(due_at),
        due_at=due_at,
        last_seen=item_times(index, ITEMS, seen, -np.inf),
    )


def choose(pool: PracticePool) -> object:
    asked = np.zeros(ITEMS, dtype=bool)
    asked[:5] = True
    return next_practice_item(
        pool,
        asked=asked,
        new_per_topic=np.zeros(len(pool.focus_rank), dtype=np.intp),
        now=NOW.timestamp(),
        day_end=NOW.timestamp() + 18 * 3600,
        rng=np.random.default_rng(1),
    )


def catsim_step(bank: ItemBank) -> Callable[[], object] | None:
    try:
        from catsim.item_bank import ItemBank as CatsimBank
        from catsim.selection import UrrySelector
    except ImportError:
        return None
    items = np.column_stack([bank.a, bank.b, bank.c, np.ones(ITEMS)])
    with contextlib.redirect_stdout(io.StringIO()):  # catsim's validation prints a blank line
        catsim_bank = CatsimBank(items)
    selector = UrrySelector()
    administered = list(range(5))
    return lambda: selector.select(
        item_bank=catsim_bank, administered_items=administered, est_theta=0.3
    )


def service_times(repeat: int) -> tuple[float, float]:
    """First and later `next_question` of a session on SQLite with 5,000 items and 2,000 cards."""
    from engine.db import practice_store, quiz_store
    from engine.practice.model import PracticeRequest
    from engine.service.bank_service import import_bank
    from engine.service.practice_service import PracticeService
    from engine.service.quiz_service import QuizService
    from engine.service.storage import open_database

    class Pinned:
        def now(self) -> dt.datetime:
            return NOW

        def monotonic(self) -> float:
            return time.monotonic()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "bank").mkdir()
        database = open_database(f"sqlite:///{root / 'bench.db'}").database
        outcome = import_bank(database, generated_bank(root / "bank", ITEMS))
        assert outcome.summary is not None
        rng = np.random.default_rng(3)
        with database.unit_of_work() as session:
            learner = quiz_store.learner_id(session, "bench", create=True)
            assert learner is not None
            ids = [item.id for item in quiz_store.current_items(session)]
            reviews = []
            for n, item in enumerate(rng.choice(ids, CARDS, replace=False)):
                due = NOW + dt.timedelta(days=float(rng.uniform(-2, 30)))
                card = CardState(2, None, 3.0, 5.0, due, due - dt.timedelta(days=3))
                outcome_ = Outcome(str(item), False, due - dt.timedelta(days=3), 900, ("x", n))
                reviews.append(Review(outcome_, 1, card, True))
            practice_store.save_reviews(session, learner, reviews, NOW)
        quizzes = QuizService(database, clock=Pinned())
        first, later = float("inf"), float("inf")
        for _ in range(repeat):
            service = PracticeService(QuizService(database, clock=Pinned()))
            service.quizzes.askable_bank()  # the bank is cached for the app's whole run
            session_id = service.start(PracticeRequest("bench", count=50, seed=1)).session_id
            started = time.perf_counter()
            service.next_question(session_id)
            first = min(first, time.perf_counter() - started)
            service.finish(session_id)
            service = PracticeService(quizzes)
            quizzes.askable_bank()
            session_id = service.start(PracticeRequest("bench", count=50, seed=1)).session_id
            shown = service.next_question(session_id)
            assert shown is not None
            live = service._live[session_id]  # mark it answered without storing: time the choice
            live.pending = None
            live.asked[quizzes.askable_bank().index[shown.question.item_id]] = True
            live.answered += 1
            started = time.perf_counter()
            service.next_question(session_id)
            later = min(later, time.perf_counter() - started)
            service.finish(session_id)
        database.dispose()
    return first * 1000, later * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-service", action="store_true", help="skip the SQLite measurement")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    bank = synthetic_bank(rng)
    due_cards = card_times(bank, rng, due_now=True)
    later_cards = card_times(bank, rng, due_now=False)
    seen_ids = rng.choice(ITEMS, SEEN, replace=False)
    seen = {bank.ids[i]: NOW.timestamp() - float(rng.uniform(0, 30)) * DAY for i in seen_ids}
    review_pool = pool_for(bank, due_cards, seen)
    new_pool = pool_for(bank, later_cards, seen)
    assert choose(review_pool).kind == "review" and choose(new_pool).kind == "new"  # type: ignore[attr-defined]

    rows = {
        "choose: a due review": best_ms(lambda: choose(review_pool), args.repeat, 200),
        "choose: a new question": best_ms(lambda: choose(new_pool), args.repeat, 200),
        "load 2,000 cards + choose": best_ms(
            lambda: choose(pool_for(bank, later_cards, seen)), args.repeat, 50
        ),
    }
    reference = catsim_step(bank)
    catsim_ms = best_ms(reference, args.repeat, 200) if reference else None
    if not args.no_service:
        first, later = service_times(max(3, args.repeat // 2))
        rows["service, SQLite: first question"] = first
        rows["service, SQLite: a later question"] = later

    print(f"{ITEMS:,} items, {CARDS:,} cards, {SEEN:,} items seen before; target < {TARGET_MS} ms")
    header = f"{'step':<36}{'ms':>9}{'vs target':>11}"
    if catsim_ms is not None:
        header += f"{'catsim Urry / ours':>20}"
    print(header)
    for name, ms in rows.items():
        line = f"{name:<36}{ms:>9.3f}{ms / TARGET_MS:>10.3f}x"
        if catsim_ms is not None and name.startswith("choose"):
            line += f"{catsim_ms / ms:>19.1f}x"
        print(line)
    if catsim_ms is not None:
        print(f"{'catsim UrrySelector.select':<36}{catsim_ms:>9.3f}")
    else:
        print("catsim is not installed (pip install -e '.[bench]'): no reference ratio")


if __name__ == "__main__":
    main()
