"""Driving the app in tests: waiting without fixed sleeps, and answering the fixed bank."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import time
import unicodedata
from collections.abc import Callable, Coroutine
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from engine.quiz.model import Answer, Question, QuizLength, QuizRequest
from engine.service.quiz_service import QuizService
from engine.service.storage import open_database

# The keys that answer each item of tests/tui/fixture_bank.py correctly (options not shuffled).
RIGHT_KEYS: dict[str, tuple[str, ...]] = {
    "probability-001": ("a", "enter"),
    "probability-002": ("3", ".", "5", "enter"),
    "probability-003": ("f", "enter"),
    "probability-004": (*"binomial", "enter"),
    "probability-005": ("a", "b", "enter"),
    "probability-006": ("9", "0", "enter"),
    "probability-007": ("a", "enter"),
    "probability-008": ("f", "enter"),
    "linear-algebra-001": ("1", "1", "enter"),
    "linear-algebra-002": ("f", "enter"),
    "linear-algebra-003": ("a", "enter"),
    "linear-algebra-004": ("3", "enter"),
    "linear-algebra-005": (*"symmetric", "enter"),
    "linear-algebra-006": ("a", "enter"),
    "python-core-001": ("a", "enter"),
    "python-core-002": ("t", "enter"),
    "python-core-003": ("3", "enter"),
}
WRONG_KEYS = {
    "single": ("b", "enter"),
    "multiple": ("c", "enter"),
    "true_false": ("t", "enter"),
    "numeric": ("4", "2", "enter"),
    "text": (*"normal", "enter"),
}
FALSE_ITEMS = {"probability-003", "probability-008", "linear-algebra-002"}


def pilot_test(function: Callable[..., Coroutine[object, object, None]]) -> Callable[..., None]:
    """Run an async test body on its own event loop (no async pytest plugin needed)."""

    @functools.wraps(function)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(function(*args, **kwargs))

    return run


def keys_for(question: Question, right: bool) -> tuple[str, ...]:
    if right:
        return RIGHT_KEYS[question.item_id]
    if question.type == "true_false" and question.item_id not in FALSE_ITEMS:
        return ("f", "enter")
    return WRONG_KEYS[question.type]


async def wait_until(
    pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0, what: str = ""
) -> None:
    """Let the app run until `condition()` is true (workers finish, screens change)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.01)
    await pilot.pause()


async def settle(pilot: Pilot) -> None:
    """Wait for every worker to finish and the screen to catch up."""
    app = pilot.app
    await wait_until(pilot, lambda: not any(w.is_running for w in app.workers), what="workers")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def home_ready(pilot: Pilot) -> None:
    await wait_until(pilot, lambda: not pilot.app.state.loading, what="home data")  # type: ignore[attr-defined]
    await settle(pilot)


def screen_name(app: App) -> str:
    return type(app.screen).__name__


def freeze_cursor(app: App) -> None:
    """Stop text cursors blinking, so screenshots do not depend on timing."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False


def take_quiz(
    url: str,
    learner: str,
    areas: tuple[str, ...],
    answers: list[bool],
    *,
    seed: int = 7,
    mode: str = "practice",
    finish: bool = True,
    length: int | None = None,
) -> int:
    """Take a quiz through the service (True = answer right) and return its id.

    The quiz is `length` questions long (default: as many as answers).
    """
    opened = open_database(url)
    try:
        service = QuizService(opened.database)
        summary = service.start_quiz(
            QuizRequest(
                learner,
                areas,
                mode,  # type: ignore[arg-type]
                QuizLength(preset=None, length=length or len(answers)),
                seed,
            )
        )
        for right in answers:
            question = service.next_question(summary.session_id)
            assert question is not None
            service.submit(question, _service_answer(question, right), 1000)
        if finish:
            assert service.next_question(summary.session_id) is None
        return summary.session_id
    finally:
        opened.database.dispose()


def _service_answer(question: Question, right: bool) -> Answer:
    from engine.quiz.answer_input import parse_answer

    keys = keys_for(question, right)
    if question.type in ("single", "multiple", "true_false"):
        letters = [k for k in keys if k != "enter"]
        if question.type == "true_false":
            return Answer(value=letters[0] == "t")
        positions = sorted(ord(k) - ord("a") for k in letters)
        return Answer(choices=tuple(question.options[p].index for p in positions))
    answer = parse_answer(question, "".join(k for k in keys if k != "enter"))
    assert isinstance(answer, Answer)
    return answer


def fix_times(url: str, start: dt.datetime, step: dt.timedelta = dt.timedelta(days=3)) -> None:
    """Give every quiz a fixed start and finish time (the store stamps the real clock)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        ids = [
            row[0] for row in connection.execute(text("SELECT id FROM quiz_sessions ORDER BY id"))
        ]
        for position, quiz_id in enumerate(ids):
            started = (start + position * step).replace(tzinfo=None)
            connection.execute(
                text(
                    "UPDATE quiz_sessions SET started_at = :s, "
                    "finished_at = CASE WHEN finished_at IS NULL THEN NULL ELSE :f END "
                    "WHERE id = :id"
                ),
                {"s": started, "f": started + dt.timedelta(minutes=12), "id": quiz_id},
            )
    engine.dispose()


def write_topic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def screen_text(app: App) -> str:
    """Every character on the screen (toasts included), as the terminal would get it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_literal(app: App, *fragments: str) -> None:
    """No control character reaches the terminal, and each fragment shows exactly."""
    text = screen_text(app)
    bad = [
        f"U+{ord(ch):04X}"
        for ch in text
        if ch != "\n" and (unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u202a\u202e\u2066")
    ]
    assert not bad, f"control characters on {screen_name(app)}: {sorted(set(bad))}"
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} is not shown on {screen_name(app)}:\n{text}"


def database_with_bank(url: str, bank: Path) -> str:
    """A SQLite database at `url` with the bank at `bank` imported (no problem allowed)."""
    from engine.service.bank_service import import_bank

    opened = open_database(url)
    outcome = import_bank(opened.database, bank)
    assert outcome.summary is not None, outcome.errors
    opened.database.dispose()
    return url
