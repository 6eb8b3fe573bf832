"""The shipped bank's answer keys, checked by computation rather than trust.

* Items tagged ``code-output`` have their Python snippet run with this
  interpreter; what it prints must be the keyed answer.
* ``tests/bank/answer_checks/<area>_<topic>.py`` modules map item ids to
  functions that compute the answer from first principles; every ``numeric``
  item must have one.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine.bank import ItemSpec
from engine.bank.checks import CODE_OUTPUT_TAG, python_blocks
from engine.quiz.grading import grade_text, numbers_match
from tests.bank.shipped import ITEMS, load_checks
from tests.bank.shipped import LOADED as BANK

CHECKS = load_checks()
CODE_OUTPUT_ITEMS = [item for item in BANK.items if CODE_OUTPUT_TAG in item.tags]


def _strip_code_span(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text.startswith("`") and text.endswith("`"):
        return text.strip("`")
    return text


def assert_key_matches(item: ItemSpec, computed: object) -> None:
    if item.type == "numeric":
        assert isinstance(computed, int | float), f"{item.id}: check must return a number"
        assert item.answer is not None
        if item.absolute_tolerance is None and item.relative_tolerance is None:
            assert numbers_match(float(computed), float(item.answer)), (computed, item.answer)
        else:
            assert numbers_match(
                float(computed),
                float(item.answer),
                item.absolute_tolerance,
                item.relative_tolerance,
            ), f"{item.id}: computed {computed}, keyed {item.answer}"
    elif item.type == "true_false":
        assert computed is item.answer, f"{item.id}: computed {computed}, keyed {item.answer}"
    elif item.type == "single":
        (index,) = item.correct_options
        assert computed == item.options[index].text, f"{item.id}: computed {computed!r}"
    elif item.type == "multiple":
        keyed = {item.options[i].text for i in item.correct_options}
        assert computed == keyed, f"{item.id}: computed {computed!r}, keyed {keyed!r}"
    else:
        assert isinstance(computed, str) and grade_text(item, computed), (
            f"{item.id}: computed {computed!r} is not accepted"
        )


def test_the_shipped_bank_loads() -> None:
    assert BANK.errors == ()


@pytest.mark.parametrize("item_id", sorted(CHECKS))
def test_computed_answer_matches_the_key(item_id: str) -> None:
    file, check = CHECKS[item_id]
    assert item_id in ITEMS, f"{file} checks {item_id}, which is not in the bank"
    assert_key_matches(ITEMS[item_id], check())


def test_every_numeric_item_has_a_check() -> None:
    unchecked = [i.id for i in BANK.items if i.type == "numeric" and i.id not in CHECKS]
    assert unchecked == []


@pytest.mark.parametrize("item", CODE_OUTPUT_ITEMS, ids=lambda item: item.id)
def test_code_output_matches_the_key(item: ItemSpec) -> None:
    (code,) = python_blocks(item.prompt)
    result = subprocess.run(
        [sys.executable, "-I", "-c", code],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = "\n".join(line.rstrip() for line in result.stdout.rstrip().split("\n"))
    if item.type == "single":
        (index,) = item.correct_options
        assert printed == _strip_code_span(item.options[index].text)
    elif item.type == "text":
        assert printed == item.accept[0]
    elif item.type == "numeric":
        assert item.answer is not None
        assert numbers_match(float(printed), float(item.answer))
    elif item.type == "true_false":
        assert printed == str(item.answer)
    else:
        pytest.fail(f"{item.id}: code-output is not supported for {item.type} items")
