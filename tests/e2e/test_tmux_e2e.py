"""The tmux end-to-end script, run by the suite when tmux is installed (about 15-30 s)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("tmux_quiz.sh")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_keyboard_only_journeys_in_a_real_terminal_at_120x40_and_80x24() -> None:
    skillprobe = Path(sys.executable).with_name("skillprobe")
    env = {**os.environ, "SKILLPROBE": str(skillprobe)}
    done = subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "e2e: OK" in done.stdout
