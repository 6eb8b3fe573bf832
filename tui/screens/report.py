"""Report: readiness per area in words, what to study next, and the questions that were missed.

What the report says, and how sure it may sound, is computed by
`engine.report` (levels with their model-based chances, the verdict, weak
topics called at a controlled false discovery rate, next steps when none is):
this screen shows it. The numbers behind the words (estimates, intervals,
standard errors) appear on demand (d).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.context import AppContext
from tui.formatting import percent, plural, short_date, topic_titles
from tui.messages import StartPractice
from tui.screens.base import WIDTH_BREAKPOINTS, AppScreen
from tui.text import inline, literal
from tui.widgets.keybar import KeyFooter
from tui.widgets.picklist import Menu
from tui.widgets.readiness import AreaCard
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.report.readiness import Report


class ReportScreen(AppScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["report.tcss", "../widgets/readiness.tcss"]
    HELP_SECTION = "## Report"
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("m", "focus_review", "Missed questions"),
        Binding("d", "numbers", "Numbers"),
        Binding("e", "export", "Export Markdown"),
        Binding("h", "app.history", "History"),
        Binding("p", "practise", "Practise"),
    ]

    def __init__(
        self,
        context: AppContext,
        quiz_id: int,
        *,
        just_finished: bool = False,
        note: str = "",
    ) -> None:
        super().__init__()
        self.context = context
        self.quiz_id = quiz_id
        self.just_finished = just_finished
        self.note = note  # why the quiz ended early, if it did
        self.report: Report | None = None
        self.numbers = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="report"):
            yield Static("", id="report-title", markup=False)
            yield Static("", id="report-note", markup=False)
            yield Vertical(id="areas", classes="panel")
            with Horizontal(id="lower"):
                with Vertical(id="focus", classes="panel") as focus:
                    focus.border_title = "Focus next"
                    yield Static("", id="focus-body", markup=False)
                with Vertical(id="missed", classes="panel") as missed:
                    missed.border_title = "Missed questions"
                    yield Menu(id="review-list", classes="-one-line")
                    yield Static("", id="review-hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#areas").border_title = "Readiness"
        self.query_one("#report").loading = True
        note = self.query_one("#report-note", Static)
        note.update(literal(self.note))
        note.display = bool(self.note)
        self.load_report()

    def load_report(self) -> None:
        backend = self.context.backend

        def load() -> Report:
            with backend.service() as service:
                return service.report(self.quiz_id)

        self.in_background(load, self.show_report, group="report", failed=self._failed)

    def _failed(self, message: str) -> None:
        self.query_one("#report").loading = False
        self.query_one("#report-title", Static).update(
            literal(f"Cannot build this report: {message}")
        )

    def show_report(self, report: Report) -> None:
        self.report = report
        self.query_one("#report").loading = False
        moment = report.finished_at or report.started_at
        status = "" if report.status != "active" else "  (unfinished)"
        if report.time_ran_out:
            status += f" · time ran out after {plural(report.answered, 'question')}"
        heading = "Quiz complete" if self.just_finished else "Report"
        self.query_one("#report-title", Static).update(
            Content.assemble(
                (heading, "bold $text-accent"),
                literal(f"  {report.learner}", "bold"),
                (
                    f" · {report.mode} · {short_date(self.context.clock.local(moment))} · "
                    f"{report.correct} of {report.answered} right "
                    f"({percent(report.correct, report.answered)}){status}",
                    "$text-muted",
                ),
            )
        )
        areas = self.query_one("#areas", Vertical)
        areas.remove_children()
        if report.areas:
            cards = [AreaCard(area, area.title, numbers=self.numbers) for area in report.areas]
            overall = report.overall_readiness
            if overall is not None and len(report.areas) > 1:
                cards.append(AreaCard(overall, "Overall (mean of the areas)", numbers=self.numbers))
            areas.mount_all(cards)
            areas.mount(
                Static(
                    Content.styled(
                        "Chances are model-based: they assume the questions behave as their "
                        "parameters say. d shows the numbers behind them.",
                        "$text-muted",
                    ),
                    classes="model-note",
                    markup=False,
                )
            )
            if report.uncounted:  # pretest questions, repeats after the key was shown
                from engine.report.render import uncounted_sentence

                areas.mount(
                    Static(
                        literal(uncounted_sentence(report.uncounted), "$text-muted"),
                        classes="model-note",
                        markup=False,
                    )
                )
        else:
            areas.mount(Static("No answers yet, so nothing to report.", markup=False))
        self._show_focus(report)
        self._show_review(report)

    def _show_focus(self, report: Report) -> None:
        body = self.query_one("#focus-body", Static)
        lines: list[Content] = []
        titles = {area.area: area.title for area in report.areas}
        if report.focus:
            self.query_one("#focus").border_title = "Focus next: weak topics"
            for finding in report.focus:
                lines.append(
                    Content.assemble(
                        literal(finding.title, "bold"),
                        literal(f"  {titles.get(finding.area, finding.area)}", "$text-muted"),
                    )
                )
                lines.append(
                    literal(
                        f"{finding.correct} of {finding.answered} right, about "
                        f"{finding.expected:.1f} expected at your level",
                        "$text-muted",
                    )
                )
                lines.extend(
                    Content.assemble(("  → ", "$text-accent"), literal(tip))
                    for tip in finding.study
                )
                # Topic ids are bank identifiers ([a-z0-9.-]), safe inside the click action.
                lines.append(
                    Content.assemble(
                        ("  ↻ ", "$text-accent"),
                        (
                            "practise this topic",
                            f"underline @click=screen.practise_topic({finding.topic!r})",
                        ),
                    )
                )
                lines.append(Content(""))
        else:
            self.query_one("#focus").border_title = "Focus next"
            lines.append(literal(_no_weak_topic(report), "$text-muted"))
            lines.append(
                Content.assemble(
                    ("p", "bold $text-accent"),
                    (
                        " practise: missed questions, then your most probably weak topics",
                        "$text-muted",
                    ),
                )
            )
            lines.append(Content(""))
            for step in report.next_steps:
                missed = [m for m in step.missed_by_topic if m.missed]
                counts = ", ".join(f"{m.title} {m.missed} of {m.answered}" for m in missed)
                summary = f"missed {counts}" if missed else "no question missed"
                lines.append(Content.assemble(literal(step.title, "bold"), literal(f": {summary}")))
                lines.extend(
                    Content.assemble(("  → ", "$text-accent"), literal(tip)) for tip in step.study
                )
                lines.append(Content(""))
        body.update(Content("\n").join(lines[:-1]))

    def _show_review(self, report: Report) -> None:
        review = self.query_one("#review-list", Menu)
        hint = self.query_one("#review-hint", Static)
        if not report.review:
            review.display = False
            hint.update("None missed. Well done.")
            return
        review.display = True
        topics = topic_titles(report)
        items = []
        for entry in report.review:
            from engine.quiz.plain_markdown import first_line_plain

            items.append(
                Content.assemble(
                    (f"{entry.number:>2} ", "bold $text-accent"),
                    literal(
                        f"{topics.get((entry.area, entry.topic), entry.topic)}  ", "$text-muted"
                    ),
                    inline(first_line_plain(entry.prompt)),
                )
            )
        review.set_items(items)
        hint.update(
            Content.styled(
                "m then Enter opens a question with your answer and the right one", "$text-muted"
            )
        )

    @on(Menu.Chosen, "#review-list")
    def _open_review(self, event: Menu.Chosen) -> None:
        if self.report is None:
            return
        from tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.report, event.position))

    def action_focus_review(self) -> None:
        review = self.query_one("#review-list", Menu)
        if review.display:
            review.focus()

    def action_numbers(self) -> None:
        self.numbers = not self.numbers
        for card in self.query(AreaCard):
            card.show_numbers(self.numbers)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_practise(self) -> None:
        """A practice session on the focus list's topics (none: the most probably weak)."""
        topics = tuple(finding.topic for finding in self.report.focus) if self.report else ()
        self.post_message(StartPractice(topics=topics))

    def action_practise_topic(self, topic: str) -> None:
        self.post_message(StartPractice(topics=(topic,)))

    def action_export(self) -> None:
        if self.report is not None:
            self.export(self.report)

    def export(self, report: Report) -> None:
        context = self.context
        stamp = context.clock.now().strftime("%Y%m%d-%H%M")
        self.in_background(
            lambda: context.backend.export_markdown(report, context.export_dir, stamp),
            lambda path: self.notify(f"Saved to {path}", title="Exported"),
            group="export",
            failed=lambda message: self.notify(message, title="Export", severity="error"),
        )


def _no_weak_topic(report: Report) -> str:
    """The report's own sentence for a quiz where no topic is called weak."""
    from engine.report.render import DEFAULT_FALSE_DISCOVERY_RATE
    from engine.report.wording import no_weak_topic_sentence

    tested = len(report.topics)
    answers = sum(topic.answered for topic in report.topics) / tested if tested else 0.0
    return no_weak_topic_sentence(answers, report.quizzes_pooled, DEFAULT_FALSE_DISCOVERY_RATE)
