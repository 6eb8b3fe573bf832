"""A full disk, and a SQLite file or folder this user may only read.

Issue #10, fault 4: a full disk mid-quiz gave a 60-line traceback, and "disk I/O
error" at start instead of "disk full"; a read-only file crashed the answer
with "attempt to write a readonly database"; a read-only folder refused even
`report`, because WAL mode was set just to read. Now reading commands work on a
read-only database and writing ones say exactly why they cannot.

The disk is a 4 MB tmpfs mounted for the test; the read-only cases run the CLI
as user nobody (root may write anywhere), and once as root on a file system
mounted read-only.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine.quiz.model import Answer, QuizLength, QuizRequest
from engine.service import quiz_service
from engine.service.bank_service import import_bank
from engine.service.quiz_service import QuizService
from engine.service.storage import open_database
from engine.service.storage_errors import AnswerNotSavedError
from tests.faults.conftest import CLI, LEAKS, Run, cli_environment, fill, run_cli, small_bank
from tests.faults.servers import PostgresCluster, wait_until

READ_ONLY_ADVICE = (
    "reading commands (report, responses export, db current) still work; to write, get write "
    "access or work on a copy (--db sqlite:///path/to/copy.db)"
)


def _database_with_a_quiz(path: Path, folder: Path) -> str:
    """A SQLite file at `path` with a small bank and one finished quiz of learner ana."""
    url = f"sqlite:///{path}"
    opened = open_database(url)
    import_bank(opened.database, small_bank(folder))
    opened.database.dispose()
    result = run_cli(
        ["quiz", "--plain", "--length", "3", "--learner", "ana", "--db", url],
        folder,
        stdin="1\n" * 3,
    )
    assert result.returncode == 0, result.stderr
    return url


def _stored_answers(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM responses")).scalar() or 0)
    finally:
        engine.dispose()


# -- a full disk ---------------------------------------------------------------------------------


def test_a_full_disk_mid_quiz_loses_no_answer_and_says_so(small_disk: Path, tmp_path: Path) -> None:
    url = _database_with_a_quiz(small_disk / "team.db", tmp_path)
    process = subprocess.Popen(
        [*CLI, "quiz", "--plain", "--length", "6", "--learner", "bo", "--db", url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_environment(tmp_path),
    )
    assert process.stdin is not None
    process.stdin.write("1\n")
    process.stdin.flush()
    assert wait_until(lambda: _stored_answers(url) == 4, 60)
    fill(small_disk)
    stdout, stderr = process.communicate("1\n1\n", timeout=120)
    assert Run(process.returncode, stdout, stderr).one_error_line() == (
        "your answer was not saved: the disk is full; free some space, then run "
        "`skillprobe quiz --plain --resume`"
    )
    (small_disk / "filler").unlink()
    assert _stored_answers(url) == 4
    resumed = run_cli(
        ["quiz", "--plain", "--resume", "--learner", "bo", "--db", url], tmp_path, stdin="1\n" * 6
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming quiz 2 (1 answered)." in resumed.stderr
    assert _stored_answers(url) == 3 + 6


def test_a_full_disk_at_start_says_disk_full_not_an_io_error(
    small_disk: Path, tmp_path: Path
) -> None:
    fill(small_disk)
    result = run_cli(["quiz", "--plain", "--db", f"sqlite:///{small_disk / 'new.db'}"], tmp_path)
    assert result.one_error_line().startswith(
        f"the disk is full: no space left on the file system holding {small_disk / 'new.db'}"
    )


def test_reading_still_works_on_a_full_disk(small_disk: Path, tmp_path: Path) -> None:
    url = _database_with_a_quiz(small_disk / "team.db", tmp_path)
    fill(small_disk)
    report = run_cli(["report", "--learner", "ana", "--db", url], tmp_path)
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("Readiness report for ana: quiz 1")


# -- read-only files and folders, as a user who may not write them --------------------------------


@pytest.fixture
def team_file(shared_folder: Path) -> Path:
    """A database with one finished quiz, owned by root in a folder of its own."""
    folder = shared_folder / "team"
    folder.mkdir()
    path = folder / "team.db"
    _database_with_a_quiz(path, shared_folder)
    # A clean close merges the WAL: no -wal or -shm is left for a reader to reuse.
    assert not (folder / "team.db-wal").exists()
    return path


def _lock_down(path: Path, *, file: bool, folder: bool) -> None:
    path.chmod(0o644 if file else 0o666)
    path.parent.chmod(0o755 if folder else 0o777)


READING_COMMANDS = [
    pytest.param(["report", "--learner", "ana"], "Readiness report for ana", id="report"),
    pytest.param(["db", "current"], "(up to date)", id="db-current"),
    pytest.param(["responses", "export", "--out", "-"], "1 learners", id="responses-export"),
    pytest.param(["calibrate", "--dry-run"], "", id="calibrate-dry-run"),
]


@pytest.mark.parametrize(("file", "folder"), [(True, False), (False, True), (True, True)])
@pytest.mark.parametrize(("command", "expected"), READING_COMMANDS)
def test_reading_commands_work_on_a_database_nobody_may_write(
    team_file: Path,
    other_user: str,
    shared_folder: Path,
    file: bool,
    folder: bool,
    command: list[str],
    expected: str,
) -> None:
    _lock_down(team_file, file=file, folder=folder)
    before = sorted(p.name for p in team_file.parent.iterdir())
    result = run_cli([*command, "--db", f"sqlite:///{team_file}"], shared_folder, user=other_user)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout + result.stderr
    for leak in LEAKS:
        assert leak not in result.stderr
    if folder:  # nothing was created beside the file: no -wal, no -shm
        assert sorted(p.name for p in team_file.parent.iterdir()) == before


@pytest.mark.parametrize(
    ("file", "folder", "why"),
    [
        (True, False, "the file is not writable by nobody"),
        (
            False,
            True,
            "its folder {folder} is not writable by nobody, and SQLite needs to create "
            "team.db-wal and team.db-shm there",
        ),
    ],
)
def test_writing_commands_say_exactly_why_they_cannot(
    team_file: Path, other_user: str, shared_folder: Path, file: bool, folder: bool, why: str
) -> None:
    _lock_down(team_file, file=file, folder=folder)
    url = f"sqlite:///{team_file}"
    reason = why.format(folder=team_file.parent)
    for command in (["quiz", "--plain", "--learner", "ana"], ["bank", "import"], ["calibrate"]):
        result = run_cli([*command, "--db", url], shared_folder, user=other_user, stdin="1\n")
        assert result.one_error_line() == (
            f"the database is read-only: {team_file}: {reason}; {READ_ONLY_ADVICE}"
        ), command
    assert _stored_answers(url) == 3


def test_a_read_only_mount_is_named_as_such(small_disk: Path, tmp_path: Path) -> None:
    """Root may write any file, but not on a file system mounted read-only."""
    url = _database_with_a_quiz(small_disk / "team.db", tmp_path)
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True, check=False
    )
    if remount.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remount.stderr.strip()}")
    try:
        assert run_cli(["report", "--learner", "ana", "--db", url], tmp_path).returncode == 0
        line = run_cli(["quiz", "--plain", "--db", url], tmp_path).one_error_line()
        assert line.startswith(
            f"the database is read-only: {small_disk / 'team.db'}: the file system holding it "
            "is mounted read-only;"
        )
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=False)


def test_a_wal_database_left_open_by_its_owner_is_read_with_its_latest_answers(
    team_file: Path, other_user: str, shared_folder: Path
) -> None:
    """The owner's process still has it open (-wal and -shm exist, owned by root): a
    read-only reader must see the answers in the WAL, not only those in the file."""
    import sqlite3

    owner = sqlite3.connect(team_file)
    owner.execute("PRAGMA journal_mode=WAL")
    owner.execute("PRAGMA wal_autocheckpoint=0")
    owner.execute("UPDATE learners SET name = 'ana-renamed' WHERE name = 'ana'")
    owner.commit()
    try:
        assert (team_file.parent / "team.db-wal").stat().st_size > 0
        _lock_down(team_file, file=True, folder=True)
        result = run_cli(
            ["report", "--learner", "ana-renamed", "--db", f"sqlite:///{team_file}"],
            shared_folder,
            user=other_user,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Readiness report for ana-renamed")
    finally:
        owner.close()


@pytest.mark.postgres
def test_a_full_disk_on_the_postgresql_server(
    postgres_cluster: PostgresCluster,
    cluster_database: str,
    small_disk: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The answers table lives on the small disk (a tablespace); the server's WAL does not,
    so the server says "could not extend file" (SQLSTATE 53100) instead of stopping."""
    import psycopg

    monkeypatch.setattr(quiz_service, "RETRY_PAUSE_SECONDS", 0.1)
    space = small_disk / "tablespace"
    space.mkdir()
    if postgres_cluster.user is not None:
        shutil.chown(space, postgres_cluster.user)
    name = f"small_{cluster_database.rsplit('/', 1)[1]}"
    opened = open_database(cluster_database)
    import_bank(opened.database, small_bank(tmp_path))
    service = QuizService(opened.database, seed_source=lambda: 3)
    quiz = service.start_quiz(
        QuizRequest("ana", ("math",), "practice", QuizLength(preset=None, length=4))
    )
    with psycopg.connect(cluster_database, autocommit=True) as connection:
        connection.execute(f"CREATE TABLESPACE {name} LOCATION '{space}'")
        connection.execute(f"ALTER TABLE responses SET TABLESPACE {name}")
    try:
        question = service.next_question(quiz.session_id)
        assert question is not None
        fill(small_disk)
        with pytest.raises(AnswerNotSavedError) as raised:
            service.submit(question, Answer(choices=(0,)), 1000)
        assert str(raised.value) == (
            "your answer was not saved: the database server's disk is full; free some space, "
            "then run `skillprobe quiz --resume`"
        )
        (small_disk / "filler").unlink()
        again = service.next_question(quiz.session_id)
        assert again is not None and again.number == 1
        service.submit(again, Answer(choices=(0,)), 1000)
    finally:
        opened.database.dispose()
        with psycopg.connect(cluster_database, autocommit=True) as connection:
            connection.execute("DROP TABLE responses CASCADE")  # practice reviews refer to it
            connection.execute(f"DROP TABLESPACE {name}")


def test_an_io_error_on_a_full_disk_is_called_disk_full(small_disk: Path) -> None:
    """SQLite reports some writes on a full disk as SQLITE_IOERR_* (creating the -shm, say):
    the file system decides which line the user reads."""
    import sqlite3

    from engine.db.classify import FaultContext, classify
    from engine.db.faults import DiskError, DiskFullError
    from engine.db.location import check_url

    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = sqlite3.SQLITE_IOERR_SHMSIZE  # type: ignore[attr-defined]
    context = FaultContext(check_url(f"sqlite:///{small_disk / 'team.db'}"))
    assert type(classify(error, context)) is DiskError
    fill(small_disk)
    assert type(classify(error, context)) is DiskFullError
