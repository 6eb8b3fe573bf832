"""`skillprobe team` from the command line: one clear line on SQLite, a set-up on PostgreSQL."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest

from engine.cli.main import main
from engine.service.storage import open_database
from tests.team.conftest import _drop, login


@pytest.mark.parametrize(
    "action",
    [["init"], ["add-learner", "ana"], ["add-instructor", "teacher"], ["status"]],
    ids=lambda action: action[0],
)
def test_on_sqlite_every_team_command_says_it_needs_postgresql(
    action: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    with pytest.raises(SystemExit) as exit_:
        main(["team", *action, "--db", url])
    assert exit_.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "team set-up needs PostgreSQL" in err[0]
    assert "Traceback" not in err[0]


@pytest.mark.postgres
def test_a_team_set_up_from_the_command_line(
    postgres_url: str, worker_id: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    from tests.conftest import worker_schema

    prefix = "c" + uuid.uuid4().hex[:10]
    roles = [f"{prefix}_instructors", f"{prefix}_learners", f"{prefix}_zoe", f"{prefix}_kim"]
    open_database(postgres_url).database.dispose()
    try:
        assert main(["team", "init", "--prefix", prefix, "--db", postgres_url]) == 0
        assert f"instructors' role {prefix}_instructors" in capsys.readouterr().out
        assert (
            main(["team", "add-learner", "Zoë", "--role", f"{prefix}_zoe", "--db", postgres_url])
            == 0
        )
        out = capsys.readouterr().out
        password = re.search(r"password \(shown once, not stored\): (\S+)", out)
        assert password is not None and len(password.group(1)) >= 20
        assert "created learner Zoë" in out
        zoe = login(postgres_url, f"{prefix}_zoe", password.group(1))
        zoe.dispose()

        monkeypatch.setattr("sys.stdin", io.StringIO("kim-secret\n"))
        args = ["team", "add-instructor", f"{prefix}_kim", "--password-stdin", "--db", postgres_url]
        assert main(args) == 0
        assert "kim-secret" in capsys.readouterr().out  # the URL to hand over
        login(postgres_url, f"{prefix}_kim", "kim-secret").dispose()

        assert main(["team", "status", "--db", postgres_url]) == 0
        status = capsys.readouterr().out
        assert f"members: {prefix}_kim" in status
        assert f"{prefix}_zoe: Zoë" in status

        with pytest.raises(SystemExit):
            main(["team", "add-learner", "bad", "--role", "Bad-Name", "--db", postgres_url])
        assert "not a usable role name" in capsys.readouterr().err
    finally:
        _drop(postgres_url, worker_schema(worker_id) or "public", roles)
