"""A PostgreSQL server restarted or stopped mid-quiz, and a COMMIT whose reply is lost.

Issue #10, fault 1: a restart between two answers crashed the next one with a
76-line traceback that printed the SQL and the learner's answer. Now pooled
connections are checked before use (a restart costs a reconnect), a lost
connection gets one retry that first looks whether the answer was stored, and
otherwise the learner reads one line and resumes later. Every answer is stored
exactly once (the unique key on quiz and position stays).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine.quiz.model import Answer, QuizLength, QuizRequest
from engine.service import quiz_service
from engine.service.bank_service import import_bank
from engine.service.quiz_service import QuizService
from engine.service.storage import open_database
from engine.service.storage_errors import AnswerNotSavedError, DatabaseUnavailableError
from tests.faults.conftest import CLI, LEAKS, cli_environment, small_bank
from tests.faults.servers import CommitDroppingProxy, PostgresCluster, stopped, wait_until

pytestmark = pytest.mark.postgres

SECRET_ANSWER = "my secret answer 42"
PLAIN_OPTIONS = ("--length", "6", "--areas", "math", "--learner", "kim", "--seed", "3")


def _answers(url: str) -> list[tuple[int, int, str]]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT session_id, position, raw_answer FROM responses ORDER BY 1, 2")
            ).all()
    finally:
        engine.dispose()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _service(url: str, tmp_path: Path) -> tuple[QuizService, int]:
    opened = open_database(url)
    import_bank(opened.database, small_bank(tmp_path))
    service = QuizService(opened.database, seed_source=lambda: 7)
    quiz = service.start_quiz(
        QuizRequest("ana", ("math",), "practice", QuizLength(preset=None, length=8))
    )
    return service, quiz.session_id


def _answer(service: QuizService, quiz_id: int) -> None:
    question = service.next_question(quiz_id)
    assert question is not None
    service.submit(question, Answer(choices=(0,)), 1000)


def test_a_restart_between_answers_costs_a_reconnect_not_an_error(
    postgres_cluster: PostgresCluster, cluster_database: str, tmp_path: Path
) -> None:
    service, quiz_id = _service(cluster_database, tmp_path)
    _answer(service, quiz_id)
    postgres_cluster.restart()
    _answer(service, quiz_id)  # the pooled connection is dead; pre-ping replaces it
    _answer(service, quiz_id)
    assert [(q, n) for q, n, _ in _answers(cluster_database)] == [(quiz_id, n) for n in (1, 2, 3)]


def test_a_stopped_server_loses_no_answer_and_says_how_to_resume(
    postgres_cluster: PostgresCluster,
    cluster_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(quiz_service, "RETRY_PAUSE_SECONDS", 0.1)
    service, quiz_id = _service(cluster_database, tmp_path)
    _answer(service, quiz_id)
    question = service.next_question(quiz_id)
    assert question is not None
    with stopped(postgres_cluster):
        with pytest.raises(AnswerNotSavedError) as raised:
            service.submit(question, Answer(text=SECRET_ANSWER), 1000)
        assert str(raised.value) == (
            "your answer was not saved: the database is unavailable; run `skillprobe quiz --resume`"
        )
        with pytest.raises(DatabaseUnavailableError):  # reading is refused too, in one line
            service.progress(quiz_id)
    # Back up: the same question is asked again (the quiz replays what is stored).
    again = service.next_question(quiz_id)
    assert again is not None and again.number == 2 and again.version_id == question.version_id
    service.submit(again, Answer(choices=(0,)), 1000)
    assert [n for _, n, _ in _answers(cluster_database)] == [1, 2]


def test_an_answer_whose_commit_reply_was_lost_is_stored_once(
    postgres_cluster: PostgresCluster, cluster_database: str, tmp_path: Path
) -> None:
    """The commit reached the server but its reply did not reach skillprobe: the retry
    finds the stored answer instead of storing it again or giving up."""
    proxy = CommitDroppingProxy(postgres_cluster.port)
    try:
        database_name = cluster_database.rsplit("/", 1)[1]
        service, quiz_id = _service(proxy.url(database_name), tmp_path)
        _answer(service, quiz_id)
        question = service.next_question(quiz_id)
        assert question is not None
        proxy.armed.set()
        receipt = service.submit(question, Answer(choices=(1,)), 1000)
        assert proxy.dropped.is_set(), "the proxy never saw the COMMIT"
        stored = _answers(cluster_database)
        assert [n for _, n, _ in stored] == [1, 2]
        assert receipt.progress.answered == 2
        _answer(service, quiz_id)
        assert [n for _, n, _ in _answers(cluster_database)] == [1, 2, 3]
    finally:
        proxy.close()


def _plain_quiz(url: str, data_home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "quiz", "--plain", *PLAIN_OPTIONS, "--db", url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_environment(data_home),
    )


def _type(process: subprocess.Popen[str], line: str, url: str, stored: int) -> None:
    """Type an answer and wait until `stored` answers are in the database."""
    assert process.stdin is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()
    assert wait_until(lambda: len(_answers(url)) >= stored, 60), "the answer was not stored"


def test_quiz_plain_survives_a_restart_and_reports_a_stop_in_one_line(
    postgres_cluster: PostgresCluster, cluster_database: str, tmp_path: Path
) -> None:
    """As a learner would meet it: a real `quiz --plain` process, the server restarted
    between two answers, then stopped before a third."""
    opened = open_database(cluster_database)
    import_bank(opened.database, small_bank(tmp_path))
    opened.database.dispose()
    process = _plain_quiz(cluster_database, tmp_path)
    _type(process, "1", cluster_database, 1)
    postgres_cluster.restart()
    _type(process, "2", cluster_database, 2)
    with stopped(postgres_cluster):
        stdout, stderr = process.communicate("1\n", timeout=120)
    assert process.returncode == 1, stderr
    assert stderr.strip().splitlines() == [
        "skillprobe: error: your answer was not saved: the database is unavailable; run "
        "`skillprobe quiz --plain --resume`"
    ]
    for leak in LEAKS:
        assert leak not in stderr + stdout
    assert len(_answers(cluster_database)) == 2

    resumed = subprocess.run(
        [*CLI, "quiz", "--plain", "--resume", "--learner", "kim", "--db", cluster_database],
        input="1\n" * 6,
        capture_output=True,
        text=True,
        env=cli_environment(tmp_path),
        timeout=120,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming quiz 1 (2 answered)." in resumed.stderr
    positions = [n for _, n, _ in _answers(cluster_database)]
    assert positions == sorted(set(positions)) and positions[:3] == [1, 2, 3]


def test_the_server_going_away_while_idle_is_noticed_before_use(
    postgres_cluster: PostgresCluster, cluster_database: str, tmp_path: Path
) -> None:
    """Every backend is terminated (as a failover does); the next read reconnects."""
    service, quiz_id = _service(cluster_database, tmp_path)
    _answer(service, quiz_id)
    engine = create_engine(postgres_cluster.url().replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": cluster_database.rsplit("/", 1)[1]},
        )
    engine.dispose()
    time.sleep(0.2)
    assert service.quizzes("ana")[0].answered == 1
    _answer(service, quiz_id)
