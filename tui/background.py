"""Work off the UI thread, written once: run a job in a thread, hand its result back.

Every database call of the app goes through `run_in_background`: the job runs
in a thread worker; its result is passed to `then` on the UI thread, or the
message of a `BackendError` (a refusal or a storage problem, meant for the
learner) to `failed`. Anything else is a bug: the worker fails and the owner's
`on_worker_state_changed` reports it (see `tui.screens.base.AppScreen`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from tui.backend import BackendError

Result = TypeVar("Result")


def run_in_background(
    owner: DOMNode,
    job: Callable[[], Result],
    then: Callable[[Result], object],
    failed: Callable[[str], object],
    *,
    group: str,
) -> Worker[None]:
    """Run `job` in a thread; a newer job of the same `group` cancels the older one."""
    app = owner.app

    def work() -> None:
        try:
            result = job()
        except BackendError as error:
            app.call_from_thread(failed, str(error))
            return
        app.call_from_thread(then, result)

    return owner.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=False)
