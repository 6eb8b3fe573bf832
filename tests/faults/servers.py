"""Servers to break on purpose: a throw-away PostgreSQL cluster, a listener that never
answers, and a proxy that drops a connection right after it forwards a COMMIT.

The suite's shared PostgreSQL server (SKILLPROBE_TEST_DATABASE_URL) is never
restarted or stopped: restarts happen on a cluster of this test run's own, made
with ``initdb`` in a temporary folder and run by ``pg_ctl`` on a free port (as
the ``postgres`` user when the tests run as root, since PostgreSQL refuses to
run as root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


def postgres_binaries() -> Path | None:
    """The folder with initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresCluster:
    """A PostgreSQL server of the test's own: restart it, stop it, start it again."""

    binaries: Path
    folder: Path
    port: int
    user: str | None  # who runs the server (None: the current user)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.binaries / arguments[0]), *arguments[1:]]
        if self.user is not None:
            command = ["setpriv", f"--reuid={self.user}", f"--regid={self.user}", "--init-groups"]
            command += [str(self.binaries / arguments[0]), *arguments[1:]]
        return subprocess.run(
            command, capture_output=True, text=True, check=check, cwd=self.folder, timeout=120
        )

    def initialise(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=16MB"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_cluster(folder: Path) -> PostgresCluster | str:
    """A running throw-away cluster in `folder`, or the reason there cannot be one."""
    binaries = postgres_binaries()
    if binaries is None:
        return "PostgreSQL's initdb and pg_ctl are not installed (.ci/run installs them)"
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run a cluster as"
        user = "postgres"
        shutil.chown(folder, user)
        folder.chmod(0o700)
    cluster = PostgresCluster(binaries, folder, free_port(), user)
    try:
        cluster.initialise()
        cluster.start()
    except subprocess.CalledProcessError as error:
        return f"could not start a throw-away PostgreSQL cluster: {error.stderr.strip()[-300:]}"
    return cluster


@dataclass
class SilentListener:
    """Accepts TCP connections and never sends a byte: a hung server or a black-holed port."""

    port: int = field(default_factory=free_port)
    _server: socket.socket | None = None
    _accepted: list[socket.socket] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> SilentListener:
        self._server = socket.create_server(("127.0.0.1", self.port), backlog=64)
        self._server.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        assert self._server is not None
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                connection, _ = self._server.accept()
                self._accepted.append(connection)

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for connection in self._accepted:
            connection.close()
        if self._server is not None:
            self._server.close()

    def url(self) -> str:
        return f"postgresql://learner@127.0.0.1:{self.port}/skillprobe"


class CommitDroppingProxy:
    """A TCP proxy to PostgreSQL that can lose the reply to a COMMIT.

    Armed, it forwards the next COMMIT to the server (which commits) and then
    closes both sides before the server's reply reaches the client: the
    client cannot know whether its transaction was stored. That is the
    ambiguous commit a retry must not duplicate.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.armed = threading.Event()
        self.dropped = threading.Event()
        self._swallow = threading.Event()  # the server's replies stop reaching the client
        self._server = socket.create_server(("127.0.0.1", self.port), backlog=64)
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self._sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, from_client: bool) -> None:
        try:
            while data := source.recv(65536):
                committing = from_client and self.armed.is_set() and b"COMMIT" in data
                if committing:
                    self.armed.clear()
                    self._swallow.set()
                if not from_client and self._swallow.is_set():
                    continue  # the reply is lost on its way back
                target.sendall(data)
                if committing:
                    # Let the server apply the COMMIT, then cut both ways.
                    time.sleep(0.3)
                    for sock in (source, target):
                        with contextlib.suppress(OSError):
                            sock.shutdown(socket.SHUT_RDWR)
                    self._swallow.clear()
                    self.dropped.set()
                    return
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.close()


def wait_until(condition: object, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def stopped(cluster: PostgresCluster) -> Iterator[None]:
    """The server is down inside the block and up again after it."""
    cluster.stop()
    try:
        yield
    finally:
        cluster.start()
