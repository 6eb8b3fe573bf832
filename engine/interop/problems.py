"""What went wrong, or was left behind, while moving questions in or out.

Every problem points at a line of the file it came from (``file:line``), so an
author can go straight to the question. Errors stop a conversion before
anything is written; the other kinds describe a question that was skipped or
carried over with something missing.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"  # the file is malformed: nothing is written
    SKIPPED = "skipped"  # the question could not be carried over
    LOSS = "lost"  # carried over, without something the source had
    NOTE = "note"  # carried over; something was filled in that the author should check


@dataclass(frozen=True)
class Problem:
    """One thing to tell the author, at a line of a file (0 when it is the whole file)."""

    path: Path
    line: int
    severity: Severity
    message: str
    subject: str | None = None  # the question's name or id, when it has one

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        subject = f" [{self.subject}]" if self.subject else ""
        label = "" if self.severity is Severity.ERROR else f" {self.severity.value}:"
        return printable(f"{where}:{subject}{label} {self.message}")

    @property
    def fatal(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path), self.line, self.message)


def has_errors(problems: tuple[Problem, ...] | list[Problem]) -> bool:
    return any(problem.fatal for problem in problems)


def one_line_per_question(problems: list[Problem]) -> list[Problem]:
    """Merge the non-fatal problems of one question into one line, worst kind first.

    The author reads one line per question that was skipped or changed; errors
    stay separate because each needs its own fix.
    """
    order = [Severity.SKIPPED, Severity.LOSS, Severity.NOTE]
    merged: dict[tuple[Path, int, str | None], list[Problem]] = {}
    result: list[Problem] = []
    for problem in problems:
        if problem.fatal:
            result.append(problem)
        else:
            merged.setdefault((problem.path, problem.line, problem.subject), []).append(problem)
    for (path, line, subject), group in merged.items():
        worst = min((p.severity for p in group), key=order.index)
        if worst is Severity.SKIPPED:
            group = [p for p in group if p.severity is Severity.SKIPPED]
        messages = list(
            dict.fromkeys(
                p.message if p.severity is worst else f"{p.severity.value}: {p.message}"
                for p in group
            )
        )
        result.append(Problem(path, line, worst, "; ".join(messages), subject))
    return sorted(result, key=Problem.sort_key)


def printable(text: str) -> str:
    """`text` on one line with every control character shown as an escape.

    Question names, answers and paths come from files: an ESC would reach the
    terminal as an escape sequence, and a line break would split a problem line.
    """
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in text)
