"""Validating, importing and describing the question bank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.bank import BankError, ItemSpec, LoadedBank, Position, load_bank
from engine.bank.loader import bank_digest, find_bank_root
from engine.bank.stats import BankStats, bank_stats
from engine.db.bank_store import ImportSummary, active_item_count, last_import
from engine.db.bank_store import import_bank as store_bank
from engine.db.database import Database


def shipped_bank_path() -> Path:
    """The bank that ships with skillprobe: the checkout's `quizzes/`, or the installed copy."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "quizzes", package / "shipped_quizzes"):
        if (candidate / "areas.yaml").is_file():
            return candidate
    raise FileNotFoundError("the shipped question bank is missing from this installation")


@dataclass(frozen=True)
class ImportOutcome:
    """Either a summary of what changed, or the errors that stopped the import."""

    summary: ImportSummary | None
    errors: tuple[BankError, ...]
    item_count: int = 0


def validate_paths(paths: Sequence[Path]) -> tuple[BankError, ...]:
    """Every problem in the banks these paths belong to (only in the named files, if files)."""
    errors: list[BankError] = []
    for path in paths:
        if not path.exists():
            errors.append(BankError(path, Position(), "no such file or folder; check the path"))
            continue
        root = find_bank_root(path)
        only = None
        if root is not None and path.resolve() != root.resolve():
            only = [path] if path.is_file() else list(path.rglob("*.y*ml"))
        errors.extend(load_bank(path, only=only).errors)
    return tuple(dict.fromkeys(errors))


def import_bank(database: Database, path: Path | None = None) -> ImportOutcome:
    """Validate the whole bank, then import it in one transaction (or not at all)."""
    source = path or shipped_bank_path()
    root = find_bank_root(source)
    if root is not None:
        # Same files as the last import: nothing can have changed, so skip parsing.
        with database.reader() as session:
            latest = last_import(session)
            if latest is not None and latest.fingerprint == bank_digest(root):
                active = active_item_count(session)
                return ImportOutcome(ImportSummary(0, 0, 0, active), (), active)
    loaded: LoadedBank = load_bank(source)
    if loaded.bank is None:
        return ImportOutcome(None, loaded.errors)
    # Under the setup lock: processes that start together on a changed bank import it
    # once; the others wait, and `store_bank` finds it current when they get the lock.
    with database.setup_session() as session:
        summary = store_bank(session, loaded.bank, str((loaded.root or source).resolve()))
    return ImportOutcome(summary, (), len(loaded.bank.items))


def bank_needs_import(database: Database, path: Path | None = None) -> bool:
    """Whether the bank at `path` (default: shipped) should be imported now.

    True for a database that has never had a bank, or whose last import came
    from this same folder and the files have changed since. A database whose
    bank came from elsewhere (a team's own bank) is left alone.
    """
    source = (path or shipped_bank_path()).resolve()
    with database.reader() as session:
        latest = last_import(session)
    if latest is None:
        return True
    if Path(latest.source).resolve() != source:
        return False
    return latest.fingerprint != bank_digest(source)


def ensure_bank_imported(database: Database, path: Path | None = None) -> ImportOutcome | None:
    """Import the bank at `path` (default: shipped) when `bank_needs_import` says so.

    What both shells do at start-up. None when nothing needed importing (or
    the database is open read-only, which keeps the bank it has); else the
    outcome, whose `summary` is None (and `errors` say why) when the bank has
    problems and nothing was imported.
    """
    if database.read_only or not bank_needs_import(database, path):
        return None
    return import_bank(database, path)


@dataclass(frozen=True)
class FilePreview:
    """A topic file's valid items and every problem in it, for the author preview."""

    path: Path
    items: tuple[ItemSpec, ...]
    errors: tuple[BankError, ...]


def preview_file(path: Path) -> FilePreview:
    if not path.is_file():
        return FilePreview(path, (), (BankError(path, Position(), "no such file"),))
    loaded = load_bank(path, only=[path])
    resolved = path.resolve()
    items = tuple(
        item
        for item in loaded.valid_items
        if item.source_path is not None and item.source_path.resolve() == resolved
    )
    return FilePreview(path, items, loaded.errors)


def stats(path: Path | None = None) -> tuple[BankStats | None, tuple[BankError, ...]]:
    loaded = load_bank(path or shipped_bank_path())
    if loaded.bank is None:
        return None, loaded.errors
    return bank_stats(loaded.bank), ()
