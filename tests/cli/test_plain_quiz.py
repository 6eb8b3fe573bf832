"""`skillprobe quiz --plain` and `skillprobe report`, driven as a user would drive them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from engine.db.models import Response
from engine.service.bank_service import import_bank
from engine.service.storage import open_database
from tests.bank.bank_factory import write_bank
from tests.cli.helpers import run_cli
from tests.conftest import REPO_ROOT

SMALL_BANK = {
    "math/probability.yaml": """\
- id: probability-001
  type: numeric
  difficulty: 2
  prompt: What is 1/2 as a decimal?
  explanation: One divided by two.
  answer: 0.5
- id: probability-002
  type: numeric
  difficulty: 3
  prompt: What is 2/4 as a decimal?
  explanation: Two divided by four.
  answer: 0.5
""",
    "swe/git.yaml": """\
- id: git-001
  type: single
  difficulty: 3
  shuffle: false
  prompt: Which command records staged changes?
  explanation: A commit records what is staged.
  options:
    - text: "git commit"
      correct: true
    - text: "git add"
      feedback: That stages changes; it does not record them.
""",
}


@pytest.fixture
def small_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    database = open_database(url).database
    outcome = import_bank(database, write_bank(tmp_path / "bank", SMALL_BANK))
    assert outcome.summary is not None
    database.dispose()
    return url


def test_answers_that_do_not_fit_are_refused_and_asked_again(
    small_db: str, monkeypatch, capsys
) -> None:
    argv = ["quiz", "--plain", "--db", small_db, "--learner", "ann", "--length", "1"]
    code, out, _ = run_cli([*argv, "--areas", "swe"], "abc\n\nz\n3\nA\n", monkeypatch, capsys)
    assert code == 0
    assert "'abc' is not an option; type a number 1-2 or a letter A-B" in out
    assert "type an answer, or ? to skip" in out
    assert "'z' is not an option" in out
    assert "'3' is not an option" in out
    assert "Quiz 1 finished: 1 of 1 correct." in out
    code, out, _ = run_cli([*argv, "--areas", "math"], "abc\n1/2\n", monkeypatch, capsys)
    assert code == 0
    assert "'abc' is not a number; type e.g. 0.5, .5, 1/2 or 5e-1" in out
    assert "Quiz 2 finished: 1 of 1 correct." in out
    engine = create_engine(small_db)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Response)) == 2


def test_end_of_input_leaves_the_quiz_resumable(small_db: str, monkeypatch, capsys) -> None:
    argv = ["quiz", "--plain", "--db", small_db, "--learner", "bo"]
    code, out, _ = run_cli([*argv, "--areas", "math", "--length", "2"], "?\n", monkeypatch, capsys)
    assert code == 0
    assert "Skipped." in out
    assert "saved after 1 answer;" in out
    code, out, err = run_cli([*argv, "--resume"], ".5\n", monkeypatch, capsys)
    assert code == 0
    assert "Resuming quiz 1 (1 answered)." in err
    assert "Question 2" in out and "Question 1" not in out
    assert "Quiz 1 finished: 1 of 2 correct." in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--areas", "physics"], "unknown area physics"),
        (["--resume", "--learner", "nobody"], "unknown learner 'nobody'"),
        (["--precision", "0.3"], "--precision needs --max-items"),
    ],
)
def test_bad_arguments_exit_1_with_a_message(
    small_db: str, monkeypatch, capsys, argv: list[str], message: str
) -> None:
    code, _, err = run_cli(["quiz", "--plain", "--db", small_db, *argv], "", monkeypatch, capsys)
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_report_for_unknown_learner_or_session_exits_1(small_db: str, monkeypatch, capsys):
    code, _, err = run_cli(
        ["report", "--db", small_db, "--learner", "zed"], "", monkeypatch, capsys
    )
    assert (code, "unknown learner 'zed'" in err) == (1, True)
    code, _, err = run_cli(["report", "--db", small_db, "--session", "99"], "", monkeypatch, capsys)
    assert (code, "no quiz with id 99" in err) == (1, True)


def test_issue_example_ten_math_questions_then_json_report(monkeypatch, capsys, tmp_path) -> None:
    """The acceptance example: a piped 10-question math quiz, then the JSON report."""
    url = f"sqlite:///{tmp_path / 'shipped.db'}"
    argv = ["quiz", "--plain", "--areas", "math", "--length", "10", "--db", url]
    code, out, _ = run_cli(argv, "1\n" * 10, monkeypatch, capsys)
    assert code == 0, out
    code, out, _ = run_cli(
        ["report", "--latest", "--format", "json", "--db", url], "", monkeypatch, capsys
    )
    assert code == 0
    report = json.loads(out)
    math_area = report["areas"]["math"]
    assert set(math_area) >= {"estimate", "se", "level", "p_job_ready", "interval_90"}
    assert len(report["questions"]) == 10
    assert all(q["area"] == "math" for q in report["questions"])


def test_markdown_report_after_two_quizzes_has_every_part(monkeypatch, capsys, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'two.db'}"
    for seed, answers in (("1", "1\n" * 12), ("2", "2\n" * 12)):
        argv = [
            "quiz",
            "--plain",
            "--areas",
            "math,swe",
            "--length",
            "12",
            "--seed",
            seed,
            "--db",
            url,
        ]
        assert run_cli(argv, answers, monkeypatch, capsys)[0] == 0
    code, out, _ = run_cli(["report", "--format", "markdown", "--db", url], "", monkeypatch, capsys)
    assert code == 0
    for part in (
        "## Areas",
        "| Mathematics |",
        "| Software engineering |",
        "## Focus list",
        "## Review:",
        "**Right answer:**",
        "## Progress",
        "| 1 |",
        "| 2 |",
    ):
        assert part in out, part


def _count_responses(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM responses")) or 0
    finally:
        engine.dispose()


def test_a_killed_quiz_resumes_where_it_stopped(tmp_path: Path) -> None:
    """SIGKILL a real `quiz --plain` process mid-quiz; nothing answered is lost."""
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "XDG_DATA_HOME": str(tmp_path)}
    command = [
        sys.executable,
        "-m",
        "engine.cli.main",
        "quiz",
        "--plain",
        "--areas",
        "math",
        "--length",
        "10",
        "--seed",
        "5",
        "--learner",
        "kim",
        "--db",
        url,
    ]
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdin is not None
    for _ in range(4):
        process.stdin.write("1\n")
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _count_responses(url) >= 4:
                break
        except Exception:  # the schema may not exist yet
            pass
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert _count_responses(url) == 4

    engine = create_engine(url)
    with engine.connect() as connection:
        before = connection.execute(
            text("SELECT position, item_version_id, raw_answer FROM responses ORDER BY position")
        ).all()
    engine.dispose()

    resumed = subprocess.run(
        [*command[:-6], "--learner", "kim", "--db", url, "--resume"],
        input="1\n" * 10,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming quiz 1 (4 answered)." in resumed.stderr
    assert "Question 5 ·" in resumed.stdout and "Question 4 ·" not in resumed.stdout
    assert "Quiz 1 finished" in resumed.stdout
    engine = create_engine(url)
    with engine.connect() as connection:
        after = connection.execute(
            text("SELECT position, item_version_id, raw_answer FROM responses ORDER BY position")
        ).all()
        status = connection.scalar(text("SELECT status FROM quiz_sessions WHERE id = 1"))
    engine.dispose()
    assert [row[0] for row in after] == list(range(1, 11))
    assert after[:4] == before
    assert len({row[1] for row in after}) == 10
    assert status == "finished"
