"""Nothing waits for ever: a server that accepts and never answers, and statements that run
too long, on both backends.

Issue #10, fault 2: `skillprobe --db postgresql://...@host:5499/x report` against a
listener that never replied hung for ever. Now every command that opens the
database, and the app, gives one line within the connect timeout.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import pytest

from engine.cli.main import build_parser
from engine.db.database import Database
from engine.db.timeouts import Timeouts
from engine.service.storage_errors import DatabaseTimeoutError
from tests.faults.conftest import CLI, LEAKS, Run, cli_environment
from tests.faults.servers import SilentListener
from tests.tui.helpers import pilot_test, wait_until
from tui.app import SkillprobeApp
from tui.clock import FrozenClock

# Every command that opens the database, with what it needs besides --db. A new command
# with a --db option must be added here (the first test checks that none is missing).
DATABASE_COMMANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("quiz",): ("--plain", "--length", "3"),
    ("report",): (),
    ("bank", "import"): (),
    ("db", "upgrade"): (),
    ("db", "current"): (),
    ("calibrate",): (),
    ("responses", "export"): ("--out", "answers.csv"),
    ("cohort", "add"): ("group-a", "ada"),
    ("cohort", "remove"): ("group-a", "ada"),
    ("cohort", "delete"): ("group-a",),
    ("cohort", "list"): (),
    ("cohort", "report"): ("group-a",),
    ("team", "init"): (),
    ("team", "add-learner"): ("ada",),
    ("team", "add-instructor"): ("ines",),
    ("team", "status"): (),
    ("practice",): ("--plain",),
    ("practice", "status"): (),
    ("practice", "export"): ("--anki", "deck.apkg", "--missed"),
}


def _commands_with_database_option(parser: argparse.ArgumentParser) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()

    def walk(node: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        children = [
            action for action in node._actions if isinstance(action, argparse._SubParsersAction)
        ]
        if path and any("--db" in action.option_strings for action in node._actions):
            found.add(path)
        for action in children:
            for name, child in action.choices.items():
                walk(child, (*path, name))

    walk(parser, ())
    return found


def test_every_command_that_opens_the_database_is_probed() -> None:
    assert _commands_with_database_option(build_parser()) == set(DATABASE_COMMANDS)


def test_a_silent_server_gives_every_command_one_line_within_the_connect_timeout(
    silent_listener: SilentListener, tmp_path: Path
) -> None:
    env = cli_environment(tmp_path, SKILLPROBE_CONNECT_TIMEOUT="2")
    processes = {
        path: subprocess.Popen(
            [*CLI, *path, *extra, "--db", silent_listener.url()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        for path, extra in DATABASE_COMMANDS.items()
    }
    for path, process in processes.items():
        # Far above the 2 s connect timeout: only a hang reaches it.
        stdout, stderr = process.communicate(timeout=90)
        line = Run(process.returncode, stdout, stderr).one_error_line()
        assert line == (
            f"the database is unavailable: no reply from 127.0.0.1:{silent_listener.port} "
            "within 2 s (the connect timeout); check that the server is up and reachable from "
            "here; raise SKILLPROBE_CONNECT_TIMEOUT if it is just slow"
        ), path


def test_connect_timeout_in_the_url_wins_over_the_environment(
    silent_listener: SilentListener, tmp_path: Path
) -> None:
    result = subprocess.run(
        [*CLI, "report", "--db", silent_listener.url() + "?connect_timeout=3"],
        capture_output=True,
        text=True,
        env=cli_environment(tmp_path, SKILLPROBE_CONNECT_TIMEOUT="60"),
        timeout=60,
        check=False,
    )
    assert (
        "within 3 s (the connect timeout)"
        in Run(result.returncode, result.stdout, result.stderr).one_error_line()
    )


@pilot_test
async def test_the_app_explains_a_silent_server_on_home_and_stays_usable(
    silent_listener: SilentListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLPROBE_CONNECT_TIMEOUT", "2")
    app = SkillprobeApp(silent_listener.url(), "ada", clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: not app.state.loading, timeout=60, what="the timeout")
        assert app.state.error is not None
        assert f"no reply from 127.0.0.1:{silent_listener.port} within 2 s" in app.state.error
        for leak in LEAKS:
            assert leak not in app.state.error
        await pilot.press("s")  # starting a quiz is refused with a notice, no crash
        assert type(app.screen).__name__ == "HomeScreen"


# -- statements that run too long ---------------------------------------------------------------

# A query that never ends on its own: counting up a recursive CTE (SQLite and PostgreSQL).
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_a_runaway_statement_is_stopped_at_the_statement_timeout(database_url: str) -> None:
    database = Database(database_url, timeouts=Timeouts(statement=1.0))
    try:
        with pytest.raises(DatabaseTimeoutError) as raised, database.reader() as session:
            session.connection().exec_driver_sql(ENDLESS).scalar()
        assert str(raised.value) == (
            "a database statement took too long: stopped after 1 s (the statement timeout); "
            "try again; raise SKILLPROBE_STATEMENT_TIMEOUT (0 for none) if the database is "
            "just slow"
        )
        with database.reader() as session:  # the connection is usable afterwards
            assert session.connection().exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        database.dispose()


def test_setup_work_may_run_longer_than_the_statement_timeout(database_url: str) -> None:
    """Migrations and bank imports run under the setup timeout instead."""
    database = Database(database_url, timeouts=Timeouts(statement=0.3, setup=60))
    slow = "SELECT pg_sleep(1)" if database.backend == "postgresql" else LONG_SQLITE
    try:
        with pytest.raises(DatabaseTimeoutError), database.reader() as session:
            session.connection().exec_driver_sql(slow)
        started = time.monotonic()
        with database.setup_transaction() as connection:
            connection.exec_driver_sql(slow)
        # Not a speed check: the probe must outlast the statement timeout to test anything.
        assert time.monotonic() - started > 0.3
    finally:
        database.dispose()


# Several seconds of SQLite work in one statement (counting to 20 million).
LONG_SQLITE = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000000) "
    "SELECT count(*) FROM n"
)
