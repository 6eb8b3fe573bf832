"""Settings for the terminal app, read from the environment in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from engine.service.profile import default_learner

THEME_VARIABLE = "SKILLPROBE_THEME"
# Benchmarks and smoke tests: exit as soon as the first screen is painted ("paint")
# or once its data has loaded ("ready").
EXIT_AFTER_VARIABLE = "SKILLPROBE_EXIT_AFTER"

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    learner: str = "learner"
    theme: str = DARK_THEME
    exit_after: str | None = None


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
    )
