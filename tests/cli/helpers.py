"""Running a `skillprobe` command in-process, as a user at a terminal would."""

from __future__ import annotations

import io
import sys

from engine.cli.main import main


def run_cli(argv: list[str], stdin: str, monkeypatch, capsys) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of `skillprobe ARGV` fed `stdin`."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
