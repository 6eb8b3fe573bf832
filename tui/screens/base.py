"""What every screen shares: background work, failures reported (never silent), help.

A new screen subclasses `AppScreen` (or `QuizHolder` if it holds a quiz in
progress), takes what it needs through its constructor (usually the
`AppContext`), loads its data with `in_background`, and posts messages
(`tui.messages`) for the app to act on. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.background import run_in_background

Result = TypeVar("Result")

# Screens that lay out differently at 80 columns get -narrow / -wide classes.
WIDTH_BREAKPOINTS: list[tuple[int, str]] = [(0, "-narrow"), (100, "-wide")]


class HasHelpSection:
    """A screen whose keys have a section in help.md, shown first by `?`."""

    HELP_SECTION: ClassVar[str] = ""  # the section's heading, e.g. "## Home"


class AppScreen(HasHelpSection, Screen[Any]):
    def in_background(
        self,
        job: Callable[[], Result],
        then: Callable[[Result], object],
        *,
        group: str,
        failed: Callable[[str], object] | None = None,
    ) -> Worker[None]:
        """Run `job` (which may use the database) off the UI thread; `then` shows its result.

        A refusal or storage problem goes to `failed`, by default a notice.
        """
        return run_in_background(self, job, then, failed or self.notify_problem, group=group)

    def notify_problem(self, message: str) -> None:
        self.notify(message, severity="error")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker messages do not bubble: each screen handles its own workers' failures.
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.worker_failed(f"{type(error).__name__}: {error}")

    def worker_failed(self, message: str) -> None:
        for widget in self.query("*"):
            if widget.loading:
                widget.loading = False
        self.notify(message, title="Something went wrong", severity="error", timeout=10)


class QuizHolder(AppScreen):
    """A screen with a quiz in progress: going Home or quitting pauses it instead."""

    answered: int = 0  # answers stored so far

    def action_pause(self) -> None:
        raise NotImplementedError
