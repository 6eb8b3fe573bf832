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
from tui.formatting import percent, plural, plus_minus, theta
from tui.messages import OpenReport, ResumeQuiz
from tui.screens.base import WIDTH_BREAKPOINTS, AppScreen
from tui.text import literal, rich_literal
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


def short_title(title: str) -> str:
    """An area's title for a column header: its first word ("Machine", "Software")."""
    return title.split()[0] if title.split() else title


class HistoryScreen(AppScreen):
    """Every quiz with the level it reached per area (one column each, never cut).

    Levels are those of the estimate after each quiz; `d` shows the estimates
    and their precision instead.
    """

    CSS_PATH = "history.tcss"
    HELP_SECTION = "## History"
    AUTO_FOCUS = "#quizzes"
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "resume", "Resume unfinished"),
        Binding("d", "numbers", "Numbers"),
    ]

    def __init__(self, context: AppContext, learner: str) -> None:
        super().__init__()
        self.context = context
        self.learner = learner
        self.data: HistoryData | None = None
        self.numbers = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="history"):
            yield Static("", id="history-title", markup=False)
            yield Vertical(id="trends", classes="panel")
            with Vertical(id="table-panel", classes="panel") as panel:
                panel.border_title = "Quizzes"
                yield DataTable(id="quizzes", cursor_type="row", zebra_stripes=True)
                yield Static("", id="table-hint", markup=False)
            with Vertical(id="practice-panel", classes="panel") as practice:
                practice.border_title = "Practice sessions (not counted in the estimates)"
                yield DataTable(id="practice-sessions", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="practice-topics", cursor_type="row", zebra_stripes=True)
                yield Static("", id="practice-hint", markup=False)
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
                literal(f"  {data.learner}", "bold"),
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
                    Label(literal(area.title), classes="trend-area", markup=False),
                    Sparkline(values if len(values) > 1 else values * 2, classes="trend-line"),
                    Label(
                        Content.assemble(
                            (level_name(latest.estimate, area), "bold $text-accent"),
                            (
                                f" {theta(latest.estimate)} {plus_minus(latest.se)}"
                                f"  {plural(len(values), 'quiz', 'quizzes')}{change}",
                                "$text-muted",
                            ),
                        ),
                        classes="trend-latest",
                        markup=False,
                    ),
                    classes="trend-row",
                )
            )
        if rows:
            trends.mount_all(rows)
        else:
            trends.mount(
                Static("No answers yet: your trend appears after your first quiz.", markup=False)
            )

    def _show_table(self, data: HistoryData) -> None:
        table: DataTable[Text] = self.query_one("#quizzes", DataTable)
        table.clear(columns=True)
        wide = self.app.size.width >= 100
        table.add_column("When", key="when")
        if wide:
            table.add_column("Mode", key="mode")
            table.add_column("Length", key="length")
        table.add_column("Answered", key="answered")
        asked = {area for quiz in data.quizzes for area in quiz.areas}
        areas = [area for area in data.areas if area.id in asked]
        for area in areas:
            table.add_column(rich_literal(area.title if wide else short_title(area.title)))
        for quiz in reversed(data.quizzes):  # newest first
            past = data.past.get(quiz.session_id)
            when = self.context.clock.local(quiz.finished_at or quiz.started_at)
            answered = str(quiz.answered) if quiz.status != "active" else f"{quiz.answered} paused"
            cells = [Text(when.strftime("%Y-%m-%d %H:%M" if wide else "%d %b %H:%M"))]
            if wide:
                cells += [Text(quiz.mode), rich_literal(quiz.length.describe())]
            else:
                answered = answered if quiz.status == "active" else f"{answered} {quiz.mode}"
            cells.append(Text(answered))
            for area in areas:
                estimate = past.areas.get(area.id) if past is not None else None
                if estimate is None:
                    # DataTable cells take Rich text: "dim" rather than theme variables.
                    cells.append(Text("–" if area.id in quiz.areas else "", style="dim"))
                elif self.numbers:
                    cells.append(
                        Text(f"{theta(estimate.estimate)} {plus_minus(estimate.se)}", style="bold")
                    )
                else:
                    cells.append(Text(level_name(estimate.estimate, area)))
            table.add_row(*cells, key=str(quiz.session_id))
        hint = "Enter opens the report · d numbers" if data.quizzes else "No quizzes yet."
        if any(quiz.status == "active" for quiz in data.quizzes):
            hint += " · r resumes a paused quiz"
        self.query_one("#table-hint", Static).update(Content.styled(hint, "$text-muted"))

    def on_resize(self) -> None:
        if self.data is not None:  # more columns fit at 100 and more
            self._show_table(self.data)

    def action_numbers(self) -> None:
        self.numbers = not self.numbers
        if self.data is not None:
            row = self.query_one("#quizzes", DataTable).cursor_row
            self._show_table(self.data)
            self.query_one("#quizzes", DataTable).move_cursor(row=row)

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
