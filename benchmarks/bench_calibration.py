"""Time item calibration on a bank-sized problem, and compare with girth on dense data.

Usage: .venv/bin/python benchmarks/bench_calibration.py [--sessions N] [--seed S]
       [--no-database] [--repeat R]

1. **Sparse adaptive data.** A 700-item bank (4 areas x 175 items) with author
   priors (``a = 1``, ``b`` rounded to the difficulty levels -2..2, ``c`` at the
   blind-guess rate) whose true parameters differ (``a ~ logN(log 1.2, 0.25)``,
   ``b ~ N(0, 1.2)``, same ``c``). ``--sessions`` simulated learners (default
   5,000) each take one adaptive quiz of 40 items (10 per area) chosen by the
   real engine from the priors while answering by the truth: 200,000 answers,
   a 6% full response matrix. Timed: `calibrate_items` per area (best of
   ``--repeat``), and, unless ``--no-database``, the whole service call
   `calibrate(database, dry_run=True)` on a SQLite file holding those answers
   (reading the responses and current parameters, estimating, reporting).
   Also printed: iterations, convergence and the RMSE of ``b`` against the
   truth before and after calibration for items with at least 30 answers.
2. **girth** (optional: ``pip install girth``). 2PL marginal maximum
   likelihood on a dense 50-item x 2,000-examinee data set: girth 0.8's
   ``twopl_mml`` (its defaults, and with ``use_LUT=False``) against our
   estimator with flat item priors; the time ratio and the largest
   differences in ``a`` and ``b`` are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from engine.irt import AdaptiveTestPlan, ItemBank, MaxItems, record_response, start_test
from engine.irt.calibration import CalibrationResult, calibrate_items
from engine.irt.model import probability

AREAS = ("programming", "math", "ml", "swe")
ITEMS_PER_AREA = 175
QUIZ_LENGTH = 40


def best_of(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def make_bank(rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = len(AREAS) * ITEMS_PER_AREA
    c = rng.choice([0.25, 0.5, 0.0], n, p=[0.5, 0.15, 0.35])
    true_b = rng.normal(0.0, 1.2, n)
    return {
        "area": np.repeat(np.arange(len(AREAS)), ITEMS_PER_AREA),
        "true_a": np.exp(rng.normal(math.log(1.2), 0.25, n)),
        "true_b": true_b,
        "c": c,
        "prior_a": np.ones(n),
        "prior_b": np.clip(np.round(true_b + rng.normal(0.0, 0.5, n)), -2.0, 2.0),
    }


def simulate_sessions(
    bank: dict[str, np.ndarray], sessions: int, rng: np.random.Generator
) -> list[list[tuple[int, bool]]]:
    """Adaptive quizzes by the real engine on the priors; answers from the truth."""
    item_bank = ItemBank.from_arrays(
        bank["prior_a"],
        bank["prior_b"],
        bank["c"],
        areas=[AREAS[code] for code in bank["area"]],
        topics=[AREAS[code] for code in bank["area"]],
    )
    plan = AdaptiveTestPlan(stopping=MaxItems(QUIZ_LENGTH))
    theta = rng.normal(0.0, 1.0, (sessions, len(AREAS)))
    quizzes = []
    for person in range(sessions):
        state = start_test(item_bank)
        answers = []
        while (item := plan.next_item(state, rng)) is not None:
            area = item_bank.area_labels.index(AREAS[int(bank["area"][item])])
            p = probability(
                theta[person, area], bank["true_a"][item], bank["true_b"][item], bank["c"][item]
            )
            correct = bool(rng.random() < p)
            answers.append((int(item), correct))
            state = record_response(state, item, correct)
        quizzes.append(answers)
    return quizzes


def area_matrices(
    bank: dict[str, np.ndarray], quizzes: list[list[tuple[int, bool]]]
) -> list[np.ndarray]:
    """One sessions x items matrix per area (rows with no answer in the area dropped)."""
    full = np.full((len(quizzes), bank["area"].size), np.nan)
    for row, answers in enumerate(quizzes):
        for item, correct in answers:
            full[row, item] = float(correct)
    matrices = []
    for code in range(len(AREAS)):
        columns = bank["area"] == code
        block = full[:, columns]
        matrices.append(block[~np.all(np.isnan(block), axis=1)])
    return matrices


def calibrate_all(bank: dict[str, np.ndarray], matrices: list[np.ndarray]) -> list[object]:
    results = []
    for code, matrix in enumerate(matrices):
        columns = bank["area"] == code
        results.append(
            calibrate_items(
                matrix, bank["prior_a"][columns], bank["prior_b"][columns], bank["c"][columns]
            )
        )
    return results


def sparse_benchmark(args: argparse.Namespace) -> None:
    rng = np.random.default_rng(args.seed)
    bank = make_bank(rng)
    start = time.perf_counter()
    quizzes = simulate_sessions(bank, args.sessions, rng)
    simulated = time.perf_counter() - start
    matrices = area_matrices(bank, quizzes)
    answers = sum(len(q) for q in quizzes)
    print(
        f"sparse adaptive data: {bank['area'].size} items, {args.sessions:,} sessions, "
        f"{answers:,} answers (simulated in {simulated:.1f} s)"
    )
    seconds, results = best_of(args.repeat, lambda: calibrate_all(bank, matrices))
    print(f"calibrate_items, all four areas: {seconds:.2f} s (best of {args.repeat})")
    print("  area          rows  items>=30  iterations  converged  RMSE b prior -> calibrated")
    for code, (matrix, result) in enumerate(zip(matrices, results, strict=True)):
        assert isinstance(result, CalibrationResult)
        columns = bank["area"] == code
        enough = result.n_responses >= 30
        truth = bank["true_b"][columns][enough]
        before = math.sqrt(np.mean((bank["prior_b"][columns][enough] - truth) ** 2))
        after = math.sqrt(np.mean((result.b[enough] - truth) ** 2))
        print(
            f"  {AREAS[code]:<12} {matrix.shape[0]:>5}  {int(enough.sum()):>9}  "
            f"{result.iterations:>10}  {result.converged!s:>9}  {before:.2f} -> {after:.2f}"
        )
    if not args.no_database:
        database_benchmark(bank, quizzes, args.repeat)


def database_benchmark(
    bank: dict[str, np.ndarray], quizzes: list[list[tuple[int, bool]]], repeat: int
) -> None:
    """The whole service call on a SQLite file holding the same answers."""
    from sqlalchemy import insert

    from engine.db.models import (
        Area,
        Item,
        ItemParameterSet,
        ItemVersion,
        Learner,
        QuizSession,
        Response,
        Topic,
    )
    from engine.service.calibration_service import calibrate
    from engine.service.storage import open_database

    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'bench.db'}").database
        n = bank["area"].size
        ids = [f"{AREAS[code]}-{index:04d}" for index, code in enumerate(bank["area"])]
        now = dt.datetime.now(dt.UTC)
        start = time.perf_counter()
        with database.unit_of_work() as session:
            cuts = {"cut_developing": -1.0, "cut_job_ready": 0.0, "cut_strong": 1.2}
            session.execute(
                insert(Area),
                [
                    {"id": a, "title": a, "description": "", "position": i, **cuts}
                    for i, a in enumerate(AREAS)
                ],
            )
            session.execute(
                insert(Topic),
                [
                    {"id": f"{a}-t", "area_id": a, "title": a, "description": "", "position": 0}
                    for a in AREAS
                ],
            )
            session.execute(
                insert(Item),
                [
                    {"id": ids[i], "area_id": AREAS[code], "topic_id": f"{AREAS[code]}-t"}
                    for i, code in enumerate(bank["area"])
                ],
            )
            session.execute(
                insert(ItemVersion),
                [
                    {
                        "id": i + 1,
                        "item_id": ids[i],
                        "version": 1,
                        "content_hash": "-",
                        "content": {},
                    }
                    for i in range(n)
                ],
            )
            session.execute(
                insert(ItemParameterSet),
                [
                    {
                        "id": i + 1,
                        "item_id": ids[i],
                        "a": float(bank["prior_a"][i]),
                        "b": float(bank["prior_b"][i]),
                        "c": float(bank["c"][i]),
                        "source": "difficulty",
                    }
                    for i in range(n)
                ],
            )
            session.execute(insert(Learner), [{"id": 1, "name": "bench"}])
            session.execute(
                insert(QuizSession),
                [
                    {
                        "id": s + 1,
                        "learner_id": 1,
                        "mode": "exam",
                        "areas": list(AREAS),
                        "settings": {},
                        "seed": s,
                    }
                    for s in range(len(quizzes))
                ],
            )
            session.execute(
                insert(Response),
                [
                    {
                        "session_id": s + 1,
                        "item_version_id": item + 1,
                        "parameter_set_id": item + 1,
                        "position": position + 1,
                        "raw_answer": "{}",
                        "correct": correct,
                        "skipped": False,
                        "response_time_ms": 1000,
                        "answered_at": now,
                    }
                    for s, answers in enumerate(quizzes)
                    for position, (item, correct) in enumerate(answers)
                ],
            )
        print(f"SQLite file with the same answers written in {time.perf_counter() - start:.1f} s")
        seconds, report = best_of(repeat, lambda: calibrate(database, dry_run=True))
        calibrated = len(report.calibrated)  # type: ignore[attr-defined]
        print(
            f"service calibrate(database, dry_run=True): {seconds:.2f} s "
            f"(best of {repeat}; {calibrated} items calibrated)"
        )
        database.dispose()


def girth_benchmark(repeat: int) -> None:
    try:
        from girth import twopl_mml
    except ImportError:
        print("girth is not installed (pip install girth): comparison skipped")
        return
    from importlib.metadata import version

    rng = np.random.default_rng(7)
    n_items, n_people = 50, 2000
    a = np.exp(rng.normal(0.0, 0.35, n_items))
    b = rng.normal(0.0, 1.0, n_items)
    theta = rng.normal(0.0, 1.0, n_people)
    data = (rng.random((n_people, n_items)) < probability(theta[:, None], a, b)).astype(int)
    flat = {"prior_log_a_sd": math.inf, "prior_b_sd": math.inf}
    ours_time, ours = best_of(
        repeat, lambda: calibrate_items(data, np.ones(n_items), np.zeros(n_items), **flat)
    )
    assert isinstance(ours, CalibrationResult)
    print(
        f"\ndense 2PL, {n_items} items x {n_people:,} examinees, flat priors "
        f"(girth {version('girth')}):"
    )
    print(f"  skillprobe calibrate_items: {ours_time:.3f} s ({ours.iterations} EM iterations)")
    for label, options in (("defaults", {}), ("use_LUT=False", {"use_LUT": False})):
        girth_time, girth = best_of(repeat, lambda options=options: twopl_mml(data.T, options))
        assert isinstance(girth, dict)
        gap_a = float(np.max(np.abs(np.asarray(girth["Discrimination"]) - ours.a)))
        gap_b = float(np.max(np.abs(np.asarray(girth["Difficulty"]) - ours.b)))
        print(
            f"  girth twopl_mml ({label}): {girth_time:.3f} s; girth / skillprobe = "
            f"{girth_time / ours_time:.1f}x; max |diff| a {gap_a:.4f}, b {gap_b:.4f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-database", action="store_true", help="skip the SQLite stage")
    args = parser.parse_args()
    sparse_benchmark(args)
    girth_benchmark(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
