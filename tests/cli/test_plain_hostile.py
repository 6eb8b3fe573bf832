"""`quiz --plain` under hostile input (issue #10, item 5) and as plain text for a screen reader.

Each test drives the command as a user would: answers on standard input, the
output read back. Input that could crash, flood the terminal or reach it as
control codes must come out as one clear line, and stored answers must be
exactly what was typed (control characters included) while nothing printed,
by the quiz or by `report`, carries a control character.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine.quiz.answer_input import MAX_ANSWER_LENGTH
from engine.service.bank_service import import_bank
from engine.service.storage import open_database
from tests.bank.bank_factory import write_bank
from tests.cli.helpers import run_cli
from tests.conftest import REPO_ROOT

# Software engineering has one question (several answers), Programming two typed ones,
# so that each test knows what is asked whatever order the engine picks.
BANK = {
    "swe/git.yaml": """\
- id: git-001
  type: multiple
  difficulty: 3
  shuffle: false
  prompt: |
    Which of these commands change the **working tree**? Select all that apply.

    ```bash
    git checkout -- file.txt && git status --short --branch --untracked-files=all
    ```
  explanation: Checkout and restore **rewrite** files; `git log` only reads history.
  options:
    - text: "`git checkout -- file.txt`, which copies the staged version of the file back
        over the one in the working tree"
      correct: true
      feedback: It overwrites the file with its staged version.
    - text: "`git log`, which shows history"
      feedback: It only reads the history.
    - text: "`git restore file.txt`, which does the same as checkout"
      correct: true
      feedback: The newer spelling of the same operation.
    - text: "`git status`, which reports what changed"
      feedback: It reports; it changes nothing.
""",
    "programming/python-core.yaml": """\
- id: python-core-001
  type: text
  difficulty: 2
  prompt: Which keyword starts the definition of a function in Python?
  explanation: "`def` starts a function definition."
  accept: ["def"]
- id: python-core-002
  type: text
  difficulty: 3
  prompt: Which keyword hands a value back from a function to its caller?
  explanation: "`return` ends the call with a value."
  accept: ["return"]
""",
}


@pytest.fixture
def git_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    database = open_database(url).database
    outcome = import_bank(database, write_bank(tmp_path / "bank", BANK))
    assert outcome.summary is not None, outcome.errors
    database.dispose()
    return url


def _quiz(url: str, learner: str, area: str = "swe") -> list[str]:
    """One question from swe (several answers), two from programming (typed answers)."""
    length = "1" if area == "swe" else "2"
    return ["quiz", "--plain", "--db", url, "--learner", learner, "--areas", area, "--length",
            length, "--seed", "1"]  # fmt: skip


def _subprocess(argv: list[str], stdin: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    """A real process whose terminal is strict UTF-8 (as on a UTF-8 desktop locale)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "XDG_DATA_HOME": str(tmp_path),
        "PYTHONIOENCODING": "utf-8:strict",
    }
    return subprocess.run(
        [sys.executable, "-m", "engine.cli.main", *argv],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def _stored_answers(url: str) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT raw_answer FROM responses ORDER BY id")).all()
    finally:
        engine.dispose()
    return [json.loads(row[0]) if isinstance(row[0], str) else row[0] for row in rows]


def _controls(value: str) -> list[str]:
    return [ch for ch in value if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs")]


def test_five_thousand_digits_at_a_choice_prompt_are_refused_in_one_line(
    git_db: str, monkeypatch, capsys
) -> None:
    typed = "9" * 5000 + "\n" + "9" * 150 + "\n1,3\n"
    code, out, err = run_cli(_quiz(git_db, "dee"), typed, monkeypatch, capsys)
    assert code == 0, err
    assert "Traceback" not in out + err
    too_long = f"that answer is too long: answers are at most {MAX_ANSWER_LENGTH} characters"
    assert any(line.endswith(f"  {too_long}") for line in out.splitlines())
    refusal = next(line for line in out.splitlines() if "is not an option" in line)
    assert len(refusal) < 120  # the digits are not echoed back in full
    assert "'9999" in refusal and "…'" in refusal
    assert "Quiz 1 finished: 1 of 1 correct." in out


def test_invalid_utf8_is_replaced_and_the_answers_after_it_are_not_lost(
    git_db: str, tmp_path: Path
) -> None:
    argv = _quiz(git_db, "eve", "programming")
    # The first answer holds bytes that are not UTF-8; the second waits in the pipe behind it.
    done = _subprocess(argv, b"caf\xe9 \xff\xfe def\nreturn\n", tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert b"Quiz 1 finished" in done.stdout
    texts = [answer["text"] for answer in _stored_answers(git_db)]
    assert texts == ["caf\ufffd \ufffd\ufffd def", "return"]
    for fmt in ("text", "markdown", "json"):
        report = _subprocess(["report", "--db", git_db, "--learner", "eve", "--format", fmt],
                             b"", tmp_path)  # fmt: skip
        assert report.returncode == 0, report.stderr.decode()
        assert b"Traceback" not in report.stderr


def test_a_megabyte_line_is_refused_without_being_echoed(git_db: str, tmp_path: Path) -> None:
    argv = _quiz(git_db, "fay", "programming")
    line = b"x" * (1 << 20)
    done = _subprocess(argv, line + b"\ndef\nreturn\n", tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert len(done.stdout) < 10_000
    assert f"at most {MAX_ANSWER_LENGTH} characters".encode() in done.stdout
    assert b"Quiz 1 finished" in done.stdout
    assert [answer["text"] for answer in _stored_answers(git_db)] == ["def", "return"]


def test_text_answers_are_capped(git_db: str, monkeypatch, capsys) -> None:
    too_long = "a" * (MAX_ANSWER_LENGTH + 1)
    longest = "b" * MAX_ANSWER_LENGTH
    argv = _quiz(git_db, "gus", "programming")
    code, out, _ = run_cli(argv, f"{too_long}\n{longest}\nreturn\n", monkeypatch, capsys)
    assert code == 0
    assert f"answers are at most {MAX_ANSWER_LENGTH} characters" in out
    assert too_long not in out
    assert [answer["text"] for answer in _stored_answers(git_db)] == [longest, "return"]


def test_escape_codes_are_stored_as_typed_and_never_printed(
    git_db: str, monkeypatch, capsys
) -> None:
    typed = "\x1b]0;owned\x07\x1b[2J\x1b[31mrm -rf\x1b[0m \u202eevil"
    argv = _quiz(git_db, "hal", "programming")
    code, out, _ = run_cli(argv, f"{typed}\nreturn\n", monkeypatch, capsys)
    assert code == 0
    assert not _controls(out) and "\u202e" not in out
    assert "rm -rf" in out  # the answer is shown, without its control codes
    assert _stored_answers(git_db)[0]["text"] == typed
    for fmt in ("text", "markdown"):
        code, report, _ = run_cli(["report", "--db", git_db, "--learner", "hal", "--format", fmt],
                               "", monkeypatch, capsys)  # fmt: skip
        assert code == 0
        assert "rm -rf" in report
        assert not _controls(report) and "\u202e" not in report


def test_questions_are_plain_text_for_a_screen_reader(git_db: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli(_quiz(git_db, "ida"), "2\n", monkeypatch, capsys)
    assert code == 0
    assert "**" not in out and "```" not in out and "`" not in out
    assert "Which of these commands change the working tree? Select all that apply." in out
    # The code block is indented and kept whole, however long its line.
    assert (
        "\n    git checkout -- file.txt && git status --short --branch --untracked-files=all\n"
        in out
    )
    # A long option wraps under its own text, not under its number.
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  1) git checkout"))
    assert len(lines[first]) <= 80
    assert lines[first + 1].startswith("     ") and lines[first + 1].strip()
    assert "Quiz 1 for ida: Software engineering;" in out


def test_several_answer_feedback_marks_every_option_in_screen_order(
    git_db: str, monkeypatch, capsys
) -> None:
    code, out, _ = run_cli(_quiz(git_db, "jo"), "1,2\n", monkeypatch, capsys)
    assert code == 0
    feedback = out[out.index("Not quite.") :]
    assert feedback.index("1) git checkout") < feedback.index("2) git log")
    assert feedback.index("2) git log") < feedback.index("3) git restore")
    assert "(correct; you chose it)" in feedback
    assert "2) git log, which shows history (not correct; you chose it)" in feedback
    assert "It only reads the history." in feedback
    assert "3) git restore file.txt, which does the same as checkout (correct)" in feedback
    assert "4) git status, which reports what changed (not correct)" in feedback
    assert "It reports; it changes nothing." not in feedback  # not chosen, not correct
    assert "Checkout and restore rewrite files; git log only reads history." in feedback
