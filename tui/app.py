"""The skillprobe terminal app: navigation and state; screens do the showing.

Start-up paints Home first and then, in a worker thread, opens the database,
imports the shipped bank when it changed and loads Home's data. Everything
that touches the database runs in the background (`tui.background`) through
`tui.backend.Backend`.

Attributes down, messages up: screens get an `AppContext` (and their own
data) through their constructors and never import this module; they post
messages (`tui.messages`) and the app navigates.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.backend import Backend
from tui.background import run_in_background
from tui.clock import Clock
from tui.config import DARK_THEME, LIGHT_THEME
from tui.context import AppContext
from tui.messages import (
    LearnerChosen,
    OpenReport,
    PracticeLeft,
    QuizEnded,
    QuizPaused,
    ResumeQuiz,
    SetupChanged,
    StartPractice,
    StartQuiz,
)
from tui.screens.base import HasHelpSection, QuizHolder
from tui.screens.home import HomeScreen
from tui.state import AppState, QuizSetup

if TYPE_CHECKING:
    from engine.quiz.model import QuizSummary
    from tui.backend import HomeData, StartupResult

SAVED_MESSAGE = "your answers are saved; resume from Home"
HOME_GROUP = "home"


class SkillprobeApp(App[str | None]):
    """Returns a line to print after exit (e.g. that a paused quiz is saved), or None."""

    TITLE = "skillprobe"
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "widgets/widgets.tcss"]
    ENABLE_COMMAND_PALETTE = True
    DEFAULT_MODE = "home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(
        self,
        database_url: str | None = None,
        learner: str = "learner",
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        bank_path: Path | None = None,
        export_dir: Path | None = None,
        theme: str = DARK_THEME,
        exit_after: str | None = None,
        show_elapsed: bool = True,
        backend: Backend | None = None,
        start: str | None = None,
    ) -> None:
        super().__init__()
        self.state = AppState(learner=learner)
        clock = clock or Clock()
        self.context = AppContext(
            backend=backend or Backend(database_url, bank_path=bank_path, seed=seed, clock=clock),
            clock=clock,
            export_dir=export_dir or Path.cwd(),
            show_elapsed=show_elapsed,
        )
        self._exit_after = exit_after
        self._start = start  # a screen to open once Home's data is in ("practice")
        self._initial_theme = theme
        # Home is the base of the one mode: installed this way its own .tcss is loaded.
        self.add_mode("home", lambda: HomeScreen(self.context, self.state))

    @property
    def backend(self) -> Backend:
        return self.context.backend

    @property
    def clock(self) -> Clock:
        return self.context.clock

    # -- start-up ---------------------------------------------------------------

    def on_mount(self) -> None:
        try:
            self.theme = self._initial_theme
        except Exception:  # an unknown theme name in $SKILLPROBE_THEME: keep the default
            self.theme = DARK_THEME
        self.sub_title = self.state.learner
        self.call_after_refresh(self.first_paint)

    async def first_paint(self) -> None:
        """Home is on screen: now build the rest of it, and load the data in a worker."""
        if self._exit_after == "paint":
            self.exit()
            return
        self.load_home()
        for screen in self._home_screens():
            await screen.build_form()

    def load_home(self) -> None:
        backend, learner = self.backend, self.state.learner

        def load() -> tuple[StartupResult, HomeData]:
            startup = backend.open()
            return startup, backend.home(learner)

        run_in_background(
            self,
            load,
            lambda loaded: self._home_loaded(*loaded),
            self._home_failed,
            group=HOME_GROUP,
        )

    def _home_loaded(self, startup: StartupResult, data: HomeData) -> None:
        # Warm the modules the next screens need while the learner reads Home.
        self.run_worker(_import_next_screens, thread=True, group="warm-up")
        state = self.state
        if data.learner != state.learner:  # the learner changed while loading
            return
        state.loading = False
        state.error = None
        state.home = data
        if startup.imported or startup.problems:
            state.startup = startup
        if startup.imported:
            self.notify(f"Question bank loaded: {startup.imported}", title="Bank")
        self._refresh_home()
        if self._start == "practice":
            self._start = None
            self.action_practice()
        if self._exit_after == "ready":
            self.call_after_refresh(self.exit)

    def _home_failed(self, message: str) -> None:
        self.state.loading = False
        self.state.error = message
        self._refresh_home()
        if self._exit_after == "ready":
            self.call_after_refresh(self.exit, message)

    def _home_screens(self) -> list[HomeScreen]:
        return [screen for screen in self.screen_stack if isinstance(screen, HomeScreen)]

    def _refresh_home(self) -> None:
        for screen in self._home_screens():
            screen.show_state(self.state)

    # -- navigation -------------------------------------------------------------

    def _can_navigate(self) -> bool:
        if self.state.error:
            self.notify(self.state.error, title="Database problem", severity="error")
            return False
        if self.state.loading:
            self.notify("Still loading the question bank; one moment…")
            return False
        return True

    @on(SetupChanged)
    def _setup_changed(self, message: SetupChanged) -> None:
        self.state.setup = QuizSetup(
            message.areas, message.mode, message.length_key, message.time_limit_key
        )

    @on(StartQuiz)
    def _start_quiz(self, message: StartQuiz) -> None:
        if not self._can_navigate():
            return
        backend, learner = self.backend, self.state.learner

        def start() -> QuizSummary:
            return backend.start_quiz(
                learner, message.areas, message.mode, message.length, message.time_limit_s
            )

        run_in_background(
            self,
            start,
            lambda summary: self.open_quiz(summary.session_id),
            lambda error: self.notify(error, severity="error", title="Cannot start"),
            group="start",
        )

    def open_quiz(self, quiz_id: int) -> None:
        from tui.screens.quiz import QuizScreen

        home = self.state.home
        self.push_screen(QuizScreen(self.context, quiz_id, home.area_titles if home else None))

    @on(ResumeQuiz)
    def _resume(self, message: ResumeQuiz) -> None:
        if self._can_navigate():
            self.open_quiz(message.quiz_id)

    @on(QuizEnded)
    def _quiz_ended(self, message: QuizEnded) -> None:
        from tui.screens.report import ReportScreen

        self.switch_screen(ReportScreen(self.context, message.quiz_id, just_finished=True))
        self.load_home()

    @on(QuizPaused)
    def _quiz_paused(self, message: QuizPaused) -> None:
        backend = self.backend
        # A timed quiz keeps its time used; paused time does not count.
        run_in_background(
            self,
            lambda: backend.pause_quiz(message.quiz_id),
            lambda _: None,
            lambda error: self.notify(error, severity="error", title="Pause"),
            group="pause",
        )
        self.pop_screen()
        self.notify(
            f"Quiz paused after {message.answered} answered: {SAVED_MESSAGE}.", title="Paused"
        )
        self.load_home()

    @on(StartPractice)
    def _start_practice(self, message: StartPractice) -> None:
        self.action_practice(message.topics, message.areas)

    def action_practice(self, topics: tuple[str, ...] = (), areas: tuple[str, ...] = ()) -> None:
        """A practice session: due reviews, then new questions from the weakest topics."""
        if not self._can_navigate():
            return
        from tui.screens.practice import PracticeScreen

        self.push_screen(PracticeScreen(self.context, self.state.learner, topics, areas))

    @on(PracticeLeft)
    def _practice_left(self, message: PracticeLeft) -> None:
        self.pop_screen()
        if message.answered:
            self.notify(
                f"{message.answered} practice answers saved; they never change your readiness.",
                title="Practice",
            )
        self.load_home()  # the reviews due today have changed

    @on(OpenReport)
    def _open_report(self, message: OpenReport) -> None:
        from tui.screens.report import ReportScreen

        self.push_screen(ReportScreen(self.context, message.quiz_id))

    @on(LearnerChosen)
    def _learner_chosen(self, message: LearnerChosen) -> None:
        name = message.name.strip()
        if not name or name == self.state.learner:
            return
        self.state.learner = name
        self.state.home = None
        self.state.loading = True
        self.sub_title = name
        self._refresh_home()
        self.notify(f"Now quizzing as {name}", title="Learner")
        self.load_home()

    def action_home(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            if isinstance(self.screen, QuizHolder):
                self.screen.action_pause()
                return
            self.pop_screen()

    def action_new_quiz(self) -> None:
        self.action_home()
        if isinstance(self.screen, HomeScreen):
            self.screen.focus_new_quiz()

    def action_resume(self) -> None:
        home = self.state.home
        if self._can_navigate() and home is not None and home.unfinished is not None:
            self.open_quiz(home.unfinished.session_id)
        elif self._can_navigate():
            self.notify("No unfinished quiz to resume.")

    def action_last_report(self) -> None:
        home = self.state.home
        if self._can_navigate() and home is not None and home.last_report is not None:
            self.post_message(OpenReport(home.last_report.session_id))
        elif self._can_navigate():
            self.notify("No finished quiz yet: start one from Home.")

    def action_history(self) -> None:
        if self._can_navigate():
            from tui.screens.history import HistoryScreen

            self.push_screen(HistoryScreen(self.context, self.state.learner))

    def action_bank(self) -> None:
        if self._can_navigate():
            from tui.screens.bank import BankScreen

            self.push_screen(BankScreen(self.context))

    def action_learner(self) -> None:
        from tui.screens.learner import LearnerScreen

        known = self.state.home.learners if self.state.home else ()

        def chosen(name: str | None) -> None:
            if name:
                self.post_message(LearnerChosen(name))

        self.push_screen(LearnerScreen(self.state.learner, known), chosen)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        screen = self.screen
        if not isinstance(screen, HelpScreen):
            section = screen.HELP_SECTION if isinstance(screen, HasHelpSection) else ""
            self.push_screen(HelpScreen(section))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    async def action_quit(self) -> None:
        if isinstance(self.screen, QuizHolder):
            answered = self.screen.answered
            self.exit(f"Quiz paused after {answered} answered: {SAVED_MESSAGE}.")
            return
        self.exit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker failed in a way nobody planned for: say so instead of hanging."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = f"{type(error).__name__}: {error}"
        if event.worker.group == HOME_GROUP:
            self._home_failed(message)
        else:
            self.notify(message, title="Something went wrong", severity="error", timeout=10)

    def on_unmount(self) -> None:
        self.backend.close()

    # -- command palette --------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("Home", "Back to the Home screen", self.action_home)
        yield SystemCommand("New quiz", "Choose areas, mode and length", self.action_new_quiz)
        yield SystemCommand("Resume quiz", "Carry on with your unfinished quiz", self.action_resume)
        yield SystemCommand(
            "Last report", "Open the report of your last quiz", self.action_last_report
        )
        yield SystemCommand(
            "Practice",
            "Missed questions that are due, then new ones from your weakest topics",
            self.action_practice,
        )
        yield SystemCommand(
            "History", "Past quizzes and practice, your trend per area", self.action_history
        )
        yield SystemCommand("Question bank", "Browse and preview every question", self.action_bank)
        yield SystemCommand("Change learner", "Quiz under another name", self.action_learner)
        yield SystemCommand(
            "Light / dark theme",
            "Switch between the light and dark theme",
            self.action_toggle_theme,
        )
        yield SystemCommand("Help", "Keys and screens", self.action_help)
        yield from super().get_system_commands(screen)


def _import_next_screens() -> None:
    import tui.screens.quiz
    import tui.screens.report  # noqa: F401
