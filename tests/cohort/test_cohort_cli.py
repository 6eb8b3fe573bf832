"""`skillprobe cohort` and `quiz --cohort` in the shell: formats, hostile names, bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from engine.cli.main import main
from engine.db.database import Database
from engine.service.cohort_service import CohortService
from engine.service.quiz_service import QuizService
from tests.team.conftest import take_quiz

#: A learner name that tries everything: a terminal title and bell, a screen clear,
#: a bidirectional override, Markdown, a table pipe and a spreadsheet formula.
HOSTILE = '=HYPERLINK("http://x")\x1b]0;pwned\x07\x1b[2J\u202e*bold* | [link](x)'


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def cohort_url(bank_database: Database) -> str:
    for seed, name in enumerate(("ana", HOSTILE)):
        take_quiz(bank_database, name, seed=seed, length=8)
    CohortService(bank_database).add("spring", ["ana", HOSTILE])
    return bank_database.url


def test_add_list_remove_delete(bank_database: Database, capsys) -> None:
    take_quiz(bank_database, "ana", seed=1)
    url = bank_database.url
    assert run(capsys, "cohort", "add", "spring", "ana", "--db", url)[1] == (
        "created cohort spring\n1 learner added to spring\n"
    )
    assert run(capsys, "cohort", "list", "--db", url)[1].startswith("spring  1 member  since ")
    assert run(capsys, "cohort", "list", "spring", "--db", url)[1] == "ana\n"
    assert run(capsys, "cohort", "remove", "spring", "ana", "--db", url)[1] == (
        "1 learner removed from spring\n"
    )
    assert (
        "deleted cohort spring (0 members"
        in run(capsys, "cohort", "delete", "spring", "--db", url)[1]
    )
    assert "no cohorts yet" in run(capsys, "cohort", "list", "--db", url)[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cohort", "report", "nope"), "no cohort named 'nope'"),
        (
            ("cohort", "report", "spring", "--since", "2026-13-40"),
            "--since '2026-13-40' is not a date",
        ),
        (("cohort", "report", "spring", "--until", "soon"), "--until 'soon' is not a date"),
        (("cohort", "add", "spring", "zed"), "no learner named 'zed'"),
        (("cohort", "add", "bad\x1bname"), "control characters"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(cohort_url: str, capsys, args, message) -> None:
    code, out, err = run(capsys, *args, "--db", cohort_url)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "\x1b" not in err


def test_text_and_markdown_never_carry_control_characters_or_markup(
    cohort_url: str, capsys
) -> None:
    for fmt in ("text", "markdown"):
        code, out, _ = run(
            capsys, "cohort", "report", "spring", "--format", fmt, "--db", cohort_url
        )
        assert code == 0
        assert not any(ord(ch) < 32 and ch != "\n" for ch in out)
        assert "\u202e" not in out and "\x07" not in out
        assert "Cohort report" in out and "Learners" in out
    markdown = run(
        capsys, "cohort", "report", "spring", "--format", "markdown", "--db", cohort_url
    )[1]
    row = next(line for line in markdown.splitlines() if "HYPERLINK" in line)
    assert "\\*bold\\*" in row and "\\| \\[link\\]" in row  # escaped: shown, not rendered


def test_json_has_one_entry_per_learner_and_figures_per_area(cohort_url: str, capsys) -> None:
    code, out, _ = run(capsys, "cohort", "report", "spring", "--format", "json", "--db", cohort_url)
    assert code == 0
    data = json.loads(out)
    assert [learner["name"] for learner in data["learners"]] == sorted(
        ["ana", HOSTILE], key=str.casefold
    )
    assert set(data["areas"]) == {"programming", "math", "ml", "swe"}
    math_area = data["areas"]["math"]
    assert math_area["measured"] == 2
    assert set(math_area["levels"]) == {"Foundations", "Developing", "Job-ready", "Strong"}
    assert sum(level["expected"] for level in math_area["levels"].values()) == pytest.approx(1.0)
    assert "\x1b" not in out  # JSON escapes it (\u001b): data, not terminal codes


def test_csv_has_a_row_per_learner_and_area_and_no_formulas(cohort_url: str, capsys) -> None:
    code, out, _ = run(capsys, "cohort", "report", "spring", "--format", "csv", "--db", cohort_url)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 * 4
    hostile = [row for row in rows if "HYPERLINK" in row["learner"]]
    assert hostile and all(row["learner"].startswith("'=HYPERLINK") for row in hostile)
    assert all("\x1b" not in row["learner"] and "\x07" not in row["learner"] for row in rows)
    measured = [row for row in rows if row["area"] == "math"]
    assert all(0.0 <= float(row["p_job_ready"]) <= 1.0 for row in measured)


def test_quiz_with_cohort_joins_before_it_starts(
    bank_database: Database, capsys, monkeypatch
) -> None:
    url = bank_database.url
    CohortService(bank_database).add("spring", [])
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # end of input at once: the quiz is saved
    code, _, err = run(
        capsys,
        "quiz",
        "--plain",
        "--length",
        "4",
        "--learner",
        "neo",
        "--cohort",
        "spring",
        "--db",
        url,
    )
    assert code == 0 and "neo joined cohort spring" in err
    monkeypatch.setenv("SKILLPROBE_COHORT", "spring")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, "quiz", "--plain", "--length", "4", "--learner", "trin", "--db", url)
    assert code == 0 and "trin joined cohort spring" in err
    assert CohortService(bank_database).members("spring") == ["neo", "trin"]

    monkeypatch.setenv("SKILLPROBE_COHORT", "sprung")
    code, out, err = run(
        capsys, "quiz", "--plain", "--length", "4", "--learner", "morph", "--db", url
    )
    assert code == 1 and "did you mean 'spring'" in err and "Quiz" not in out
    assert "morph" not in QuizService(bank_database).learners()
