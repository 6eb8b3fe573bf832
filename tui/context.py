"""What screens need from the app, handed to them through their constructors.

Screens never import the app: they get this context (and their own data)
when they are made, and post messages up when something should happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.backend import Backend
from tui.clock import Clock


@dataclass(frozen=True)
class AppContext:
    backend: Backend  # the one door to the service layer
    clock: Clock  # wall clock, monotonic clock and time zone (frozen in tests)
    export_dir: Path  # where report exports go
    show_elapsed: bool = True  # tick the quiz's elapsed time every second
