"""A class of 50 answering 30 questions each at the same moment, on each backend.

The issue's probe, kept: every answer stored, none twice, and no error at all
(no "database is locked"). The figures (answers/s, save p99) come from the same
script, `benchmarks/bench_load.py`; this test only checks correctness.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.faults.conftest import cli_environment

pytestmark = pytest.mark.slow

LOAD = ("--learners", "50", "--answers", "30", "--runs", "1", "--no-reference", "--json")


def test_fifty_learners_answer_thirty_questions_at_once(database_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "benchmarks" / "bench_load.py"),
            "--url",
            database_url,
            *LOAD,
        ],
        capture_output=True,
        text=True,
        env=cli_environment(tmp_path),
        timeout=1200,
        check=False,
    )
    assert result.stdout.strip(), result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["stored"] == 50 * 30
    assert outcome["duplicate_positions"] == 0
    assert outcome["repeated_items"] == 0
    assert result.returncode == 0, result.stderr[-3000:]
