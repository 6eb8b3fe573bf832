"""History: every past quiz with its results, and a trend line per area."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Label, Sparkline, Static

from tui.context import AppContext
from tui.formatting import area_titles, plural, theta
from tui.messages import OpenReport, ResumeQuiz
from tui.screens.base import AppScreen
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.bank.model import AreaInfo
    from tui.backend import HistoryData


def level_name(estimate: float, area: AreaInfo) -> str:
    cuts = area.cut_scores
    if estimate >= cuts.strong:
        return "Strong"
    if estimate >= cuts.job_ready:
        return "Job-ready"
    if estimate >= cuts.developing:
        return "Developing"
    return "Foundations"


class HistoryScreen(AppScreen):
    CSS_PATH = "history.tcss"
    HELP_SECTION = "## History"
    AUTO_FOCUS = "#quizzes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "resume", "Resume unfinished"),
    ]

    def __init__(self, context: AppContext, learner: str) -> None:
        super().__init__()
        self.context = context
        self.learner = learner
        self.data: HistoryData | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="history"):
            yield Static("", id="history-title")
            yield Vertical(id="trends", classes="panel")
            with Vertical(id="table-panel", classes="panel") as panel:
                panel.border_title = "Quizzes"
                yield DataTable(id="quizzes", cursor_type="row", zebra_stripes=True)
                yield Static("", id="table-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#trends").border_title = "Trend per area (ability after each quiz)"
        self.query_one("#history").loading = True
        backend, learner = self.context.backend, self.learner
        self.in_background(lambda: backend.history(learner), self.show_history, group="history")

    def show_history(self, data: HistoryData) -> None:
        self.data = data
        self.query_one("#history").loading = False
        self.query_one("#history-title", Static).update(
            Content.assemble(
                ("History", "bold $text-accent"),
                (f"  {data.learner}", "bold"),
                (f" · {plural(len(data.quizzes), 'quiz', 'quizzes')}", "$text-muted"),
            )
        )
        self._show_trends(data)
        self._show_table(data)

    def _show_trends(self, data: HistoryData) -> None:
        trends = self.query_one("#trends", Vertical)
        trends.remove_children()
        rows = []
        for area in data.areas:
            points = [
                data.past[quiz.session_id].areas[area.id]
                for quiz in data.quizzes
                if quiz.session_id in data.past and area.id in data.past[quiz.session_id].areas
            ]
            if not points:
                continue
            latest = points[-1]
            values = [point.estimate for point in points]
            change = "" if len(values) < 2 else f" · Δ{theta(values[-1] - values[0])}"
            rows.append(
                Horizontal(
                    Label(area.title, classes="trend-area"),
                    Sparkline(values if len(values) > 1 else values * 2, classes="trend-line"),
                    Label(
                        Content.assemble(
                            (f"{theta(latest.estimate)} ±{latest.se:.2f} ", "bold"),
                            (level_name(latest.estimate, area), "$text-accent"),
                            (f"  {plural(len(values), 'quiz', 'quizzes')}{change}", "$text-muted"),
                        ),
                        classes="trend-latest",
                    ),
                    classes="trend-row",
                )
            )
        if rows:
            trends.mount_all(rows)
        else:
            trends.mount(Static("No answers yet: your trend appears after your first quiz."))

    def _show_table(self, data: HistoryData) -> None:
        table = self.query_one("#quizzes", DataTable)
        table.clear(columns=True)
        table.add_columns("When", "Mode", "Length", "Answered", "Results per area", "Areas asked")
        areas = {area.id: area for area in data.areas}
        for quiz in reversed(data.quizzes):  # newest first
            past = data.past.get(quiz.session_id)
            # DataTable cells take Rich text: "dim" rather than theme variables.
            if past is None:
                results = Text(f"no answers · {area_titles(quiz.areas, {})}", style="dim")
            else:
                results = Text(" · ", style="dim").join(
                    Text.assemble(
                        (f"{areas[area].title if area in areas else area} ", "dim"),
                        (theta(estimate.estimate), "bold"),
                        (f" {level_name(estimate.estimate, areas[area])}" if area in areas else ""),
                    )
                    for area, estimate in past.areas.items()
                )
            when = self.context.clock.local(quiz.finished_at or quiz.started_at)
            answered = str(quiz.answered) if quiz.status != "active" else f"{quiz.answered} paused"
            table.add_row(
                when.strftime("%Y-%m-%d %H:%M"),
                quiz.mode,
                quiz.length.describe(),
                answered,
                results,
                area_titles(quiz.areas, {area.id: area.title for area in data.areas}),
                key=str(quiz.session_id),
            )
        hint = "Enter opens the report" if data.quizzes else "No quizzes yet."
        if any(quiz.status == "active" for quiz in data.quizzes):
            hint += " · r resumes a paused quiz"
        self.query_one("#table-hint", Static).update(Content.styled(hint, "$text-muted"))

    @on(DataTable.RowSelected, "#quizzes")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenReport(int(event.row_key.value)))

    def action_resume(self) -> None:
        if self.data is None:
            return
        table = self.query_one("#quizzes", DataTable)
        row_key = None
        if table.row_count:
            row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        chosen = next((q for q in self.data.quizzes if str(q.session_id) == row_key), None)
        if chosen is None or chosen.status != "active":
            chosen = next((q for q in reversed(self.data.quizzes) if q.status == "active"), None)
        if chosen is None:
            self.notify("No unfinished quiz.")
            return
        self.app.pop_screen()
        self.app.post_message(ResumeQuiz(chosen.session_id))
