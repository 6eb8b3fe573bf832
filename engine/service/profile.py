"""Who is taking the quiz when nobody says (light: the app reads it before its first paint)."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping

LEARNER_VARIABLE = "SKILLPROBE_LEARNER"
FALLBACK_LEARNER = "learner"


def default_learner(environ: Mapping[str, str] | None = None) -> str:
    """`$SKILLPROBE_LEARNER`, else the operating-system user name."""
    environ = os.environ if environ is None else environ
    name = environ.get(LEARNER_VARIABLE, "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or FALLBACK_LEARNER
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return FALLBACK_LEARNER
