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
from textual.app import SystemCommand
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
    ResumeAsked,
    ResumeQuiz,
    SetupChanged,
    StartPractice,
    StartQuiz,
)
from tui.screens.base import HasHelpSection, QuizHolder
from tui.screens.home import HomeScreen
from tui.state import AppState, QuizSetup
from tui.text import LiteralNotifications

if TYPE_CHECKING:
    from engine.quiz.model import QuizSummary
    from tui.backend import HomeData, StartupResult
    from tui.screens.unfinished import UnfinishedChoice

SAVED_MESSAGE = "your answers are saved; resume from Home"
HOME_GROUP = "home"


class SkillprobeApp(LiteralNotifications[str | None]):
    """Returns a line to print after exit (e.g. that a paused quiz is saved), or None.

    Notifications are always literal text (`tui.text.LiteralNotifications`).
    """

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
        snapshot_dir: Path | None = None,
        cohort: str | None = None,
        start: str | None = None,
    ) -> None:
        super().__init__()
        self.state = AppState(learner=learner)
        self._snapshot_dir = snapshot_dir  # Home's snapshot (tui/home_snapshot.py); None: off
        self._cohort = cohort  # whoever quizzes joins it (--cohort / $SKILLPROBE_COHORT)
        clock = clock or Clock()
        self.context = AppContext(
            backend=backend or Backend(database_url, bank_path=bank_path, seed=seed, clock=clock),
            clock=clock,
            export_dir=export_dir or Path.cwd(),
            show_elapsed=show_elapsed,
        )
        self._exit_after = exit_after
        self._open_first = start  # a screen to open once Home's data is in ("practice")
        self._initial_theme = theme
        # A returning learner's Home, as last seen: shown right after the first frame
        # (which stays as light as it was) while the database opens; the fresh data
        # replaces it.
        self._saved = self._saved_home(learner)
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
        if self.state.home is None and self._saved is not None:
            self.state.home = self._saved
            self._refresh_home()
        for screen in self._home_screens():
            await screen.build_form()
        if self.state.home is not None:
            self._home_usable()

    def _home_usable(self) -> None:
        """Home's form and data are on screen: the learner can act."""
        if self._exit_after == "usable" and not self.sub_title.endswith(" · usable"):
            # The benchmark's marker (benchmarks/bench_startup.py), then exit.
            self.sub_title = f"{self.state.learner} · usable"
            self.call_after_refresh(self.exit)

    def _saved_home(self, learner: str) -> HomeData | None:
        if self._snapshot_dir is None:
            return None
        from tui.home_snapshot import load_home

        return load_home(self._snapshot_dir, self.backend.database_url, learner)

    def load_home(self) -> None:
        backend, learner = self.backend, self.state.learner
        snapshot_dir = self._snapshot_dir

        def load() -> tuple[StartupResult, HomeData]:
            startup = backend.open()
            home = backend.home(learner)
            if snapshot_dir is not None:
                from tui.home_snapshot import save_home

                save_home(snapshot_dir, backend.database_url, home)
            return startup, home

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
        if startup.imported and not self._quiz_open():
            self.notify(f"Question bank loaded: {startup.imported}", title="Bank")
        # Paths and URLs are untrusted text: literal, like every notification here.
        if startup.created:
            created = startup.created[:1].upper() + startup.created[1:]
            self.notify(created, title="Database")
        if startup.read_only:
            self.notify(
                f"Opened for reading only: {startup.read_only}",
                title="Database",
                severity="warning",
                timeout=15,
            )
        self._refresh_home()
        self._join_cohort(data.learner)
        if self._open_first == "practice":
            self._open_first = None
            self.action_practice()
        if self._exit_after == "ready":
            self.sub_title = f"{state.learner} · ready"  # the benchmark's marker
            self.call_after_refresh(self.exit)
        elif any(screen.form_built for screen in self._home_screens()):
            self._home_usable()

    def _join_cohort(self, learner: str) -> None:
        cohort, backend = self._cohort, self.backend
        if cohort is None:
            return

        def joined(new: bool) -> None:
            if new:
                self.notify(f"{learner} joined cohort {cohort}", title="Cohort")

        run_in_background(
            self,
            lambda: backend.join_cohort(learner, cohort),
            joined,
            lambda error: self.notify(error, title="Cohort", severity="error"),
            group="join-cohort",
        )

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
        # With Home's snapshot on screen the learner may act at once: what needs the
        # database waits for it in a worker (the backend's lock), never on the UI thread.
        if self.state.loading and self.state.home is None:
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
        if not self._can_navigate() or self._refuse_during_quiz("start another quiz"):
            return
        home = self.state.home
        if home is not None and home.unfinished:
            # Ask first: a new quiz would otherwise hide the unfinished one's answers.
            self._ask_about_unfinished(offer_new=True, start=message)
            return
        self._start(message)

    def _start(self, message: StartQuiz) -> None:
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

    def _ask_about_unfinished(self, *, offer_new: bool, start: StartQuiz | None = None) -> None:
        from tui.screens.unfinished import UnfinishedQuizScreen

        home = self.state.home
        if home is None:
            return

        def chosen(choice: UnfinishedChoice | None) -> None:
            if choice is None:
                return
            if choice.resume is not None:
                self.open_quiz(choice.resume)
            elif start is not None:
                self._start(start)

        screen = UnfinishedQuizScreen(
            home.unfinished, home.area_titles, self.clock, offer_new=offer_new
        )
        self.push_screen(screen, chosen)

    def _quiz_open(self) -> bool:
        return any(isinstance(screen, QuizHolder) for screen in self.screen_stack)

    def _refuse_during_quiz(self, doing: str) -> bool:
        """True (and says why) when a quiz is open: its answers belong to its learner."""
        if not self._quiz_open():
            return False
        self.notify(
            f"A quiz is open: pause it (Esc) before you {doing}. Its answers are saved "
            f"as {self.state.learner}.",
            title="Quiz in progress",
        )
        return True

    def open_quiz(self, quiz_id: int) -> None:
        from tui.screens.quiz import QuizScreen

        if self._refuse_during_quiz("open another quiz"):
            return
        home = self.state.home
        # Toasts raised on Home would cover the question: they have been read by now.
        self.clear_notifications()
        titles, counts = (home.area_titles, home.item_counts) if home else (None, None)
        self.push_screen(QuizScreen(self.context, quiz_id, titles, counts))

    @on(ResumeQuiz)
    def _resume(self, message: ResumeQuiz) -> None:
        if self._can_navigate():
            self.open_quiz(message.quiz_id)

    @on(ResumeAsked)
    def _resume_asked(self) -> None:
        self.action_resume()

    @on(QuizEnded)
    def _quiz_ended(self, message: QuizEnded) -> None:
        from tui.screens.report import ReportScreen

        self.switch_screen(
            ReportScreen(self.context, message.quiz_id, just_finished=True, note=message.note)
        )
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
        self.state.home = self._saved_home(name)
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
        if not self._can_navigate() or self._refuse_during_quiz("resume another quiz"):
            return
        home = self.state.home
        if home is None or not home.unfinished:
            self.notify("No unfinished quiz to resume.")
        elif len(home.unfinished) == 1:
            self.open_quiz(home.unfinished[0].session_id)
        else:
            self._ask_about_unfinished(offer_new=False)

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

    def action_cohort(self) -> None:
        if self._can_navigate():
            from tui.screens.cohort import CohortScreen

            self.push_screen(CohortScreen(self.context, self._cohort))

    def action_learner(self) -> None:
        from tui.screens.learner import LearnerScreen

        if self._refuse_during_quiz("change the learner"):
            return
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
        if not self._quiz_open():
            yield SystemCommand(
                "Resume quiz", "Carry on with an unfinished quiz", self.action_resume
            )
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
        yield SystemCommand(
            "Cohort report", "Where a group of learners stands (instructors)", self.action_cohort
        )
        if not self._quiz_open():  # a quiz's answers belong to the learner who started it
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
