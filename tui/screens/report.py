"""Report: readiness per area, what to study next, and the questions that were missed."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.context import AppContext
from tui.formatting import percent, plural, short_date, theta
from tui.messages import StartPractice
from tui.screens.base import WIDTH_BREAKPOINTS, AppScreen
from tui.widgets.inline import inline
from tui.widgets.keybar import KeyFooter
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
        Binding("e", "export", "Export Markdown"),
        Binding("h", "app.history", "History"),
        Binding("m", "focus_review", "Missed questions"),
        Binding("p", "practise", "Practise"),
    ]

    def __init__(self, context: AppContext, quiz_id: int, *, just_finished: bool = False) -> None:
        super().__init__()
        self.context = context
        self.quiz_id = quiz_id
        self.just_finished = just_finished
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="report"):
            yield Static("", id="report-title")
            yield Vertical(id="areas", classes="panel")
            with Horizontal(id="lower"):
                with Vertical(id="focus", classes="panel") as focus:
                    focus.border_title = "Focus next"
                    yield Static("", id="focus-body")
                with Vertical(id="missed", classes="panel") as missed:
                    missed.border_title = "Missed questions"
                    yield OptionList(id="review-list")
                    yield Static("", id="review-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#areas").border_title = "Readiness"
        self.query_one("#report").loading = True
        self.load_report()

    def load_report(self) -> None:
        backend = self.context.backend

        def load() -> Report:
            with backend.service() as service:
                return service.report(self.quiz_id)

        self.in_background(load, self.show_report, group="report", failed=self._failed)

    def _failed(self, message: str) -> None:
        self.query_one("#report").loading = False
        self.query_one("#report-title", Static).update(f"Cannot build this report: {message}")

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
                (f"  {report.learner}", "bold"),
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
            areas.mount_all(AreaCard(area) for area in report.areas)
        else:
            areas.mount(Static("No answers yet, so nothing to report."))
        self._show_focus(report)
        self._show_review(report)

    def _show_focus(self, report: Report) -> None:
        body = self.query_one("#focus-body", Static)
        if not report.focus:
            weak = "No topic stands out as weak"
            body.update(
                Content.assemble(
                    (weak, "bold"),
                    (
                        ": every topic went about as well as your level predicts. "
                        "A longer quiz finds more.\n",
                        "$text-muted",
                    ),
                    ("p", "bold $text-accent"),
                    (
                        " practise: missed questions, then your most probably weak topics",
                        "$text-muted",
                    ),
                )
            )
            return
        lines: list[Content] = []
        titles = {area.area: area.title for area in report.areas}
        for finding in report.focus:
            lines.append(
                Content.assemble(
                    (finding.title, "bold"),
                    (f"  {titles.get(finding.area, finding.area)}", "$text-muted"),
                )
            )
            lines.append(
                Content.styled(
                    f"{finding.correct} of {finding.answered} right, "
                    f"about {finding.expected:.1f} expected at your level",
                    "$text-muted",
                )
            )
            lines.extend(Content.assemble(("  → ", "$text-accent"), tip) for tip in finding.study)
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
        body.update(Content("\n").join(lines[:-1]))

    def _show_review(self, report: Report) -> None:
        review = self.query_one("#review-list", OptionList)
        review.clear_options()
        if not report.review:
            review.display = False
            self.query_one("#review-hint", Static).update("None missed. Well done.")
            return
        review.display = True
        for entry in report.review:
            first_line = next((line for line in entry.prompt.splitlines() if line.strip()), "")
            review.add_option(
                Option(
                    Content.assemble(
                        (f"{entry.number:>2} ", "bold $text-accent"),
                        (f"{entry.topic}  ", "$text-muted"),
                        inline(first_line.strip()),
                    ),
                    id=f"review-{entry.number}",
                )
            )
        review.highlighted = 0
        self.query_one("#review-hint", Static).update(
            Content.styled(
                "Enter opens a question with your answer and the right one", "$text-muted"
            )
        )

    @on(OptionList.OptionSelected, "#review-list")
    def _open_review(self, event: OptionList.OptionSelected) -> None:
        if self.report is None:
            return
        from tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.report, event.option_index))

    def action_focus_review(self) -> None:
        review = self.query_one("#review-list", OptionList)
        if review.display:
            review.focus()

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


def summary_line(report: Report) -> str:
    """One line per report for places that only have room for that."""
    areas = ", ".join(f"{a.title} {a.level} ({theta(a.estimate)})" for a in report.areas)
    return f"{report.correct}/{report.answered} right · {areas}"
