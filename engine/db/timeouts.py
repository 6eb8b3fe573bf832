"""How long skillprobe waits for the database, read from the environment in one place.

Four waits, each in seconds, each overridable (docs/operations.md):

* ``SKILLPROBE_CONNECT_TIMEOUT`` (10): for a server to answer a new connection. A
  host that accepts the connection and then says nothing fails within this time
  instead of hanging. PostgreSQL's ``connect_timeout`` in the URL wins.
* ``SKILLPROBE_STATEMENT_TIMEOUT`` (30; 0 for none): for one statement. PostgreSQL
  enforces it on the server (``statement_timeout``; an ``options=-c
  statement_timeout=...`` in the URL wins); SQLite interrupts a statement that
  runs longer (a progress handler).
* ``SKILLPROBE_LOCK_TIMEOUT`` (30): for a lock another process holds: SQLite's
  busy timeout (the URL's ``timeout=`` wins), PostgreSQL's ``lock_timeout``.
  SQLite has one write lock for the whole file, and its waiters poll for it
  (up to every 100 ms) rather than queue: with a class of 50 answering at
  once on a 2-core machine a few waits pass 5 s (benchmarks/bench_load.py).
* ``SKILLPROBE_SETUP_TIMEOUT`` (300): for another process that is upgrading the
  schema or importing the bank, at first launch (migrations and imports run
  under a lock; the others wait this long, then go on).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from engine.db.faults import DatabaseUrlError

CONNECT_TIMEOUT_VARIABLE = "SKILLPROBE_CONNECT_TIMEOUT"
STATEMENT_TIMEOUT_VARIABLE = "SKILLPROBE_STATEMENT_TIMEOUT"
LOCK_TIMEOUT_VARIABLE = "SKILLPROBE_LOCK_TIMEOUT"
SETUP_TIMEOUT_VARIABLE = "SKILLPROBE_SETUP_TIMEOUT"

# A day: longer waits are surely typos, and libpq's and SQLite's settings overflow
# somewhere above 24 days of milliseconds.
_LONGEST = 86_400.0


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait; a statement timeout of 0 means none."""

    connect: float = 10.0
    statement: float = 30.0
    lock: float = 30.0
    setup: float = 300.0

    @property
    def connect_whole_seconds(self) -> int:
        """libpq's connect_timeout takes whole seconds; psycopg treats less than 2 as 2."""
        return max(2, math.ceil(self.connect))


def timeouts_from_environment(environ: Mapping[str, str] | None = None) -> Timeouts:
    """The timeouts the environment sets, the defaults for the rest.

    A value that is not a number of seconds is an error that names the variable,
    never a silent default.
    """
    environ = os.environ if environ is None else environ
    defaults = Timeouts()
    return Timeouts(
        connect=_seconds(environ, CONNECT_TIMEOUT_VARIABLE, defaults.connect, allow_zero=False),
        statement=_seconds(environ, STATEMENT_TIMEOUT_VARIABLE, defaults.statement),
        lock=_seconds(environ, LOCK_TIMEOUT_VARIABLE, defaults.lock),
        setup=_seconds(environ, SETUP_TIMEOUT_VARIABLE, defaults.setup, allow_zero=False),
    )


def _seconds(
    environ: Mapping[str, str], name: str, default: float, *, allow_zero: bool = True
) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    lowest = 0.0 if allow_zero else 0.1
    if not (lowest <= value <= _LONGEST):
        shown = f"{text[:40]!r}"
        allowed = "a number of seconds" + (", 0 for none" if allow_zero else " above 0")
        raise DatabaseUrlError(
            f"{name}={shown} is not a usable timeout",
            f"it must be {allowed}, at most {_LONGEST:.0f}",
            f"set it to e.g. {name}={default:g}, or unset it for the default",
        )
    return value
