"""Home: who is learning, an unfinished quiz to resume, a new quiz, the last report."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    Label,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.selection_list import Selection

from tui.formatting import area_titles, plural, short_date, theta
from tui.messages import ResumeQuiz, StartQuiz
from tui.screens.base import AppScreen
from tui.state import LENGTH_CHOICES, MODE_CHOICES
from tui.widgets.keybar import KeyFooter
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from tui.app import SkillprobeApp
    from tui.state import AppState


class HomeScreen(AppScreen):
    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#areas"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start quiz"),
        Binding("r", "app.resume", "Resume"),
        Binding("o", "app.last_report", "Report"),
        Binding("h", "app.history", "History"),
        Binding("b", "app.bank", "Bank"),
        Binding("l", "app.learner", "Learner"),
    ]

    app: SkillprobeApp

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="home"):
            yield Static("", id="learner-line")
            yield Static("", id="notice", markup=False)
            yield Static("", id="resume-banner")
            with Horizontal(id="columns"):
                with Vertical(id="new-quiz", classes="panel") as panel:
                    panel.border_title = "New quiz"
                    yield Static("Loading…", id="form-placeholder")
                with Vertical(id="side"):
                    with Vertical(id="last-report", classes="panel") as panel:
                        panel.border_title = "Last report"
                        yield Static("Loading…", id="last-report-body")
                    with Vertical(id="links", classes="panel") as panel:
                        panel.border_title = "Go to"
                        yield Static(_links(), id="links-body")
            with Vertical(id="about", classes="panel") as panel:
                panel.border_title = "What is measured"
                yield Static("", id="about-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_state(self.app.state)

    async def build_form(self) -> None:
        """Mount the new-quiz form: done right after the first paint, to paint sooner."""
        if self.query("#areas"):
            return
        setup = self.app.state.setup
        mode = RadioSet(
            *(
                RadioButton(label, value=mode == setup.mode, tooltip=hint)
                for mode, label, hint in MODE_CHOICES
            ),
            id="mode",
            compact=True,
        )
        length = RadioSet(
            *(
                RadioButton(choice.label, value=choice.key == setup.length_key, tooltip=choice.hint)
                for choice in LENGTH_CHOICES
            ),
            id="length",
            compact=True,
        )
        rows = [
            Horizontal(
                Label("Areas", classes="field-label"),
                SelectionList[str](id="areas"),
                classes="field",
            ),
            Horizontal(Label("Mode", classes="field-label"), mode, classes="field"),
            Horizontal(Label("Length", classes="field-label"), length, classes="field"),
            Horizontal(
                Label("", classes="field-label"),
                Button("Start quiz", id="start", variant="primary", compact=True),
                Label("", id="setup-hint"),
                classes="field",
            ),
        ]
        await self.query_one("#form-placeholder").remove()
        await self.query_one("#new-quiz").mount_all(rows)
        self.show_state(self.app.state)

    def on_screen_resume(self) -> None:
        self.show_state(self.app.state)

    # -- attributes down: the app hands its state to the screen ------------------

    def show_state(self, state: AppState) -> None:
        self.query_one("#learner-line", Static).update(
            Content.assemble(
                ("Learner ", "$text-muted"),
                (state.learner, "bold $text-accent"),
                ("   l to change", "$text-muted"),
            )
        )
        notice = self.query_one("#notice", Static)
        if state.error:
            notice.update(f"Cannot open the database: {state.error}")
            notice.set_classes("-error")
        elif state.startup and state.startup.problems:
            problems = state.startup.problems
            shown = "\n".join(problems[:3])
            more = f"\n… and {len(problems) - 3} more" if len(problems) > 3 else ""
            notice.update(
                f"The question bank has {plural(len(problems), 'problem')} and was not imported "
                f"(run `skillprobe bank validate`):\n{shown}{more}"
            )
            notice.set_classes("-warning")
        else:
            notice.update("")
            notice.set_classes("")
        home = state.home
        if home is None:
            for areas in self.query("#areas").results(SelectionList):
                areas.loading = not state.error
            self.query_one("#resume-banner", Static).set_classes("")
            self.query_one("#last-report-body", Static).update(
                "Could not load." if state.error else "Loading…"
            )
            return
        self._show_about(state)
        self._show_resume(state)
        self._show_last_report(state)
        if self.query("#areas"):  # the form is mounted just after the first paint
            self._show_form(state)

    def _show_form(self, state: AppState) -> None:
        home = state.home
        assert home is not None
        areas = self.query_one("#areas", SelectionList)
        if areas.option_count != len(home.areas):
            areas.clear_options()
            areas.add_options(
                Selection(
                    Content.assemble(
                        area.title, (f"  {home.item_counts.get(area.id, 0)}", "$text-muted")
                    ),
                    area.id,
                    area.id in state.setup.areas,
                )
                for area in home.areas
            )
            areas.highlighted = 0
        areas.loading = False
        if self.focused is None:
            areas.focus()
        self._show_setup_hint()

    def _show_resume(self, state: AppState) -> None:
        banner = self.query_one("#resume-banner", Static)
        home = state.home
        if home is None or home.unfinished is None:
            banner.update("")
            banner.set_classes("")
            return
        quiz = home.unfinished
        titles = {area.id: area.title for area in home.areas}
        started = short_date(self.app.clock.local(quiz.started_at))
        banner.update(
            Content.assemble(
                ("▶ Unfinished quiz", "bold"),
                (" · press ", "$text-muted"),
                ("r", "bold $text-accent"),
                (" to resume\n", "$text-muted"),
                f"{area_titles(quiz.areas, titles)} · {quiz.mode} · {quiz.length.describe()} · "
                f"{quiz.answered} answered · started {started}",
            )
        )
        banner.set_classes("-shown")

    def _show_last_report(self, state: AppState) -> None:
        body = self.query_one("#last-report-body", Static)
        home = state.home
        report = home.last_report if home else None
        if report is None:
            body.update(
                Content.assemble(
                    "No finished quiz yet.\n\n",
                    ("Tick an area, pick a mode and a length, then press ", "$text-muted"),
                    ("s", "bold $text-accent"),
                    (" to start.", "$text-muted"),
                )
            )
            return
        moment = report.finished_at or report.started_at
        lines: list[Content] = [
            Content.assemble(
                (short_date(self.app.clock.local(moment)), "bold"),
                (f" · {report.mode} · {report.correct}/{report.answered} right", "$text-muted"),
            )
        ]
        for area in report.areas:
            provisional = "" if area.enough_evidence else " (provisional)"
            lines.append(
                Content.assemble(
                    (area.title, "bold"),
                    "  ",
                    (area.level, f"bold {_level_colour(area.level)}"),
                    (f"{provisional} {theta(area.estimate)}", "$text-muted"),
                )
            )
        if report.focus:
            names = ", ".join(finding.title for finding in report.focus[:3])
            lines.append(Content.assemble(("Focus: ", "$text-muted"), names))
        lines.append(
            Content.assemble(("o", "bold $text-accent"), (" open the report", "$text-muted"))
        )
        body.update(Content("\n").join(lines))

    def _show_about(self, state: AppState) -> None:
        home = state.home
        if home is None:
            return
        lines = [
            Content.assemble(
                (f"{area.title}", "bold"),
                (
                    f"  {plural(home.item_counts.get(area.id, 0), 'question')}"
                    f" in {plural(len(area.topics), 'topic')}",
                    "$text-muted",
                ),
                "\n",
                (area.description, ""),
            )
            for area in home.areas
        ]
        self.query_one("#about-body", Static).update(Content("\n").join(lines))

    def _show_setup_hint(self) -> None:
        state = self.app.state
        home = state.home
        titles = {area.id: area.title for area in home.areas} if home else {}
        choice = next(c for c in LENGTH_CHOICES if c.key == state.setup.length_key)
        self.query_one("#setup-hint", Label).update(
            Content.styled(
                f"{area_titles(state.setup.areas, titles)} · {state.setup.mode} · {choice.hint}",
                "$text-muted",
            )
        )

    # -- reading the form ---------------------------------------------------------

    @on(SelectionList.SelectedChanged, "#areas")
    def _areas_changed(self, event: SelectionList.SelectedChanged) -> None:
        selected = set(event.selection_list.selected)
        home = self.app.state.home
        order = [area.id for area in home.areas] if home else sorted(selected)
        self.app.state.setup.areas = tuple(area for area in order if area in selected)
        self._show_setup_hint()

    @on(RadioSet.Changed, "#mode")
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        self.app.state.setup.mode = MODE_CHOICES[event.index][0]
        self._show_setup_hint()

    @on(RadioSet.Changed, "#length")
    def _length_changed(self, event: RadioSet.Changed) -> None:
        self.app.state.setup.length_key = LENGTH_CHOICES[event.index].key
        self._show_setup_hint()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        setup = self.app.state.setup
        self.post_message(StartQuiz(setup.areas, setup.mode, setup.length))

    def action_resume(self) -> None:
        home = self.app.state.home
        if home and home.unfinished:
            self.post_message(ResumeQuiz(home.unfinished.session_id))

    def focus_new_quiz(self) -> None:
        self.query_one("#areas").focus()


def _level_colour(level: str) -> str:
    return {
        "Foundations": "$text-error",
        "Developing": "$text-warning",
        "Job-ready": "$text-success",
        "Strong": "$text-success",
    }.get(level, "")


def _links() -> Content:
    rows = [
        ("s", "start the quiz set up on the left"),
        ("h", "history of your quizzes"),
        ("b", "browse the question bank"),
        ("?", "help: every key"),
        ("^p", "command palette"),
    ]
    return Content("\n").join(
        Content.assemble((f"{key:<3}", "bold $text-accent"), (text, "$text-muted"))
        for key, text in rows
    )
