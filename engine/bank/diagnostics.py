"""Problems found in bank files, located at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column in a file."""

    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class BankError:
    """One problem in the bank, with where it is and how to fix it."""

    path: Path
    position: Position
    message: str
    item_id: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.position.line}:{self.position.column}"
        subject = f" [{self.item_id}]" if self.item_id else ""
        return f"{where}:{subject} {self.message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.path), self.position.line, self.position.column, self.message)
