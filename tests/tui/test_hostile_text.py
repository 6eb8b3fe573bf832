"""Untrusted text on every screen and toast: literal, never markup, never control codes.

Issue #16 (items 1-3): a learner name with markup crashed the app from a toast,
an item prompt with markup became bold red text and a live link in the bank
table. The fix is one way of putting text on screen (tui/text.py); this test
pushes hostile strings through every place that text from outside reaches:

* item text (prompt, options, option feedback, explanation) and a topic title,
  from a bank file;
* the learner's name (typed in the learner dialog, and given at start-up);
* a file path (the author preview's file, the folder a report is exported to);
* an error message (a database that cannot be opened).

Each string mixes Textual/Rich markup, Markdown, terminal control sequences
(ESC, BEL, a C1 CSI), bidirectional overrides, right-to-left text, emoji and a
10,000-character word. On every screen reached, what is on screen must contain
no control character and show the markup as typed; nothing may crash.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bank.bank_factory import write_bank
from tests.tui.conftest import FROZEN_AT
from tests.tui.fixture_bank import AREAS_YAML
from tests.tui.helpers import (
    assert_literal,
    database_with_bank,
    home_ready,
    pilot_test,
    screen_name,
    screen_text,
    settle,
    wait_until,
)
from tui.app import SkillprobeApp
from tui.backend import Backend, BackendError, StartupResult
from tui.clock import FrozenClock
from tui.preview.app import PreviewApp

MARKUP = "[bold red]RED[/] [link=file:///etc/passwd]click[/link] [/]x"
CONTROLS = "\x1b[2J\x1b]0;owned\x07\x9b31m\x08\x00"
BIDI = "\u202eevil\u202c"
RTL = "مرحبا"
EMOJI = "🙂👩‍💻"
LONG_WORD = "W" * 10_000
NAME = f"eve[/]x [b]B[/b]{CONTROLS}{BIDI} {RTL} {EMOJI}"
# Written in YAML double quotes: \e is ESC, \a BEL, \u202e an override.
YAML_CONTROLS = "\\e[2J\\e]0;owned\\a\\u202eevil\\u202c"
TOPIC = f"Odds [b]T[/b] {YAML_CONTROLS}"


def _prompt(word: str) -> str:
    return f'"Probe {MARKUP} **admitted** {YAML_CONTROLS} {RTL} {EMOJI}\\n\\n{word}"'


HOSTILE_TOPIC = f"""\
- id: probability-001
  type: single
  difficulty: 1
  shuffle: false
  prompt: {_prompt(LONG_WORD)}
  options:
    - text: "right [/]x {YAML_CONTROLS}"
      correct: true
    - text: "wrong [b]B[/b] {EMOJI} {RTL}"
      feedback: "no [link=file:///etc/passwd]x[/link] {YAML_CONTROLS}"
    - text: "{LONG_WORD[:490]}"
  explanation: "Because [bold]bold[/bold] {YAML_CONTROLS} **really**."
- id: probability-002
  type: text
  difficulty: 1
  prompt: "Type [i]this[/i] {YAML_CONTROLS}"
  accept: ["this"]
  explanation: "It was [b]this[/b]."
"""


def write_hostile_bank(root: Path) -> Path:
    write_bank(root, {"math/probability.yaml": HOSTILE_TOPIC})
    (root / "areas.yaml").write_text(
        AREAS_YAML.replace("title: Probability", f'title: "{TOPIC}"'), encoding="utf-8"
    )
    return root


@pytest.fixture
def hostile_url(tmp_path: Path) -> tuple[str, Path]:
    bank = write_hostile_bank(tmp_path / "bank")
    return database_with_bank(f"sqlite:///{tmp_path / 'hostile.db'}", bank), bank


async def _wait_screen(pilot, name: str) -> None:
    await wait_until(pilot, lambda: screen_name(pilot.app) == name, what=name)
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pilot_test
async def test_hostile_text_through_every_screen_and_toast(hostile_url, tmp_path, size):
    url, bank = hostile_url
    export_dir = tmp_path / f"out [b]x[/b] {EMOJI}\x1b[31m"
    app = SkillprobeApp(url, NAME, clock=FrozenClock(FROZEN_AT), seed=7, bank_path=bank,
                        export_dir=export_dir)  # fmt: skip
    async with app.run_test(size=size, notifications=True) as pilot:
        await home_ready(pilot)
        assert_literal(app, "eve[/]x [b]B[/b]")
        # The learner dialog and its toast (the crash of issue #16 item 2).
        await pilot.press("l")
        await _wait_screen(pilot, "LearnerScreen")
        await pilot.press("ctrl+u", *"ann[/]x[link=file:///etc/passwd]y[/link]", "enter")
        await _wait_screen(pilot, "HomeScreen")
        await home_ready(pilot)
        assert_literal(app, "Now quizzing as ann[/]x")  # the toast (it wraps at 40 columns)
        await pilot.press("l")
        await _wait_screen(pilot, "LearnerScreen")
        assert_literal(app, "Known learners:")
        await pilot.press("escape")
        await _wait_screen(pilot, "HomeScreen")

        # A quiz on the hostile items; the bank has 2 questions, 10 were asked for.
        await pilot.press("down", "space", "s")
        await _wait_screen(pilot, "QuizScreen")
        await wait_until(pilot, lambda: app.screen.phase == "asking")
        quiz = app.screen
        for _ in range(2):
            question = quiz.question
            assert_literal(app, "[b]T[/b]")  # the topic title in the heading
            if question.type == "single":
                assert_literal(app, "Probe [bold red]RED[/]")
                await pilot.press("end")  # the options are below the 10,000-character word
                await settle(pilot)
                assert_literal(app, "right [/]x", "wrong [b]B[/b]")
            else:
                assert_literal(app, "Type [i]this[/i]")
            keys = ("b", "enter") if question.type == "single" else (*"x[/]y", "enter")
            await pilot.press(*keys)
            await wait_until(pilot, lambda: quiz.feedback_ready, what="feedback")
            await settle(pilot)
            if question.type == "single":
                assert_literal(app, "[link=file:///etc/passwd]x[/link]")  # the option's note
            else:
                assert_literal(app, "Your answer   x[/]y")
            await pilot.press("enter")
            await wait_until(pilot, lambda: quiz.phase != "feedback", what="next")
        await _wait_screen(pilot, "ReportScreen")
        assert_literal(app, "ann[/]x", "the quiz stopped")
        await pilot.press("m", "enter")
        await _wait_screen(pilot, "ReviewScreen")
        pages = []
        for _ in range(2):  # both missed questions, in whichever order they were asked
            assert_literal(app, "Odds [b]T[/b]")
            pages.append(screen_text(app))
            await pilot.press("n")
            await settle(pilot)
        assert any("Probe [bold red]RED[/]" in page for page in pages)
        assert any("Your answer   x[/]y" in page for page in pages)
        await pilot.press("escape")
        await _wait_screen(pilot, "ReportScreen")
        await pilot.press("e")  # the export toast names a hostile folder
        await wait_until(pilot, lambda: "Saved to" in screen_text(app), what="export toast")
        assert_literal(app, "out [b]x[/b]")
        await pilot.press("h")
        await _wait_screen(pilot, "HistoryScreen")
        assert_literal(app, "ann[/]x")
        await pilot.press("escape", "escape")
        await _wait_screen(pilot, "HomeScreen")

        # The bank: table cells, tree labels, the item line, the preview.
        await pilot.press("b")
        await _wait_screen(pilot, "BankScreen")
        await pilot.press("down", "down", "space")  # Mathematics, expanded: its topics
        await settle(pilot)
        assert_literal(app, "Probe [bold", "Odds [b]T[/b]")
        assert "**admitted" not in screen_text(app)  # Markdown made plain in the table
        await pilot.press("slash", *"[/", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await _wait_screen(pilot, "ItemPreviewScreen")
        assert_literal(app, "Probe [bold red]RED[/]")
        await pilot.press("r", "i")  # the key (scrolled to), and the numbers
        await settle(pilot)
        assert_literal(app, "right [/]x", "no [link=file:///etc/passwd]x[/link]")


@pilot_test
async def test_an_error_message_with_markup_is_shown_literally(make_app):
    class Hostile(Backend):
        def open(self) -> StartupResult:
            raise BackendError(f"cannot open {MARKUP} {CONTROLS}{BIDI}")

    app = make_app(backend=Hostile())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: not app.state.loading, what="the failure")
        await settle(pilot)
        assert_literal(app, "cannot open [bold red]RED[/]")
        await pilot.press("s")  # a toast repeats the problem
        await wait_until(pilot, lambda: "Database problem" in screen_text(app))
        assert_literal(app, "[link=file:///etc/passwd]click[/link]")


@pilot_test
async def test_the_author_preview_shows_a_hostile_path_and_items_literally(tmp_path):
    folder = tmp_path / f"auth [b]x[/b] {RTL}\x1b[31m"
    bank = write_hostile_bank(folder / "bank")
    path = bank / "math" / "probability.yaml"
    path.write_text(HOSTILE_TOPIC + "- id: broken [b]\n  type: nonsense\n", encoding="utf-8")
    app = PreviewApp(path, clock=FrozenClock(FROZEN_AT), poll_interval=60)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.screen.preview is not None, what="preview")
        await settle(pilot)
        assert_literal(app, "Probe [bold red]RED[/]")
        await pilot.press("end")  # the problem, with the file's path
        await settle(pilot)
        assert_literal(app, "broken [b]")
