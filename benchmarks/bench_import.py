"""How long bank validation and import take: the shipped bank and a generated 5,000-item bank.

Run: `.venv/bin/python benchmarks/bench_import.py` (or `make bench`).

Targets (issue #2): shipped bank < 1 s, 5,000 items < 5 s, re-import of an
unchanged bank < 0.5 s. Each figure is the median of several runs on a fresh
SQLite file; the ratio column is measured / target (below 1 is within target).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from engine.bank import load_bank  # noqa: E402
from engine.service.bank_service import import_bank, shipped_bank_path  # noqa: E402
from engine.service.storage import open_database  # noqa: E402

RUNS = 5


def generated_bank(root: Path, count: int) -> Path:
    """`count` valid items spread over the shipped bank's topics."""
    shutil.copy(shipped_bank_path() / "areas.yaml", root / "areas.yaml")
    loaded = load_bank(shipped_bank_path())
    assert loaded.bank is not None
    topics = [(a.id, t.id) for a in loaded.bank.areas for t in a.topics]
    per_topic = -(-count // len(topics))
    made = 0
    for area, topic in topics:
        lines = []
        for n in range(per_topic):
            if made == count:
                break
            made += 1
            lines.append(
                f"- id: gen-{topic}-{n:04d}\n"
                f"  type: single\n"
                f"  difficulty: {n % 5 + 1}\n"
                f"  prompt: |\n    Generated question {n} about {topic}.\n"
                f"    ```python\n    print({n} * 2)\n    ```\n"
                f"  explanation: Twice {n} is {2 * n}.\n"
                f"  options:\n"
                f'    - text: "{2 * n}"\n      correct: true\n'
                f'    - text: "{2 * n + 1}"\n      feedback: Off by one.\n'
                f'    - text: "{2 * n + 3}"\n'
                f'    - text: "{n * n + 7}"\n'
            )
        (root / area).mkdir(exist_ok=True)
        (root / area / f"{topic}.yaml").write_text("".join(lines), encoding="utf-8")
    return root


def median_seconds(action: Callable[[], object], setup: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(RUNS):
        if setup:
            setup()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(
    label: str, bank: Path, workdir: Path, rows: list[tuple[str, float, float]], target_full: float
) -> None:
    counter = iter(range(10_000))
    current: dict[str, object] = {}

    def fresh_database() -> None:
        url = f"sqlite:///{workdir / f'bench-{next(counter)}.db'}"
        current["db"] = open_database(url).database

    def do_import() -> None:
        outcome = import_bank(current["db"], bank)  # type: ignore[arg-type]
        assert outcome.summary is not None and outcome.summary.added > 0

    def reimport() -> None:
        outcome = import_bank(current["db"], bank)  # type: ignore[arg-type]
        assert outcome.summary is not None and not outcome.summary.wrote_anything

    count = len(load_bank(bank).items)
    rows.append(
        (
            f"{label}: validate only ({count} items)",
            median_seconds(lambda: load_bank(bank)),
            target_full,
        )
    )
    rows.append(
        (
            f"{label}: import into a new database",
            median_seconds(do_import, fresh_database),
            target_full,
        )
    )
    rows.append((f"{label}: re-import, unchanged", median_seconds(reimport), 0.5))


def main() -> None:
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        measure("shipped bank", shipped_bank_path(), workdir, rows, 1.0)
        generated = workdir / "generated"
        generated.mkdir()
        measure("generated bank", generated_bank(generated, 5000), workdir, rows, 5.0)
    width = max(len(label) for label, _, _ in rows)
    print(f"{'measurement':<{width}}  {'median s':>9}  {'target s':>8}  {'ratio':>6}")
    for label, seconds, target in rows:
        print(f"{label:<{width}}  {seconds:>9.3f}  {target:>8.1f}  {seconds / target:>6.2f}")


if __name__ == "__main__":
    main()
