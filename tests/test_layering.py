"""The architecture, enforced: a pure core, one persistence layer, thin shells."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PURE_CORE = [
    "engine.irt.model",
    "engine.irt.posterior",
    "engine.irt.estimation",
    "engine.irt.selection",
    "engine.irt.stopping",
    "engine.irt.plan",
    "engine.irt.simulation",
    "engine.irt.calibration",
    "engine.grading",
    "engine.quiz.marking",
    "engine.quiz.answer_input",
    "engine.report.readiness",
    "engine.report.render",
]
FORBIDDEN_IN_CORE = ("sqlalchemy", "alembic", "textual", "psycopg")


def test_the_pure_core_imports_no_database_or_ui() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in PURE_CORE)
        + f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_IN_CORE!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


SHELL_FILES = sorted((REPO_ROOT / "tui").rglob("*.py")) + sorted(
    (REPO_ROOT / "engine" / "cli").glob("*.py")
)


@pytest.mark.parametrize("path", SHELL_FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_shells_use_the_service_api_never_the_orm(path: Path) -> None:
    offending = {
        name
        for name in _imports(path)
        if name.split(".")[0] in ("sqlalchemy", "alembic") or name.startswith("engine.db")
    }
    assert offending == set()


def test_the_tui_does_not_reach_into_the_engine_internals() -> None:
    allowed = ("engine.service", "engine.quiz", "engine.report", "engine.bank", "engine.cli")
    for path in (REPO_ROOT / "tui").rglob("*.py"):
        for name in _imports(path):
            if name.startswith("engine."):
                assert name.startswith(allowed), f"{path}: imports {name}"
