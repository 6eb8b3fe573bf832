"""Home: who is learning, an unfinished quiz to resume, a new quiz, the last report.

The screen only lays out its widgets (`tui.widgets.home`) and hands them the
app's state (`show_state`); they post messages up when the learner acts.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll

from tui.context import AppContext
from tui.screens.base import WIDTH_BREAKPOINTS, AppScreen
from tui.state import AppState
from tui.widgets.home.panels import (
    AboutPanel,
    GoToPanel,
    HomeNotice,
    LastReportPanel,
    LearnerLine,
    ResumeBanner,
)
from tui.widgets.home.practice_panel import PracticePanel
from tui.widgets.home.quiz_form import QuizForm
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar


class HomeScreen(AppScreen):
    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#areas"
    HELP_SECTION = "## Home"
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start quiz"),
        Binding("r", "app.resume", "Resume"),
        Binding("p", "app.practice", "Practice"),
        Binding("o", "app.last_report", "Report"),
        Binding("h", "app.history", "History"),
        Binding("b", "app.bank", "Bank"),
        Binding("l", "app.learner", "Learner"),
    ]

    def __init__(self, context: AppContext, state: AppState) -> None:
        super().__init__()
        self.context = context
        self.state = state

    def compose(self) -> ComposeResult:
        clock = self.context.clock
        yield TitleBar()
        with VerticalScroll(id="home"):
            yield LearnerLine(id="learner-line")
            yield HomeNotice(id="notice")
            yield ResumeBanner(clock, id="resume-banner")
            with Horizontal(id="columns"):
                yield QuizForm(self.state.setup, id="new-quiz")
                with Vertical(id="side"):
                    yield PracticePanel(id="practice")
                    yield LastReportPanel(clock, id="last-report")
                    yield GoToPanel(id="links")
            yield AboutPanel(id="about")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_state(self.state)

    def on_screen_resume(self) -> None:
        self.show_state(self.state)

    @property
    def form_built(self) -> bool:
        return self.query_one(QuizForm).built

    async def build_form(self) -> None:
        """Mount the new-quiz form: done right after the first paint, to paint sooner."""
        await self.query_one(QuizForm).build()
        self.show_state(self.state)

    # -- attributes down: the app hands its state to the screen ------------------

    def show_state(self, state: AppState) -> None:
        self.state = state
        self.query_one(LearnerLine).show(state.learner)
        self.query_one(HomeNotice).show(state.error, state.startup)
        form = self.query_one(QuizForm)
        home = state.home
        if home is None:
            failed = state.error is not None
            form.show_waiting(failed)
            self.query_one(ResumeBanner).hide()
            self.query_one(LastReportPanel).show_waiting(failed)
            return
        self.query_one(AboutPanel).show(home)
        self.query_one(ResumeBanner).show(home.unfinished, home.area_titles)
        self.query_one(LastReportPanel).show(home.last_report)
        self.query_one(PracticePanel).show(home.practice)
        form.show_areas(home.areas, home.item_counts)

    def action_start(self) -> None:
        self.query_one(QuizForm).start()

    def focus_new_quiz(self) -> None:
        self.query_one(QuizForm).focus_areas()
