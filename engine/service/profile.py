"""Who is taking the quiz when nobody says."""

from __future__ import annotations

import getpass
import os

LEARNER_VARIABLE = "SKILLPROBE_LEARNER"
FALLBACK_LEARNER = "learner"


def default_learner() -> str:
    """`$SKILLPROBE_LEARNER`, else the operating-system user name."""
    name = os.environ.get(LEARNER_VARIABLE, "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or FALLBACK_LEARNER
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return FALLBACK_LEARNER
