"""The shipped bank and its answer checks, loaded once for the bank-wide tests.

Answer checks live in ``tests/bank/answer_checks/<area>_<topic>.py``: each module has a
dict ``CHECKS`` mapping an item id to a zero-argument function that computes the answer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from engine.bank import ItemSpec, load_bank
from engine.bank.checks import python_blocks
from tests.conftest import SHIPPED_BANK

CHECKS_DIR = Path(__file__).parent / "answer_checks"
LOADED = load_bank(SHIPPED_BANK)
ITEMS: dict[str, ItemSpec] = {item.id: item for item in LOADED.items}

# item id -> (file that checks it, the check)
Checks = dict[str, tuple[str, Callable[[], object]]]


def load_checks() -> Checks:
    """Every answer check, refusing an item that is checked twice."""
    checks: Checks = {}
    for path in sorted(CHECKS_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = importlib.import_module(f"tests.bank.answer_checks.{path.stem}")
        for item_id, check in module.CHECKS.items():
            assert item_id not in checks, f"{item_id} is checked twice"
            checks[item_id] = (path.name, check)
    return checks


def run_snippet(item_id: str) -> dict[str, object]:
    """Run the item's ```python block as learners read it; return its global names.

    Checks of "what is `total`?" items call this so the key is verified against the
    code in the prompt itself, not against a transcription that could drift from it.
    """
    (code,) = python_blocks(ITEMS[item_id].prompt)
    namespace: dict[str, object] = {"__name__": f"snippet_{item_id.replace('-', '_')}"}
    exec(compile(code, f"<{item_id}>", "exec"), namespace)
    return namespace
