"""Writing small banks to disk for tests."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from tests.conftest import SHIPPED_BANK


def write_bank(root: Path, files: dict[str, str]) -> Path:
    """A bank at `root` with the shipped areas.yaml and the given topic files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(SHIPPED_BANK / "areas.yaml", root / "areas.yaml")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def single_item(item_id: str, *, difficulty: int = 2, prompt: str = "Pick one.") -> str:
    return f"""\
- id: {item_id}
  type: single
  difficulty: {difficulty}
  prompt: {prompt}
  explanation: Because.
  options:
    - text: "right"
      correct: true
    - text: "wrong"
"""
