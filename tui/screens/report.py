"""Report: readiness per area, what to study next, and the questions that were missed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.backend import BackendError
from tui.formatting import percent, short_date, theta
from tui.screens.base import AppScreen
from tui.widgets.inline import inline
from tui.widgets.keybar import KeyFooter
from tui.widgets.readiness import AreaCard
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.report.readiness import Report
    from tui.app import SkillprobeApp


class ReportScreen(AppScreen):
    CSS_PATH: ClassVar[list[str]] = ["report.tcss", "../widgets/readiness.tcss"]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("e", "export", "Export Markdown"),
        Binding("h", "app.history", "History"),
        Binding("m", "focus_review", "Missed questions"),
    ]

    app: SkillprobeApp

    def __init__(self, quiz_id: int, *, just_finished: bool = False) -> None:
        super().__init__()
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

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def load_report(self) -> None:
        try:
            report = self.app.backend.report(self.quiz_id)
        except BackendError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self.show_report, report)

    def _failed(self, message: str) -> None:
        self.query_one("#report").loading = False
        self.query_one("#report-title", Static).update(f"Cannot build this report: {message}")

    def show_report(self, report: Report) -> None:
        self.report = report
        self.query_one("#report").loading = False
        moment = report.finished_at or report.started_at
        status = "" if report.status != "active" else "  (unfinished)"
        heading = "Quiz complete" if self.just_finished else "Report"
        self.query_one("#report-title", Static).update(
            Content.assemble(
                (heading, "bold $text-accent"),
                (f"  {report.learner}", "bold"),
                (
                    f" · {report.mode} · {short_date(self.app.clock.local(moment))} · "
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
                        "A longer quiz finds more.",
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

    def action_export(self) -> None:
        if self.report is not None:
            self.export(self.report)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, report: Report) -> None:
        stamp = self.app.clock.now().strftime("%Y%m%d-%H%M")
        try:
            path = self.app.backend.export_markdown(report, self.app.export_dir, stamp)
        except BackendError as error:
            self.app.call_from_thread(self.notify, str(error), title="Export", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Saved to {path}", title="Exported")


def summary_line(report: Report) -> str:
    """One line per report for places that only have room for that."""
    areas = ", ".join(f"{a.title} {a.level} ({theta(a.estimate)})" for a in report.areas)
    return f"{report.correct}/{report.answered} right · {areas}"
