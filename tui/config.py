"""Settings for the terminal app, read from the environment in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.service.profile import default_learner

THEME_VARIABLE = "SKILLPROBE_THEME"
# Benchmarks and smoke tests: exit as soon as the first screen is painted ("paint"),
# once Home is usable (its form, areas, last report and unfinished quizzes on screen,
# from the snapshot or the database: "usable"), or once the database's data has
# loaded ("ready").
EXIT_AFTER_VARIABLE = "SKILLPROBE_EXIT_AFTER"
# "0" turns off the Home snapshot (tui/home_snapshot.py).
HOME_SNAPSHOT_VARIABLE = "SKILLPROBE_HOME_SNAPSHOT"

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    learner: str = "learner"
    theme: str = DARK_THEME
    exit_after: str | None = None
    snapshot_dir: Path | None = None  # where Home's snapshot is kept (None: not kept)


def settings_from_environment(
    database_url: str | None, environ: Mapping[str, str] | None = None
) -> Settings:
    environ = os.environ if environ is None else environ
    theme = environ.get(THEME_VARIABLE, "").strip().lower()
    themes = {"dark": DARK_THEME, "light": LIGHT_THEME}
    return Settings(
        database_url=database_url,
        learner=default_learner(environ),
        theme=themes.get(theme, theme or DARK_THEME),
        exit_after=environ.get(EXIT_AFTER_VARIABLE) or None,
        snapshot_dir=None if environ.get(HOME_SNAPSHOT_VARIABLE) == "0" else _cache_dir(),
    )


def _cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("skillprobe", appauthor=False)
