"""`skillprobe` with no command: the terminal app (see docs/tui.md).

Only the app's own light modules are imported here; the service layer is
imported by the app's start-up worker after the first screen is painted.
"""

from __future__ import annotations

import argparse
import os
import sys


def run_app(args: argparse.Namespace, start: str | None = None) -> int:
    """Run the app; `start` names a screen to open first ("practice"), else Home."""
    from engine.clock import ClockError
    from engine.service.cohort_choice import chosen_cohort
    from tui.app import SkillprobeApp
    from tui.clock import Clock
    from tui.config import settings_from_environment

    settings = settings_from_environment(getattr(args, "db", None))
    try:
        clock = Clock.from_environment()
    except ClockError as error:
        print(f"skillprobe: error: {error}", file=sys.stderr)
        return 1
    app = SkillprobeApp(
        settings.database_url,
        settings.learner,
        clock=clock,
        theme=settings.theme,
        exit_after=settings.exit_after,
        snapshot_dir=settings.snapshot_dir,
        cohort=chosen_cohort(getattr(args, "cohort", None)),
        start=start,
    )
    message = app.run()
    if message:
        print(message, file=sys.stderr if settings.exit_after else sys.stdout)
    return int(app.return_code or 0)


if __name__ == "__main__":  # pragma: no cover - `python -m engine.cli.app` for quick trials
    sys.exit(run_app(argparse.Namespace(db=os.environ.get("SKILLPROBE_DATABASE_URL"))))
