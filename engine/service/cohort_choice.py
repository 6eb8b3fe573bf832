"""Which cohort whoever quizzes joins: ``--cohort NAME``, else ``$SKILLPROBE_COHORT``.

Light on purpose (no database, no NumPy): the app reads it before its first paint.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

COHORT_VARIABLE = "SKILLPROBE_COHORT"


def chosen_cohort(option: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The cohort named by the option, else by the environment; None when neither names one."""
    environ = os.environ if environ is None else environ
    name = option if option is not None and option.strip() else environ.get(COHORT_VARIABLE, "")
    return name.strip() or None
