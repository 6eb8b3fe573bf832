"""Item calibration: speed against girth and mirt, agreement, and the fixed scale.

Usage: .venv/bin/python benchmarks/bench_calibration.py [--sessions N] [--seed S]
       [--no-database] [--repeat R] [--only sparse,dense,scale]

1. **Sparse adaptive data** (``sparse``). A 700-item bank (4 areas x 175) with
   author priors whose true parameters differ; ``--sessions`` learners (default
   5,000) each take one adaptive quiz of 40 items chosen by the real engine
   from the priors: 200,000 answers. Timed: `calibrate_items` per area (best
   of ``--repeat``), and, unless ``--no-database``, the whole service call
   `calibrate(database, dry_run=True)` on a SQLite file with those answers.
2. **Dense 2PL** (``dense``): 2,000 persons x 200 items, flat item priors
   (marginal maximum likelihood). Our `calibrate_items` against girth 0.8's
   ``twopl_mml`` and mirt's ``fit_mirt(model="2PL")`` in the same run
   (skipped when not installed: ``pip install -e '.[bench]'``); every
   estimate is also compared with the exact marginal-likelihood solution
   found by a direct optimiser (scipy's L-BFGS-B on the marginal
   log-likelihood with its analytic gradient, on our quadrature grid).
3. **The scale** (``scale``): issue #9's experiment. 3,000 learners from
   N(-0.7, 1), 60 known 3PL items, 15 of them anchors: the mean shift of the
   free items' ``b``, the population estimate, and the readiness
   classification accuracy at the cut (theta >= 0) of 2,000 new learners
   answering 20 random items, scored with the calibrated and with the true
   parameters (EAP, the app's N(0, 1) prior).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from engine.irt import AdaptiveTestPlan, ItemBank, MaxItems, record_response, start_test
from engine.irt.calibration import CalibrationResult, Population, calibrate_items
from engine.irt.model import probability
from engine.irt.posterior import quadrature_grid, trapezoid_weights

AREAS = ("programming", "math", "ml", "swe")
ITEMS_PER_AREA = 175
QUIZ_LENGTH = 40


@dataclass(frozen=True)
class Timing:
    """Best wall-clock and best process CPU time of several runs.

    On a shared machine the wall clock counts the time the process waited for a
    core; the CPU time (all threads) does not, so it is the steadier figure.
    """

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"

    def ratio(self, other: Timing) -> str:
        return f"{self.wall / other.wall:.1f}x wall, {self.cpu / other.cpu:.1f}x CPU"


Result = TypeVar("Result")


def best_of(repeat: int, work: Callable[[], Result]) -> tuple[Timing, Result]:
    wall, cpu = math.inf, math.inf
    results: list[Result] = []
    for _ in range(max(repeat, 1)):
        start, start_cpu = time.perf_counter(), time.process_time()
        results.append(work())
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return Timing(wall, cpu), results[-1]


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


def calibrate_all(
    bank: dict[str, np.ndarray], matrices: list[np.ndarray]
) -> list[CalibrationResult]:
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
    print(f"calibrate_items, all four areas: {seconds} (best of {args.repeat})")
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
        calibrated = len(report.calibrated)
        print(
            f"service calibrate(database, dry_run=True): {seconds} "
            f"(best of {repeat}; {calibrated} items calibrated)"
        )
        database.dispose()


def _dense_data(n_people: int, n_items: int, seed: int = 7) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    a = np.exp(rng.normal(0.0, 0.35, n_items))
    b = rng.normal(0.0, 1.0, n_items)
    theta = rng.normal(0.0, 1.0, n_people)
    data = (rng.random((n_people, n_items)) < probability(theta[:, None], a, b)).astype(float)
    return data, a, b


def exact_solution(data: np.ndarray, start_a: np.ndarray, start_b: np.ndarray) -> tuple:
    """The 2PL marginal maximum likelihood by a direct optimiser (independent of our EM)."""
    from scipy.optimize import minimize

    n_items = data.shape[1]
    grid = quadrature_grid()
    log_weights = np.log(trapezoid_weights(grid) * np.exp(-0.5 * grid**2))
    log_weights -= np.log(np.exp(log_weights).sum())

    def objective(x: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = np.exp(x[:n_items]), x[n_items:]
        z = a[None, :] * (grid[:, None] - b[None, :])
        log_p, log_q = -np.logaddexp(0, -z), -np.logaddexp(0, z)
        joint = data @ log_p.T + (1 - data) @ log_q.T + log_weights
        peak = joint.max(axis=1, keepdims=True)
        posterior = np.exp(joint - peak)
        total = posterior.sum(axis=1, keepdims=True)
        posterior /= total
        residual = data.T @ posterior - posterior.sum(axis=0)[None, :] * np.exp(log_p).T
        gradient_log_a = (residual * a[:, None] * (grid[None, :] - b[:, None])).sum(axis=1)
        gradient_b = -(residual * a[:, None]).sum(axis=1)
        value = float((peak + np.log(total)).sum())
        return -value, -np.concatenate([gradient_log_a, gradient_b])

    start = np.concatenate([np.log(start_a), start_b])
    result = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 10000, "ftol": 1e-15, "gtol": 1e-8},
    )
    return np.exp(result.x[:n_items]), result.x[n_items:]


def dense_benchmark(repeat: int) -> None:
    from importlib.metadata import PackageNotFoundError, version

    n_people, n_items = 2000, 200
    data, true_a, true_b = _dense_data(n_people, n_items)
    print(f"\ndense 2PL, {n_people:,} persons x {n_items} items, flat priors (MML):")
    ours_time, ours = best_of(
        repeat,
        lambda: calibrate_items(
            data,
            np.ones(n_items),
            np.zeros(n_items),
            prior_log_a_sd=math.inf,  # flat priors: plain MML, as girth and mirt fit
            prior_b_sd=math.inf,
        ),
    )
    assert isinstance(ours, CalibrationResult)
    print(
        f"  skillprobe calibrate_items: {ours_time} ({ours.iterations} EM steps, "
        f"converged {ours.converged})"
    )
    try:
        exact_a, exact_b = exact_solution(data, ours.a, ours.b)
        exact_from_truth = exact_solution(data, true_a, true_b)
        print(
            "  exact MML (direct L-BFGS-B): max |ours - exact| "
            f"a {np.max(np.abs(ours.a - exact_a)):.4f}, b {np.max(np.abs(ours.b - exact_b)):.4f}"
            f" (started at the truth instead: a "
            f"{np.max(np.abs(ours.a - exact_from_truth[0])):.4f}, b "
            f"{np.max(np.abs(ours.b - exact_from_truth[1])):.4f})"
        )
    except ImportError:
        print("  scipy is not installed: exact-solution check skipped")
    try:
        from girth import twopl_mml

        girth_time, girth = best_of(1, lambda: twopl_mml(data.T.astype(int)))
        assert isinstance(girth, dict)
        print(
            f"  girth {version('girth')} twopl_mml: {girth_time} = "
            f"{girth_time.ratio(ours_time)} ours; max |diff| a "
            f"{np.max(np.abs(np.asarray(girth['Discrimination']) - ours.a)):.3f}, b "
            f"{np.max(np.abs(np.asarray(girth['Difficulty']) - ours.b)):.3f}"
        )
    except ImportError:
        print("  girth is not installed (pip install girth): comparison skipped")
    try:
        import mirt

        mirt_time, fitted = best_of(
            repeat,
            lambda: mirt.fit_mirt(
                data.astype(int), model="2PL", compute_standard_errors=False, n_quadpts=61
            ),
        )
        parameters = fitted.model.parameters
        mirt_a = np.asarray(parameters["discrimination"]).ravel()
        mirt_b = np.asarray(parameters["difficulty"]).ravel()
        print(
            f"  mirt {version('mirt')} fit_mirt 2PL (61 nodes): {mirt_time} = "
            f"{mirt_time.ratio(ours_time)} ours; max |diff| a "
            f"{np.max(np.abs(mirt_a - ours.a)):.3f}, b {np.max(np.abs(mirt_b - ours.b)):.3f}"
        )
    except (ImportError, PackageNotFoundError):
        print("  mirt is not installed (pip install mirt): comparison skipped")
    except (AttributeError, KeyError, TypeError) as error:
        print(f"  mirt ran but its result could not be read ({error!r}); comparison skipped")


def scale_benchmark(repeat: int) -> None:
    from engine.irt.estimation import estimate_eap

    rng = np.random.default_rng(20240611)
    n = 60
    a = np.exp(rng.normal(0.1, 0.3, n))
    b = rng.normal(0.0, 1.0, n)
    c = rng.choice([0.0, 0.25, 0.5], n, p=[0.5, 0.35, 0.15])
    theta = rng.normal(-0.7, 1.0, 3000)
    data = (rng.random((3000, n)) < probability(theta[:, None], a, b, c)).astype(float)
    anchors = np.zeros(n, dtype=bool)
    anchors[rng.choice(n, 15, replace=False)] = True
    authored_b = np.clip(np.round(b), -2.0, 2.0)
    print("\nscale: 3,000 learners from N(-0.7, 1), 60 known 3PL items, 15 anchors")
    runs: dict[str, dict[str, Any]] = {
        "no anchors, N(0, 1) forced": {"fixed": None, "population": None},
        "15 anchors, N(0, 1) forced": {"fixed": anchors, "population": None},
        "15 anchors, population estimated (Kim 2006)": {
            "fixed": anchors,
            "population": Population(estimate_mean=True, estimate_sd=True),
        },
    }
    new_theta = rng.normal(-0.7, 1.0, 2000)
    asked = np.array([rng.choice(n, 20, replace=False) for _ in new_theta])
    answers = rng.random((new_theta.size, 20)) < probability(
        new_theta[:, None], a[asked], b[asked], c[asked]
    )

    def accuracy(item_a: np.ndarray, item_b: np.ndarray) -> float:
        right = 0
        for person in range(new_theta.size):
            items = asked[person]
            estimate = estimate_eap(
                item_a[items], item_b[items], c[items], answers[person].astype(float)
            )
            right += (estimate.theta >= 0.0) == (new_theta[person] >= 0.0)
        return right / new_theta.size

    truth_accuracy = accuracy(a, b)
    for label, options in runs.items():
        fixed = options["fixed"]
        start_a = np.where(anchors, a, 1.0) if fixed is not None else np.ones(n)
        start_b = np.where(anchors, b, authored_b) if fixed is not None else authored_b
        population = options["population"]

        def run(
            fixed: np.ndarray | None = fixed,
            population: Population | None = population,
            start_a: np.ndarray = start_a,
            start_b: np.ndarray = start_b,
        ) -> CalibrationResult:
            return calibrate_items(data, start_a, start_b, c, fixed=fixed, population=population)

        seconds, result = best_of(repeat, run)
        assert isinstance(result, CalibrationResult)
        free = ~anchors if fixed is not None else np.ones(n, dtype=bool)
        shift = float(np.mean(result.b[free] - b[free]))
        print(
            f"  {label}: mean shift of free b {shift:+.3f}; population "
            f"N({result.population_mean:+.3f}, {result.population_sd:.3f}^2); accuracy at "
            f"the cut {accuracy(result.a, result.b):.3f} (true parameters "
            f"{truth_accuracy:.3f}); {seconds}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-database", action="store_true", help="skip the SQLite stage")
    parser.add_argument("--only", default="sparse,dense,scale", help="stages, comma-separated")
    args = parser.parse_args()
    stages = set(args.only.split(","))
    if "sparse" in stages:
        sparse_benchmark(args)
    if "dense" in stages:
        dense_benchmark(args.repeat)
    if "scale" in stages:
        scale_benchmark(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
