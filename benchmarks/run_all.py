"""Run every benchmark in this folder, one after the other (`make bench`).

Each benchmark prints its own table with ratios against its reference
(catsim for the engine, a bare Textual app for start-up, the issue's targets
for imports). Benchmarks are measurements, never pass/fail tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("bench_engine.py", "bench_measurement.py", "bench_import.py", "bench_startup.py")


def main() -> int:
    scripts = [HERE / name for name in ORDER if (HERE / name).exists()]
    scripts += sorted(p for p in HERE.glob("bench_*.py") if p.name not in ORDER)
    failed = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        failed += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
