"""`skillprobe bank convert` and `skillprobe bank export`, as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine.bank import load_bank
from engine.cli.main import main
from tests.conftest import REPO_ROOT, SHIPPED_BANK

GIFT = """\
// Statistics questions
$CATEGORY: $course$/Statistics

::mean-basic::What is the mean of 2, 4 and 9?{#5####(2 + 4 + 9) / 3 = 5.}

::Median::[markdown]The **median** of 1, 3, 100 is {
  ~34.67 # That is the mean.
  =3
  #### Sort, then take the middle value.
}

::Match:: Match {=mean -> average =median -> middle}
"""


def _convert_args(
    source: Path, out: Path, area: str = "math", topic: str = "statistics"
) -> list[str]:
    return ["bank", "convert", str(source), "--area", area, "--topic", topic, "--out", str(out)]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_convert_writes_a_valid_new_bank_and_reports_each_question_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "stats.gift"
    source.write_text(GIFT, encoding="utf-8")
    out = tmp_path / "bank"
    code = main(_convert_args(source, out))
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err.splitlines() == [
        f"{source}:12: [Match] skipped: matching questions are not supported"
    ]
    assert f"wrote {out / 'math' / 'statistics.yaml'} (2 items)" in captured.out
    assert "2 of 3 questions converted; 1 not carried over" in captured.out
    topic_file = (out / "math" / "statistics.yaml").read_text(encoding="utf-8")
    assert topic_file.startswith("# yaml-language-server: $schema=../schema.json\n")
    assert main(["bank", "validate", str(out)]) == 0
    items = load_bank(out).bank.items
    assert [i.id for i in items] == ["mean-basic", "statistics-001"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.gift", b"Unclosed {=a\n", "bad.gift:1: '{' is never closed"),
        ("latin1.gift", b"caf\xe9 {T}\n", "latin1.gift:1: the file is not UTF-8 (byte 0xE9"),
        (
            "bomb.xml",
            b'<?xml version="1.0"?>\n<!DOCTYPE q [\n<!ENTITY a "aaaa">\n]>\n<quiz>&a;</quiz>\n',
            "bomb.xml:3: entity declaration 'a' refused",
        ),
        ("notes.doc", b"hello", "unknown file type"),
    ],
)
def test_bad_input_is_reported_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "bank"
    code = main(["bank", "convert", str(source), "--area", "a", "--topic", "t", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err
    assert "nothing was written" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_converting_into_an_existing_bank_needs_a_declared_topic_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "stats.gift"
    source.write_text(GIFT, encoding="utf-8")
    out = tmp_path / "bank"
    args = _convert_args(source, out)
    assert main(args) == 0
    before = {p: p.read_bytes() for p in _files(out)}
    capsys.readouterr()

    assert main(args) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(_convert_args(source, out, topic="probability")) == 1
    assert "topic 'probability' of area 'math' is not declared" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in _files(out)} == before

    assert main([*args, "--replace"]) == 0
    assert "replaced" in capsys.readouterr().out
    assert main(["bank", "validate", str(out)]) == 0


def test_export_to_a_file_and_back_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "probability.xml"
    code = main(
        [
            "bank",
            "export",
            "--format",
            "moodle-xml",
            "--area",
            "math",
            "--topic",
            "probability",
            "--out",
            str(exported),
        ]
    )
    assert code == 0
    assert exported.read_text(encoding="utf-8").startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>'
    )
    capsys.readouterr()
    assert main(["bank", "convert", str(exported), "--out", str(tmp_path / "back")]) == 0
    original = [i for i in load_bank(SHIPPED_BANK).bank.items if i.topic == "probability"]
    back = load_bank(tmp_path / "back").bank.items
    assert [i.content() for i in back] == [i.content() for i in original]


def test_export_rejects_an_unknown_area_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["bank", "export", "--format", "gift", "--area", "maths"])
    assert stopped.value.code == 1
    assert "unknown area 'maths' (did you mean 'math'?)" in capsys.readouterr().err


def test_problem_lines_never_carry_terminal_control_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "hostile.gift"
    source.write_text("::\x1b[31mred\x1b[0m:: Match {=a -> b =c -> d}\n", encoding="utf-8")
    main(
        [
            "bank",
            "convert",
            str(source),
            "--area",
            "a",
            "--topic",
            "t",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "\\x1b[31mred" in err


def test_interop_is_pure_no_database_or_ui() -> None:
    code = (
        "import sys, engine.interop\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'alembic', 'textual', 'psycopg')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
