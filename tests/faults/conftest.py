"""Fixtures of the fault-injection suite: servers to break, a disk to fill, a user who may
not write, and the CLI run as a separate process, as a user runs it."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bank.bank_factory import single_item, write_bank
from tests.conftest import REPO_ROOT
from tests.faults.servers import PostgresCluster, SilentListener, start_cluster

# `skillprobe` from this checkout, whatever is installed.
CLI = (sys.executable, "-m", "engine.cli.main")
# Words that must never reach a user: a traceback, SQL, SQLAlchemy's parameter dump.
LEAKS = ("Traceback", "[SQL:", "[parameters:", "INSERT INTO", "SELECT ", "sqlalche.me")


@dataclass(frozen=True)
class Run:
    """A finished CLI process."""

    returncode: int
    stdout: str
    stderr: str

    def one_error_line(self) -> str:
        """The single ``skillprobe: error:`` line of a failed run (and nothing leaked)."""
        assert self.returncode == 1, (self.returncode, self.stdout[-500:], self.stderr[-2000:])
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, self.stderr[-3000:]
        assert lines[0].startswith("skillprobe: error: "), lines[0]
        for leak in LEAKS:
            assert leak not in self.stderr and leak not in self.stdout, leak
        return lines[0].removeprefix("skillprobe: error: ")


def cli_environment(data_home: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SKILLPROBE_") or key == "SKILLPROBE_TEST_DATABASE_URL"
    }
    env.update(PYTHONPATH=str(REPO_ROOT), XDG_DATA_HOME=str(data_home), **extra)
    return env


def run_cli(
    arguments: Sequence[str],
    data_home: Path,
    *,
    stdin: str = "",
    user: str | None = None,
    timeout: float = 120,
    **env: str,
) -> Run:
    """`skillprobe ARGUMENTS` in its own process (as `user` when given)."""
    command = [*CLI, *arguments]
    if user is not None:
        command = [*as_user(user), *command]
    result = subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_environment(data_home, **env),
        cwd=data_home,
        timeout=timeout,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def as_user(user: str) -> list[str]:
    """The command prefix that runs a program as `user` (with that user's groups only)."""
    gid = pwd.getpwnam(user).pw_gid
    return ["setpriv", f"--reuid={user}", f"--regid={gid}", "--init-groups"]


def small_bank(folder: Path, items: int = 12) -> Path:
    """A bank of `items` single-choice math items and one swe item, written under `folder`."""
    math = "".join(single_item(f"p-{n:03d}", difficulty=1 + n % 5) for n in range(items))
    return write_bank(
        folder / "bank", {"math/probability.yaml": math, "swe/git.yaml": single_item("g-1")}
    )


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A throw-away PostgreSQL server to restart and stop (one per test worker)."""
    folder = Path(tempfile.mkdtemp(prefix="skillprobe-cluster-"))
    started = start_cluster(folder)
    if isinstance(started, str):
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(started)
    yield started
    started.stop("immediate")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def cluster_database(postgres_cluster: PostgresCluster) -> str:
    """A new, empty database on the throw-away cluster; the server is up."""
    return postgres_cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def silent_listener() -> Iterator[SilentListener]:
    with SilentListener() as listener:
        yield listener


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 4 MB tmpfs, mounted for the test (root only; skipped where mounting is not allowed)."""
    folder = Path(tempfile.mkdtemp(prefix="skillprobe-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=1777", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip() or 'not root'}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def fill(disk: Path) -> None:
    """Use up every free byte of `disk`."""
    block = b"\0" * 4096
    try:
        with (disk / "filler").open("wb", buffering=0) as filler:
            while True:
                filler.write(block)
    except OSError:
        pass  # ENOSPC: full


@pytest.fixture(scope="session")
def other_user() -> str:
    """A user other than root who can run the suite's Python (the tests run as root in CI)."""
    if os.geteuid() != 0:
        pytest.skip("switching to another user needs root")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is not installed")
    probe = subprocess.run(
        [
            *as_user("nobody"),
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(REPO_ROOT)!r}); import engine.cli.main",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"user nobody cannot run this checkout: {probe.stderr.strip()[-200:]}")
    return "nobody"


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder under /tmp that other users can reach (pytest's own tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="skillprobe-shared-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
