"""What every full screen shares: failing workers are reported, never silent."""

from __future__ import annotations

from textual.screen import Screen
from textual.worker import Worker, WorkerState


class AppScreen(Screen):
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
