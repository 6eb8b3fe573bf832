"""The architecture, enforced in one place.

The layering rules are import-linter contracts in `pyproject.toml`
(`[tool.importlinter]`): the pure core never imports a database, driver or UI
library; the shells reach storage only through the service API; the TUI's apps,
screens and widgets are layered (screens never import the app); no import
cycles. They are static: every import statement counts, lazy or under
`TYPE_CHECKING`. The one rule they cannot express is about *when* a lazy
import runs, so it is checked here at run time: the first screen of the app
paints before the database, numerics and YAML libraries are imported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_contracts_in_pyproject_hold() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "pyproject.toml"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert "KEPT" in result.stdout, result.stdout + result.stderr  # the contracts were read
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_first_screen_imports_no_database_numerics_or_yaml_library() -> None:
    """Start-up: opening the app must not import the heavy engine (docs/tui.md)."""
    code = (
        "import sys, tui.app, engine.cli.app\n"
        "heavy = ('sqlalchemy', 'alembic', 'psycopg', 'numpy', 'yaml', 'pydantic')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == ""
