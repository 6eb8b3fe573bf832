"""Cohort: where a group of learners stands, for the instructor.

Per area the spread of the members' latest estimates and the share at each
level (with a 90% interval); a learner x area table; the topics weak across
the cohort; progress; the most-missed questions. The numbers are the cohort
report's (`engine.report.cohort`, also `skillprobe cohort report`); this
screen only lays them out. Learner names, cohort names and item text are
untrusted: they reach the screen as plain text, control characters removed.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Select, Static

from engine.report.cohort_render import first_line, learner_cell, sparkline
from engine.report.readiness import LEVELS
from engine.text import printable
from tui.context import AppContext
from tui.screens.base import WIDTH_BREAKPOINTS, AppScreen
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.report.cohort import CohortReport, LearnerArea, Share
    from tui.backend import CohortData

COHORT_GROUP = "cohort"
#: Column widths that keep the tables inside 80 columns (longer text ends in "…").
LEARNER_WIDTH = 16
ITEM_WIDTH = 20
QUESTION_WIDTH = 40


def plain(value: object) -> Text:
    """Untrusted text for a table cell: never markup, no control characters."""
    return Text(printable(value), no_wrap=True, overflow="ellipsis")


def share_text(share: Share) -> str:
    """ "45% 30–60": the expected share, then its 90% interval."""
    if share.expected != share.expected:  # NaN: nobody measured
        return "–"
    return f"{share.expected:.0%} {share.low * 100:.0f}–{share.high * 100:.0f}"


def short_cell(result: LearnerArea | None) -> str:
    """A learner's area in a narrow cell: "D-J 41%", "?" (too early) or "–" (no result)."""
    if result is None:
        return "–"
    return "?" if not result.enough_evidence else learner_cell(result)


class CohortScreen(AppScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["cohort.tcss"]
    HELP_SECTION = "## Cohort"
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    AUTO_FOCUS = "#cohort-choice"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("c", "choose", "Choose cohort"),
        Binding("l", "focus_learners", "Learners"),
        Binding("ctrl+r", "reload", "Reload", key_display="^r"),
    ]

    def __init__(self, context: AppContext, cohort: str | None = None) -> None:
        super().__init__()
        self.context = context
        self.cohort = cohort
        self.data: CohortData | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="cohort"):
            with Horizontal(id="cohort-head"):
                yield Select[str]([], prompt="Cohort", allow_blank=True, id="cohort-choice")
                yield Static("", id="cohort-summary", markup=False)
            with Vertical(id="areas-panel", classes="panel") as areas:
                areas.border_title = "Areas: each member's latest result"
                yield DataTable(id="area-table", cursor_type="none", zebra_stripes=True)
                yield Static("", id="area-hint", classes="muted", markup=False)
            with Vertical(id="learners-panel", classes="panel") as learners:
                learners.border_title = "Learners"
                yield DataTable(id="learner-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="learner-hint", classes="muted", markup=False)
            with Horizontal(id="lower"):
                with Vertical(id="topics-panel", classes="panel") as topics:
                    topics.border_title = "Weak across the cohort"
                    yield Static("", id="topics-body", markup=False)
                with Vertical(id="progress-panel", classes="panel") as progress:
                    progress.border_title = "Progress"
                    yield DataTable(id="progress-table", cursor_type="none")
                    yield Static("", id="progress-hint", classes="muted", markup=False)
            with Vertical(id="items-panel", classes="panel") as items:
                items.border_title = "Most-missed questions"
                yield DataTable(id="item-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load(self.cohort)

    def load(self, cohort: str | None) -> None:
        self.query_one("#cohort").loading = True
        backend = self.context.backend
        self.in_background(
            lambda: backend.cohort(cohort), self.show, group=COHORT_GROUP, failed=self._failed
        )

    def _failed(self, message: str) -> None:
        self.query_one("#cohort").loading = False
        self.query_one("#cohort-summary", Static).update(
            Content(f"Cannot build the cohort report: {printable(message)}")
        )

    def show(self, data: CohortData) -> None:
        self.data = data
        self.query_one("#cohort").loading = False
        choice = self.query_one("#cohort-choice", Select)
        with self.prevent(Select.Changed):
            choice.set_options((plain(name), name) for name in data.cohorts)
            if data.report is not None:
                choice.value = data.report.cohort
        report = data.report
        if report is None:
            self.query_one("#cohort-summary", Static).update(
                Content("No cohorts yet: `skillprobe cohort add NAME LEARNER...` creates one.")
            )
            for table in self.query(DataTable):
                table.clear(columns=True)
            return
        self.cohort = report.cohort
        self._show_summary(report)
        self._show_areas(report)
        self._show_learners(report)
        self._show_topics(report)
        self._show_progress(report)
        self._show_items(report)

    def _show_summary(self, report: CohortReport) -> None:
        since = report.window.since
        period = f"from {since:%Y-%m-%d}" if since is not None else "all quizzes"
        self.query_one("#cohort-summary", Static).update(
            Content.assemble(
                (f"{report.members} members", "bold"),
                (f" · {report.active} active · {report.answers} answers · {period}", "$text-muted"),
            )
        )

    def _show_areas(self, report: CohortReport) -> None:
        """Levels down, areas across: four areas fit in 80 columns with their intervals."""
        table = self.query_one("#area-table", DataTable)
        table.clear(columns=True)
        table.add_column("", key="label")
        for area in report.areas:
            table.add_column(plain(area.area), key=area.area)
        table.add_row(
            Text("Spread", style="bold"),
            *(Text(sparkline(a.histogram.counts)) for a in report.areas),
        )
        table.add_row(Text("Measured"), *(Text(str(a.measured)) for a in report.areas))
        for position, level in enumerate(LEVELS):
            table.add_row(
                Text(level), *(Text(share_text(a.levels[position])) for a in report.areas)
            )
        table.add_row(
            Text("Job-ready+", style="bold"),
            *(Text(share_text(a.job_ready), style="bold") for a in report.areas),
        )
        self.query_one("#area-hint", Static).update(
            Content(
                "Spread: latest estimates from −3 to +3. Shares: expected, then a 90% interval "
                "allowing for each member's measurement error; model-based."
            )
        )

    def _show_learners(self, report: CohortReport) -> None:
        table = self.query_one("#learner-table", DataTable)
        table.clear(columns=True)
        table.add_column("Learner", width=LEARNER_WIDTH)
        table.add_columns("Quiz", "Active", *(plain(a.area) for a in report.areas))
        for row in report.learners:
            last = self.context.clock.local(row.last_active) if row.last_active else None
            table.add_row(
                plain(row.name),
                Text(str(row.quizzes)),
                Text(last.strftime("%Y-%m-%d") if last else "never", style="" if last else "dim"),
                *(Text(short_cell(row.areas.get(a.area))) for a in report.areas),
            )
        self.query_one("#learner-hint", Static).update(
            Content(
                "Quizzes in the period, last active, then per area the level (F/D/J/S; D-J when "
                "one level is not clear) and P(job-ready); ? too early to call."
            )
        )

    def _show_topics(self, report: CohortReport) -> None:
        body = self.query_one("#topics-body", Static)
        titles = {area.area: area.title for area in report.areas}
        weak = report.weak_topics
        if not weak:
            tested = len(report.topics)
            body.update(
                Content.assemble(
                    ("No topic is weak across the cohort", "bold"),
                    (
                        f": none of {tested} topics with answers stands out from the learners' "
                        f"levels at a {report.false_discovery_rate:.0%} false discovery rate.",
                        "$text-muted",
                    ),
                )
            )
            return
        lines: list[Content] = []
        for topic in weak:
            lines.append(
                Content.assemble(
                    (printable(topic.title), "bold"),
                    (f"  {printable(titles.get(topic.area, topic.area))}", "$text-muted"),
                )
            )
            lines.append(
                Content.styled(
                    f"{topic.correct} of {topic.answered} right, about {topic.expected:.0f} "
                    f"expected; {topic.learners} learners; effect {topic.effect:+.2f}",
                    "$text-muted",
                )
            )
            lines.extend(
                Content.assemble(("  → ", "$text-accent"), printable(tip))
                for tip in topic.study[:1]
            )
        body.update(Content("\n").join(lines))

    def _show_progress(self, report: CohortReport) -> None:
        table = self.query_one("#progress-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Area", "n", "Change", "Job-ready")
        for progress in report.progress:
            if progress.mean_change is None or progress.se_change is None:
                change, share = "–", "–"
            else:
                change = f"{progress.mean_change:+.2f} ± {progress.se_change:.2f}"
                share = (
                    f"{progress.job_ready_before or 0:.0%} → {progress.job_ready_after or 0:.0%}"
                )
            table.add_row(
                plain(progress.title), Text(str(progress.learners)), Text(change), Text(share)
            )
        start = "first result" if report.progress_from_first else "result before the period"
        self.query_one("#progress-hint", Static).update(
            Content(f"From each learner's {start} to their latest.")
        )

    def _show_items(self, report: CohortReport) -> None:
        table = self.query_one("#item-table", DataTable)
        table.clear(columns=True)
        table.add_column("Item", width=ITEM_WIDTH)
        table.add_columns("Missed (exp.)", "Calibration", "Question")
        for item in report.items:
            note = item.calibration
            if note is None:
                calibration = "—"
            elif note.flags:
                calibration = ", ".join(note.flags)
            elif note.infit is not None:
                calibration = f"infit {note.infit:.2f}"
            else:
                calibration = "ok"
            table.add_row(
                plain(item.item_id),
                Text(f"{item.missed}/{item.asked} ({item.expected_missed:.1f})"),
                plain(calibration),
                plain(first_line(item.prompt, QUESTION_WIDTH)),
                key=item.item_id,
            )

    @on(Select.Changed, "#cohort-choice")
    def _chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.cohort:
            self.cohort = event.value
            self.load(event.value)

    def action_choose(self) -> None:
        choice = self.query_one("#cohort-choice", Select)
        choice.focus()
        choice.expanded = True

    def action_focus_learners(self) -> None:
        self.query_one("#learner-table", DataTable).focus()

    def action_reload(self) -> None:
        self.load(self.cohort)
