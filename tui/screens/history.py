"""History: every past quiz with its results, a trend line per area, and practice sessions.

Practice sessions are listed apart from quizzes, with their accuracy per topic over
time: their answers never enter the estimates the quizzes' trend lines show.
"""

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
from tui.formatting import area_titles, percent, plural, theta
from tui.messages import OpenReport, ResumeQuiz
from tui.screens.base import AppScreen
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.bank.model import AreaInfo
    from engine.practice.model import TopicTally
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
            with Vertical(id="practice-panel", classes="panel") as practice:
                practice.border_title = "Practice sessions (not counted in the estimates)"
                yield DataTable(id="practice-sessions", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="practice-topics", cursor_type="row", zebra_stripes=True)
                yield Static("", id="practice-hint")
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
        self._show_practice(data)

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

    def _show_practice(self, data: HistoryData) -> None:
        """Each practice session, newest first, and each topic's accuracy session by session."""
        sessions = self.query_one("#practice-sessions", DataTable)
        topics = self.query_one("#practice-topics", DataTable)
        hint = self.query_one("#practice-hint", Static)
        sessions.clear(columns=True)
        topics.clear(columns=True)
        sessions.display = topics.display = bool(data.practice)
        if not data.practice:
            hint.update(
                Content.styled(
                    "No practice yet: p on Home practises the questions you missed and your "
                    "weakest topics.",
                    "$text-muted",
                )
            )
            return
        sessions.add_columns("When", "Answered", "Right", "Reviews", "Accuracy per topic")
        for record in reversed(data.practice):
            when = self.context.clock.local(record.started_at)
            per_topic = Text(" · ", style="dim").join(
                Text.assemble((f"{t.title} ", "dim"), f"{t.correct}/{t.answered}")
                for t in record.topics
            )
            sessions.add_row(
                when.strftime("%Y-%m-%d %H:%M"),
                str(record.answered),
                f"{record.correct} ({percent(record.correct, record.answered)})",
                str(record.reviews),
                per_topic,
                key=f"practice-{record.session_id}",
            )
        by_topic: dict[tuple[str, str], list[TopicTally]] = {}
        for record in data.practice:
            for tally in record.topics:
                by_topic.setdefault((tally.area, tally.topic), []).append(tally)
        topics.add_columns("Topic", "Sessions", "Accuracy over time (oldest first)", "Latest")
        for tallies in sorted(by_topic.values(), key=lambda ts: ts[0].title):
            trend = " → ".join(f"{t.correct}/{t.answered}" for t in tallies[-6:])
            latest = tallies[-1]
            topics.add_row(
                latest.title,
                str(len(tallies)),
                trend,
                percent(latest.correct, latest.answered),
            )
        hint.update(
            Content.styled(
                "Practice repeats and explains questions, so it stays out of the estimates above.",
                "$text-muted",
            )
        )

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
