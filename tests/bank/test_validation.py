"""`bank validate`: every problem at once, each at its file:line:column with a useful message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.bank import load_bank
from engine.cli.main import main
from tests.bank.bank_factory import single_item, write_bank
from tests.conftest import SHIPPED_BANK

GOOD = """\
- id: probability-001
  type: single
  difficulty: 2
  prompt: A fair coin lands heads with probability?
  explanation: Two equally likely faces.
  options:
    - text: "1/2"
      correct: true
    - text: "1/3"
"""

# (file text, expected "line:column", expected message fragment)
BROKEN_CASES = [
    pytest.param(
        GOOD.replace("explanation:", "explaination:"),
        "5:3",
        "unknown field 'explaination' (did you mean 'explanation'?)",
        id="misspelt-field",
    ),
    pytest.param(
        GOOD.replace("  explanation: Two equally likely faces.\n", ""),
        "1:3",
        "missing required field 'explanation'",
        id="missing-field",
    ),
    pytest.param(
        GOOD.replace("difficulty: 2", "difficulty: two"),
        "3:15",
        "'difficulty' must be a whole number",
        id="wrong-type",
    ),
    pytest.param(
        GOOD.replace("      correct: true\n", ""),
        "7:5",
        "no option is marked 'correct: true'",
        id="answer-not-among-options",
    ),
    pytest.param(
        GOOD.replace('    - text: "1/3"\n', ""),
        "7:5",
        "needs at least 2 options (has 1)",
        id="one-option",
    ),
    pytest.param(
        GOOD.replace('"1/3"', '"1/2"'),
        "9:13",
        "duplicate option: same text as option 1",
        id="duplicate-option",
    ),
    pytest.param(
        GOOD.replace("prompt: A fair coin lands heads with probability?", 'prompt: "   "'),
        "4:11",
        "'prompt' is empty",
        id="blank-prompt",
    ),
    pytest.param(
        GOOD.replace("type: single", "type: singel"),
        "1:3",
        "unknown type 'singel' (did you mean 'single'?)",
        id="unknown-type",
    ),
    pytest.param(
        """\
- id: probability-002
  type: numeric
  difficulty: 3
  prompt: Half of one?
  explanation: One divided by two.
  answer: 0.5
  tolerance: {absolute: -0.1}
""",
        "7:25",
        "a tolerance cannot be negative",
        id="negative-tolerance",
    ),
    pytest.param(
        """\
- id: probability-003
  type: text
  difficulty: 1
  prompt: Name the rule.
  explanation: Bayes.
  pattern: "bayes("
""",
        "6:12",
        "'pattern' is not a valid regular expression",
        id="bad-regex",
    ),
    pytest.param(
        GOOD.replace(
            "  explanation: Two equally likely faces.\n",
            "  explanation: |\n    Two faces:\n    ```python\n    print(1 / 2)\n",
        ),
        "5:16",
        "code fence opened on line 2 of 'explanation' is never closed",
        id="unclosed-fence",
    ),
    pytest.param(
        GOOD + "  prompt: again\n",
        "10:3",
        "field 'prompt' appears twice (first on line 4)",
        id="duplicate-key",
    ),
    pytest.param(
        "- id: [unclosed\n",
        "2:1",
        "YAML syntax error",
        id="yaml-syntax",
    ),
    pytest.param(
        "- !!python/object/apply:os.system ['echo pwned']\n",
        "1:3",
        "tags such as '!!python/...' are not allowed",
        id="python-tag",
    ),
    pytest.param(
        GOOD.replace("Two equally likely faces.", "Two faces.\x1b[31m red"),
        "5:26",
        "control character U+001B is not allowed",
        id="terminal-escape",
    ),
    pytest.param(
        GOOD.replace('    - text: "1/3"', "    - text: yes"),
        "9:13",
        "'options[1].text' must be text (got true (a boolean",
        id="yaml-boolean-as-text",
    ),
]


@pytest.mark.parametrize(("text", "where", "message"), BROKEN_CASES)
def test_each_problem_is_reported_at_its_line_and_column(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    root = write_bank(tmp_path / "bank", {"math/probability.yaml": text})
    loaded = load_bank(root)
    rendered = [str(error) for error in loaded.errors]
    assert loaded.bank is None
    assert any(f"probability.yaml:{where}:" in r and message in r for r in rendered), rendered


def test_every_problem_is_reported_at_once_across_files(tmp_path: Path) -> None:
    root = write_bank(
        tmp_path / "bank",
        {
            "math/probability.yaml": GOOD.replace("explanation:", "explaination:"),
            "math/statistics.yaml": single_item("statistics-001", difficulty=9),
            "math/statstics.yaml": single_item("statstics-001"),
            "physics/optics.yaml": single_item("optics-001"),
        },
    )
    messages = [str(error) for error in load_bank(root).errors]
    assert any("'explaination'" in m for m in messages)
    assert any("statistics.yaml:3:15" in m and "'difficulty' must be <= 5" in m for m in messages)
    assert any(
        "unknown topic 'statstics'" in m and "did you mean 'statistics'" in m for m in messages
    )
    assert any("unknown area 'physics'" in m for m in messages)


def test_duplicate_ids_are_found_across_the_whole_bank(tmp_path: Path) -> None:
    root = write_bank(
        tmp_path / "bank",
        {
            "math/probability.yaml": single_item("shared-001"),
            "swe/git.yaml": single_item("shared-001"),
        },
    )
    errors = load_bank(root).errors
    assert len(errors) == 1
    assert "swe/git.yaml:1:7:" in str(errors[0])
    assert "duplicate id 'shared-001': already used at" in str(errors[0])
    assert "probability.yaml:1" in str(errors[0])


def test_a_clean_bank_yields_items_with_prior_parameters(tmp_path: Path) -> None:
    root = write_bank(tmp_path / "bank", {"math/probability.yaml": GOOD})
    loaded = load_bank(root)
    assert loaded.errors == ()
    (item,) = loaded.items
    assert (item.area, item.topic, item.type) == ("math", "probability", "single")
    # difficulty 2 -> b = -1 (docs/authoring.md); two options -> c = 1/2.
    assert (item.a, item.b, item.c) == (1.0, -1.0, 0.5)


def test_validate_command_exits_1_and_prints_one_line_per_problem(tmp_path: Path, capsys) -> None:
    root = write_bank(
        tmp_path / "bank",
        {"math/probability.yaml": GOOD.replace("difficulty: 2", "difficulty: 0")},
    )
    assert main(["bank", "validate", str(root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].endswith(
        "'difficulty' must be >= 1 (got 0); difficulty runs from 1 (easy) to 5 (hard)"
    )
    assert err[-1] == "1 problem found"


def test_validate_command_exits_0_on_the_shipped_bank(capsys) -> None:
    assert main(["bank", "validate", str(SHIPPED_BANK)]) == 0
    assert "no problems found" in capsys.readouterr().out


def test_validate_command_reports_a_missing_path(tmp_path: Path, capsys) -> None:
    assert main(["bank", "validate", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "prompt",
                    "explanation",
                    "options",
                    "text",
                    "correct",
                    "answer",
                    "difficulty",
                    "irt",
                    "a",
                    "b",
                    "c",
                    "accept",
                    "pattern",
                    "tolerance",
                    "absolute",
                    "tags",
                    "shuffle",
                    "single",
                    "numeric",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        ),
    ),
    max_leaves=25,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=yaml_values)
def test_any_yaml_data_gives_errors_or_a_bank_never_an_exception(tmp_path: Path, document) -> None:
    root = write_bank(tmp_path / "fuzz", {"math/probability.yaml": yaml.safe_dump(document)})
    loaded = load_bank(root)
    assert (loaded.bank is None) == bool(loaded.errors)
    for error in loaded.errors:
        assert error.position.line >= 1 and error.position.column >= 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_gives_errors_or_a_bank_never_an_exception(tmp_path: Path, text: str) -> None:
    root = write_bank(tmp_path / "fuzz", {})
    (root / "math").mkdir(exist_ok=True)
    (root / "math" / "probability.yaml").write_text(text, encoding="utf-8")
    loaded = load_bank(root)
    assert (loaded.bank is None) == bool(loaded.errors)
