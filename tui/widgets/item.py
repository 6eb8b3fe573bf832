"""A bank item shown as in a quiz, with its metadata; try an answer or reveal the key.

The heading says in words what kind of question it is, how hard, and what the
answers of learners so far say about it (its calibration diagnostics: issue
#9); the numbers behind those words (IRT parameters a, b, c with their
standard errors, fit statistics) are shown on demand (`numbers=True`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tui.questions import TYPE_NAMES, answer_key, difficulty_level, mark, question_for_item
from tui.text import literal
from tui.widgets.feedback import FeedbackPanel
from tui.widgets.question import QuestionView

if TYPE_CHECKING:
    from engine.bank.model import ItemSpec
    from engine.service.calibration_service import StoredDiagnostics

DIFFICULTY_WORDS = {1: "very easy", 2: "easy", 3: "medium", 4: "hard", 5: "very hard"}
SOURCE_WORDS = {
    "difficulty": "from the author's difficulty",
    "irt": "set by the author",
    "calibration": "calibrated from learners' answers",
    "shipped": "shipped with the bank",
}


def calibration_words(diagnostics: StoredDiagnostics | None) -> str:
    """What learners' answers say about an item, in a phrase (no numbers)."""
    if diagnostics is None:
        return "not calibrated yet"
    share = diagnostics.proportion_correct
    right = f", {share:.0%} right" if share is not None else ""
    verdict = "; ".join(flag.advice for flag in diagnostics.flags) or "behaves as expected"
    return f"{diagnostics.responses} answers{right}: {verdict}"


def short_check(diagnostics: StoredDiagnostics | None) -> str:
    """A few characters for the bank table: "⚠" when a flag asks the author to look."""
    if diagnostics is None:
        return ""
    return "⚠" if diagnostics.flags else "✓"


def item_numbers(item: ItemSpec, diagnostics: StoredDiagnostics | None) -> str:
    """The numbers behind the words: parameters (with SEs when calibrated) and fit."""
    if diagnostics is None:
        return (
            f"a {item.a:.2f} · b {item.b:+.2f} · c {item.c:.2f} "
            f"({SOURCE_WORDS.get(item.parameter_source, item.parameter_source)})"
        )
    parts = [
        f"a {item.a:.2f} ±{diagnostics.se_a:.2f}",
        f"b {item.b:+.2f} ±{diagnostics.se_b:.2f}",
        f"c {item.c:.2f} ±{diagnostics.se_c:.2f}",
        f"{diagnostics.responses} answers",
    ]
    for name, value in (
        ("infit", diagnostics.infit),
        ("outfit", diagnostics.outfit),
        ("r with ability", diagnostics.ability_correlation),
    ):
        if value is not None:
            parts.append(f"{name} {value:.2f}")
    return " · ".join(parts)


def item_heading(
    item: ItemSpec,
    area_title: str,
    topic_title: str,
    diagnostics: StoredDiagnostics | None = None,
    *,
    numbers: bool = False,
) -> Content:
    tags = ", ".join(f"#{tag}" for tag in item.tags) if item.tags else "no tags"
    level = difficulty_level(item)
    facts = (
        f"{TYPE_NAMES.get(item.type, item.type)} · {DIFFICULTY_WORDS[level]} ({level} of 5) · "
        f"{tags}"
    )
    lines = [
        Content.assemble(
            literal(item.id, "bold $text-accent"), literal(f"  {area_title} › {topic_title}")
        ),
        literal(facts, "$text-muted"),
        literal(f"Learners so far: {calibration_words(diagnostics)}", "$text-muted"),
    ]
    if numbers:
        lines.append(literal(item_numbers(item, diagnostics), "$text-muted"))
    return Content("\n").join(lines)


class ItemPreview(Vertical):
    """Answering marks the try as practice mode would; `reveal()` shows the key instead."""

    def __init__(
        self,
        item: ItemSpec,
        *,
        area_title: str | None = None,
        topic_title: str | None = None,
        note: str = "",
        diagnostics: StoredDiagnostics | None = None,
        numbers: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="item-preview")
        self.item = item
        self.area_title = area_title or item.area
        self.topic_title = topic_title or item.topic
        self.note = note
        self.diagnostics = diagnostics
        self.numbers = numbers
        self.done = False
        self.question = question_for_item(
            item, area_title=self.area_title, topic_title=self.topic_title
        )

    def compose(self) -> ComposeResult:
        yield Static(self._heading(), classes="item-heading", markup=False)
        yield QuestionView(self.question, heading=self.note)

    def _heading(self) -> Content:
        return item_heading(
            self.item, self.area_title, self.topic_title, self.diagnostics, numbers=self.numbers
        )

    def show_numbers(self, numbers: bool) -> None:
        self.numbers = numbers
        self.query_one(".item-heading", Static).update(self._heading())

    @on(QuestionView.Answered)
    def _tried(self, event: QuestionView.Answered) -> None:
        event.stop()
        if not self.done:
            feedback = mark(self.item, event.answer)
            self._finish(FeedbackPanel(feedback, self.question, id="feedback"))

    def reveal(self) -> None:
        if not self.done:
            self._finish(FeedbackPanel(answer_key(self.item), self.question, reveal=True, id="key"))

    def _finish(self, panel: FeedbackPanel) -> None:
        self.done = True
        view = self.query_one(QuestionView)
        view.freeze()
        view.mount(panel)

    @on(FeedbackPanel.Ready)
    def _panel_ready(self, event: FeedbackPanel.Ready) -> None:
        event.stop()
        event.panel.scroll_visible(animate=False)

    def focus_answer(self) -> None:
        if not self.done:
            self.query_one(QuestionView).focus_answer()
