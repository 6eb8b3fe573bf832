"""Database URLs and timeout settings: usable ones are understood, others refused in one line.

Issue #10, fault 6: `mysql://...` gave a ModuleNotFoundError traceback, a
non-numeric port a ValueError traceback, `--db ""` silently used the default
database, and a mistyped SQLite path silently created folders and an empty
database even for `report`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.cli.main import main
from engine.db.faults import DatabaseUrlError
from engine.db.location import check_url, locate_database
from engine.db.timeouts import Timeouts, timeouts_from_environment
from engine.service.storage import open_database

EXAMPLES = "sqlite:///path/to/file.db or postgresql://user@host/dbname"


@pytest.mark.parametrize(
    ("url", "line"),
    [
        (
            "mysql://coach@db/team",
            "--db names a database skillprobe does not support (mysql): mysql://coach@db/team; "
            f"skillprobe works with SQLite and PostgreSQL: use {EXAMPLES}",
        ),
        ("oracle://x", None),
        (
            "postgresql://coach:hunter2@db:5a32/team",
            "--db has a port that is not a number: postgresql://coach:***@db:5a32/team; write "
            "the port as digits, e.g. postgresql://user@host:5432/dbname",
        ),
        ("postgresql://coach@db:70000/team", None),
        (
            "postgresql+psycopg2://coach@db/team",
            "--db asks for the PostgreSQL driver psycopg2, which skillprobe does not use: "
            "postgresql+psycopg2://coach@db/team; write postgresql://user@host/dbname "
            "(skillprobe uses psycopg 3)",
        ),
        (
            "team.db",
            f"--db is not a database URL: team.db; write it as {EXAMPLES}",
        ),
        ("sqlite:///team.db?journal=wal", None),
        ("sqlite:///team.db?timeout=soon", None),
        ("postgresql://db/team?connect_timeout=-3", None),
        ("sqlite+pysqlcipher:///team.db", None),
    ],
)
def test_unusable_urls_are_refused_with_what_to_change(url: str, line: str | None) -> None:
    with pytest.raises(DatabaseUrlError) as raised:
        check_url(url, source="--db")
    message = str(raised.value)
    assert "hunter2" not in message and "\n" not in message
    if line is not None:
        assert message == line


def test_a_folder_is_not_a_database_file(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUrlError, match="points at a folder, not a database file"):
        check_url(f"sqlite:///{tmp_path}")


@pytest.mark.parametrize(
    ("url", "backend", "shown"),
    [
        ("postgresql://coach:hunter2@db/team", "postgresql", "postgresql://coach:***@db/team"),
        ("postgres://coach@db:5433/team", "postgresql", "postgres://coach@db:5433/team"),
        ("postgresql+psycopg://db/team?sslmode=require", "postgresql", None),
        ("sqlite:///team.db", "sqlite", "sqlite:///team.db"),
        ("sqlite:///team.db?timeout=20", "sqlite", None),
        ("sqlite://", "sqlite", None),
    ],
)
def test_usable_urls(url: str, backend: str, shown: str | None) -> None:
    location = check_url(url)
    assert location.backend == backend
    if backend == "postgresql":
        assert location.url.startswith("postgresql+psycopg://")
    if shown is not None:
        assert location.shown == shown


@given(st.text(max_size=80))
def test_any_text_is_a_usable_url_or_one_clear_refusal(text: str) -> None:
    try:
        check_url(text)
    except DatabaseUrlError as error:
        assert "\n" not in str(error) and str(error)


def test_an_empty_db_option_is_an_error_not_the_default(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUrlError) as raised:
        locate_database("", environ={})
    assert str(raised.value).startswith('the database URL is empty: --db ""; give a URL such as')


def test_the_environment_names_the_database_unless_empty(tmp_path: Path) -> None:
    assert locate_database(None, {"SKILLPROBE_DATABASE_URL": "postgresql://db/x"}).backend == (
        "postgresql"
    )
    assert locate_database(None, {"SKILLPROBE_DATABASE_URL": " "}).sqlite_file is not None
    assert locate_database(
        "sqlite:///a.db", {"SKILLPROBE_DATABASE_URL": "postgresql://db/x"}
    ).is_sqlite


# -- the CLI: one line, exit 1, nothing created ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["mysql://coach@db/team", "postgresql://coach@db:abc/team", "", "oracle://x", "nonsense"],
)
def test_cli_refuses_bad_urls_in_one_line(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", url]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("skillprobe: error: ")


def test_a_mistyped_path_creates_nothing_for_a_reading_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tpyo" / "team.db"
    for command in (["report"], ["db", "current"], ["responses", "export", "--out", "x.csv"]):
        assert main([*command, "--db", f"sqlite:///{path}"]) == 1
        assert capsys.readouterr().err == (
            f"skillprobe: error: no database: {path} (the folder {path.parent} does not exist "
            "either); check the path in --db; a command that writes (such as `skillprobe quiz`) "
            "creates a new one\n"
        )
    assert not path.parent.exists()


def test_no_database_yet_at_the_default_place(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("skillprobe: error: nothing is stored yet: there is no database at ")
    assert err.endswith(
        "; take a quiz first (`skillprobe quiz`), or name an existing database with --db\n"
    )


def test_a_writing_command_creates_the_database_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new" / "team.db"
    assert main(["db", "upgrade", "--db", f"sqlite:///{path}"]) == 0
    assert f"skillprobe: created a new database at {path}\n" == capsys.readouterr().err
    assert path.exists()
    assert main(["db", "upgrade", "--db", f"sqlite:///{path}"]) == 0
    assert capsys.readouterr().err == ""  # said once, by whoever created it


def test_an_empty_database_file_is_not_set_up_by_a_reading_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert main(["report", "--db", f"sqlite:///{path}"]) == 1
    assert capsys.readouterr().err == (
        f"skillprobe: error: the database is empty: {path}; check the URL; a command that "
        "writes (such as `skillprobe quiz`) sets it up\n"
    )
    assert path.stat().st_size == 0


# -- timeouts ---------------------------------------------------------------------------------


def test_timeouts_come_from_the_environment() -> None:
    assert timeouts_from_environment({}) == Timeouts()
    assert timeouts_from_environment(
        {
            "SKILLPROBE_CONNECT_TIMEOUT": "2.5",
            "SKILLPROBE_STATEMENT_TIMEOUT": "0",
            "SKILLPROBE_LOCK_TIMEOUT": " 12 ",
            "SKILLPROBE_SETUP_TIMEOUT": "600",
        }
    ) == Timeouts(connect=2.5, statement=0, lock=12, setup=600)


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "1e9"])
def test_an_unusable_timeout_names_the_variable(value: str) -> None:
    with pytest.raises(DatabaseUrlError) as raised:
        timeouts_from_environment({"SKILLPROBE_STATEMENT_TIMEOUT": value})
    assert str(raised.value).startswith(f"SKILLPROBE_STATEMENT_TIMEOUT={value!r} is not a usable")


def test_a_zero_connect_timeout_is_refused_rather_than_waiting_for_ever() -> None:
    with pytest.raises(DatabaseUrlError, match="SKILLPROBE_CONNECT_TIMEOUT='0'"):
        timeouts_from_environment({"SKILLPROBE_CONNECT_TIMEOUT": "0"})


@given(st.text(max_size=20))
def test_any_timeout_text_is_a_setting_or_one_clear_refusal(text: str) -> None:
    try:
        timeouts = timeouts_from_environment({"SKILLPROBE_LOCK_TIMEOUT": text})
    except DatabaseUrlError as error:
        assert str(error).startswith("SKILLPROBE_LOCK_TIMEOUT=")
    else:
        assert 0 <= timeouts.lock <= 86_400


def test_a_bad_timeout_stops_a_command_before_it_touches_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLPROBE_LOCK_TIMEOUT", "a while")
    path = tmp_path / "team.db"
    with pytest.raises(DatabaseUrlError):
        open_database(f"sqlite:///{path}")
    assert not path.exists()


def test_the_help_states_the_default_timeouts() -> None:
    from engine.cli.main import ENVIRONMENT_HELP

    defaults = Timeouts()
    for variable, seconds in (
        ("SKILLPROBE_CONNECT_TIMEOUT", defaults.connect),
        ("SKILLPROBE_STATEMENT_TIMEOUT", defaults.statement),
        ("SKILLPROBE_LOCK_TIMEOUT", defaults.lock),
    ):
        line = next(line for line in ENVIRONMENT_HELP.splitlines() if variable in line)
        assert line.endswith(f"({seconds:g})"), line
    assert f"({defaults.setup:g})" in ENVIRONMENT_HELP
