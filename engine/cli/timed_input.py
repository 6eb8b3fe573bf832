"""Lines of input that can stop waiting: a timed quiz finishes at zero even mid-answer.

A thread reads the lines (a blocking read cannot be given a deadline portably,
and `select` misses lines already sitting in Python's input buffer); the quiz
waits for the next one at most until its time is up.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Final


class _TimeUp:
    def __repr__(self) -> str:
        return "TIME_UP"


#: What `TimedLines.next` returns when the wait ran out before a line came.
TIME_UP: Final = _TimeUp()


class TimedLines:
    """The lines `read` returns (None at the end of input), waited for with a deadline."""

    def __init__(self, read: Callable[[], str | None]) -> None:
        self._read = read
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def _pump(self) -> None:
        while True:
            line = self._read()
            self._lines.put(line)
            if line is None:
                return

    def next(self, timeout: float | None) -> str | _TimeUp | None:
        """The next line; None at the end of input; `TIME_UP` if `timeout` seconds pass first."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._pump, name="input-lines", daemon=True)
            self._thread.start()
        try:
            return self._lines.get(timeout=None if timeout is None else max(0.0, timeout))
        except queue.Empty:
            return TIME_UP
