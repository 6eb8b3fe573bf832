"""Time as the TUI sees it, injectable so tests and snapshots are stable.

The app reads the wall clock (for dates and file names), a monotonic clock
(for elapsed time, response times and a timed quiz's countdown) and a time zone
(for showing stored UTC times) only through a `Clock`. The backend hands the
same clock to the services, so the app and what it stores agree on the time;
`SKILLPROBE_NOW` pins the real clock's wall time (`engine.clock`, a testing aid).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field


class Clock:
    """The real clocks and the local time zone (`pinned`: the wall clock's fixed instant)."""

    def __init__(self, pinned: dt.datetime | None = None) -> None:
        self.pinned = pinned

    @classmethod
    def from_environment(cls) -> Clock:
        """The real clock, pinned by `SKILLPROBE_NOW` when it is set (may raise ClockError)."""
        from engine.clock import pinned_now

        return cls(pinned_now())

    def now(self) -> dt.datetime:
        return self.pinned if self.pinned is not None else dt.datetime.now().astimezone()

    def monotonic(self) -> float:
        return time.monotonic()

    def local(self, moment: dt.datetime) -> dt.datetime:
        """A stored time in the user's zone (naive times are UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone()


@dataclass
class FrozenClock(Clock):
    """A clock that only moves when told to: for tests and snapshots."""

    moment: dt.datetime = field(
        default_factory=lambda: dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    )
    elapsed: float = 0.0
    zone: dt.tzinfo = dt.UTC

    def now(self) -> dt.datetime:
        return (self.moment + dt.timedelta(seconds=self.elapsed)).astimezone(self.zone)

    def monotonic(self) -> float:
        return self.elapsed

    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(self.zone)

    def advance(self, seconds: float) -> None:
        self.elapsed += seconds
