"""The numerical core imports only numpy and the standard library."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("scipy", "sqlalchemy", "textual", "yaml", "pydantic", "alembic", "catsim", "catpie")


def test_engine_irt_imports_only_numpy_and_stdlib() -> None:
    code = (
        "import sys, engine.irt, engine.irt.simulation\n"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
