"""Migrations and models agree, and the schema round-trips with data in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from engine.db.database import Database
from engine.db.migrate import (
    alembic_config,
    current_revision,
    downgrade,
    ensure_schema,
    head_revision,
    upgrade,
)
from engine.db.models import Base, Item, ItemVersion
from engine.service.bank_service import import_bank
from tests.bank.bank_factory import single_item, write_bank
from tests.conftest import REPO_ROOT


def test_models_and_migrations_agree(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_head_read_from_files_matches_alembic(database: Database) -> None:
    script = ScriptDirectory.from_config(alembic_config(database))
    assert script.get_heads() == [head_revision()]


@pytest.fixture
def small_bank(tmp_path: Path) -> Path:
    return write_bank(
        tmp_path / "bank",
        {
            "math/probability.yaml": single_item("p-1") + single_item("p-2"),
            "swe/git.yaml": single_item("g-1"),
        },
    )


def test_upgrade_downgrade_upgrade_with_data(database: Database, small_bank: Path) -> None:
    outcome = import_bank(database, small_bank)
    assert outcome.summary is not None and outcome.summary.added > 0
    assert downgrade(database, "base") is None
    upgrade(database)
    assert current_revision(database) == head_revision()
    outcome = import_bank(database, small_bank)
    assert outcome.summary is not None
    with database.reader() as session:
        assert session.scalar(select(func.count()).select_from(Item)) == outcome.item_count
        assert session.scalar(select(func.count()).select_from(ItemVersion)) == outcome.item_count


def test_schema_check_is_a_no_op_when_current(database: Database) -> None:
    result = ensure_schema(database)
    assert not result.changed
    assert result.backup is None


def test_upgrade_of_a_non_empty_sqlite_file_keeps_a_backup(
    tmp_path: Path, small_bank: Path
) -> None:
    path = tmp_path / "old.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    import_bank(database, small_bank)
    downgrade(database, "base")
    # A database at an older revision: pretend by stamping the row the upgrade reads.
    result = upgrade(database, previous="0000_older")
    assert result.backup == tmp_path / "old.db.bak-0000_older"
    assert result.backup.exists()
    database.dispose()


@pytest.mark.slow
def test_installed_wheel_creates_and_upgrades_its_database(tmp_path: Path) -> None:
    """A regular (non-editable) install must carry its migrations and bank."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheel_dir), "."],
        cwd=REPO_ROOT,
        check=True,
    )
    (wheel,) = wheel_dir.glob("skillprobe-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    url = f"sqlite:///{tmp_path / 'installed.db'}"
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    probe = subprocess.run(
        [sys.executable, "-c", "import engine; print(engine.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(target))
    run = subprocess.run(
        [sys.executable, "-m", "engine.cli.main", "bank", "import", "--db", url],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "0 changed, 0 retired, 0 unchanged" in run.stdout


def test_an_unusable_sqlite_path_is_a_clear_error(tmp_path: Path) -> None:
    from engine.service.storage import StorageError, open_database

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match=r"part of the path .* is a file, not a folder"):
        open_database(f"sqlite:///{blocker / 'sub' / 'x.db'}")
