"""How far the quiz has come: questions answered and each area's precision, in plain words.

Precision is shown as "±0.9": how far the ability estimate may be off (its
standard error, on the ability scale where the levels are about one apart).
A quiz with a precision target shows what it aims for; "enough" marks an area
that needs no more questions.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, Static

from engine.quiz.model import QuizProgress
from tui.formatting import plus_minus, precision_fraction
from tui.text import literal

# Without a precision target (fixed-length quizzes) bars show progress towards this SE,
# the standard quiz's target, so the learner still sees the estimate firming up.
REFERENCE_SE = 0.35
BAR_WIDTH = 16


def bar(fraction: float, width: int = BAR_WIDTH, *, done: bool = False) -> Content:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    colour = "$success" if done else "$accent"
    return Content.assemble(("━" * filled, colour), ("━" * (width - filled), "$panel-lighten-2"))


class QuizProgressPanel(Vertical):
    """The side panel of the quiz screen."""

    def compose(self) -> ComposeResult:
        yield Label("Progress", classes="panel-title", markup=False)
        yield Static("", id="answered", markup=False)
        yield Static("", id="areas", markup=False)
        yield Static("", id="elapsed", markup=False)

    def show(self, progress: QuizProgress) -> None:
        if progress.max_questions:
            answered = Content.assemble(
                (f"{progress.answered}", "bold"),
                f" of {progress.max_questions} answered\n",
                bar(progress.answered / progress.max_questions),
            )
        else:
            answered = Content.assemble(
                (f"{progress.answered}", "bold"), " answered\nstops when each area is precise"
            )
        self.query_one("#answered", Static).update(answered)
        target = progress.se_target
        lines: list[Content] = []
        for area in progress.areas:
            reference = target or REFERENCE_SE
            fraction = 1.0 if area.finished else precision_fraction(area.se, reference)
            status = ("  enough", "$text-success") if area.finished else ("", "")
            lines.append(Content.assemble(literal(area.title, "bold"), status))
            lines.append(
                Content.assemble(
                    bar(fraction, done=area.finished),
                    (f" {plus_minus(area.se)}", "$text-muted"),
                    (f", aim {plus_minus(target)}" if target else "", "$text-muted"),
                )
            )
            lines.append(Content.styled(f"{area.answered} answered\n", "$text-muted"))
        if lines:
            lines.insert(0, Content.styled("precision (±: how far off it may be)", "$text-muted"))
        self.query_one("#areas", Static).update(Content("\n").join(lines).rstrip())

    def show_elapsed(self, text: str) -> None:
        self.query_one("#elapsed", Static).update(Content.assemble(("Time ", "$text-muted"), text))

    def show_time_left(self, text: str, *, low: bool) -> None:
        """A timed quiz's countdown; in the warning colour (never blinking) in the last minute."""
        self.query_one("#elapsed", Static).update(
            Content.assemble(
                ("Time left ", "$text-muted"), (text, "bold $text-warning" if low else "bold")
            )
        )
