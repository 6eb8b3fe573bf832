"""The one clock every command reads: the wall clock, or `SKILLPROBE_NOW` when it is set.

`SKILLPROBE_NOW` (an ISO 8601 instant, e.g. ``2026-03-02T09:30:00Z``) is a testing
and demo aid: every command then behaves as if it were that moment, so a test
can take a quiz "today", practise "tomorrow" and again "in three days" without
waiting. Only wall-clock readings move; durations (response times, a timed
quiz's time used) come from the monotonic clock, which it does not touch.

Standard library only: the app's first paint may read the clock.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from typing import Protocol

NOW_VARIABLE = "SKILLPROBE_NOW"


class ClockError(ValueError):
    """`SKILLPROBE_NOW` is not an instant; the message says how to write one."""


class Clock(Protocol):
    """What the services read time from (the TUI's clocks fit this too)."""

    def now(self) -> dt.datetime:
        """The current instant, time-zone aware."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for durations."""
        ...


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time, time-zone aware (no zone given: UTC).

    The offset written is kept: it says where the learner's day starts and ends.

    >>> parse_instant("2026-03-02T09:30:00+01:00").isoformat()
    '2026-03-02T09:30:00+01:00'
    >>> parse_instant("2026-03-02").isoformat()
    '2026-03-02T00:00:00+00:00'
    """
    value = text.strip()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise ClockError(
            f"{NOW_VARIABLE}={text!r} is not an ISO 8601 instant; write e.g. "
            "2026-03-02T09:30:00Z or 2026-03-02"
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def pinned_now(environ: Mapping[str, str] | None = None) -> dt.datetime | None:
    """The instant `SKILLPROBE_NOW` pins, or None when it is unset or empty."""
    value = (os.environ if environ is None else environ).get(NOW_VARIABLE, "").strip()
    return parse_instant(value) if value else None


class SystemClock:
    """The wall clock in the local time zone, unless `SKILLPROBE_NOW` pins it.

    The variable is read when the clock is made (each command makes one).
    """

    def __init__(self, pinned: dt.datetime | None = None) -> None:
        self._pinned = pinned

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SystemClock:
        return cls(pinned_now(environ))

    @property
    def pinned(self) -> bool:
        return self._pinned is not None

    def now(self) -> dt.datetime:
        return self._pinned if self._pinned is not None else dt.datetime.now().astimezone()

    def monotonic(self) -> float:
        return time.monotonic()


def utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC datetime (naive values are taken to be UTC, as SQLite returns them)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def describe_duration(seconds: int) -> str:
    """A duration in words: "90 s", "30 min", "1 h", "1 h 30 min"."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if not hours and not secs:
        return f"{minutes} min"
    if not hours and minutes < 2:
        return f"{minutes * 60 + secs} s"
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs:
        parts.append(f"{secs} s")
    return " ".join(parts)


def clock_text(seconds: float) -> str:
    """Time left as a steady-width clock, rounded up so it reads 0:00 only at zero.

    ``clock_text(61.2)`` is ``"1:02"``; an hour or more gives ``"1:00:00"``.
    """
    whole = max(0, int(-(-seconds // 1)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
