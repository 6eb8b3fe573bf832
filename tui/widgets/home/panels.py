"""Home's panels around the form: who is learning, notices, the unfinished quiz, the last
report, where to go, and what each area measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tui.formatting import area_titles, plural, short_date
from tui.messages import OpenReport, ResumeAsked
from tui.text import literal

if TYPE_CHECKING:
    from engine.quiz.model import QuizSummary
    from tui.backend import HomeData, ReportSummary, StartupResult
    from tui.clock import Clock

MAX_PROBLEMS_SHOWN = 3
MAX_UNFINISHED_SHOWN = 3
NARROW_WIDTH = 100  # the screens' -narrow breakpoint


class LearnerLine(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, learner: str) -> None:
        self.update(
            Content.assemble(
                ("Learner ", "$text-muted"),
                literal(learner, "bold $text-accent"),
                ("   l to change", "$text-muted"),
            )
        )


class HomeNotice(Static):
    """Why Home has no data (the database cannot be opened), or why the bank was not imported."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, error: str | None, startup: StartupResult | None) -> None:
        if error:
            self.update(literal(f"Cannot open the database: {error}", multiline=True))
            self.set_classes("-error")
        elif startup and startup.problems:
            problems = startup.problems
            shown = "\n".join(problems[:MAX_PROBLEMS_SHOWN])
            hidden = len(problems) - MAX_PROBLEMS_SHOWN
            more = f"\n… and {hidden} more" if hidden > 0 else ""
            self.update(
                literal(
                    f"The question bank has {plural(len(problems), 'problem')} and was not "
                    f"imported (run `skillprobe bank validate`):\n{shown}{more}",
                    multiline=True,
                )
            )
            self.set_classes("-warning")
        else:
            self.update("")
            self.set_classes("")


def describe_quiz(quiz: QuizSummary, titles: Mapping[str, str], clock: Clock) -> str:
    """One unfinished quiz in a line: areas, mode, length, answers so far, when it started."""
    started = short_date(clock.local(quiz.started_at))
    return (
        f"{area_titles(quiz.areas, titles)} · {quiz.mode} · {quiz.length.describe()} · "
        f"{quiz.answered} answered · started {started}"
    )


class ResumeBanner(Static):
    """Every unfinished quiz of the learner, newest first; a click resumes (as `r` does)."""

    def __init__(self, clock: Clock, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.clock = clock
        self.quizzes: tuple[QuizSummary, ...] = ()

    def show(self, quizzes: tuple[QuizSummary, ...], titles: Mapping[str, str]) -> None:
        self.quizzes = quizzes
        if not quizzes:
            self.update("")
            self.set_classes("")
            return
        several = len(quizzes) > 1
        heading = f"▶ {len(quizzes)} unfinished quizzes" if several else "▶ Unfinished quiz"
        action = " to choose one to resume" if several else " to resume"
        lines = [
            Content.assemble(
                (heading, "bold"),
                (" · press ", "$text-muted"),
                ("r", "bold $text-accent"),
                (action, "$text-muted"),
            )
        ]
        lines += [
            literal(describe_quiz(q, titles, self.clock)) for q in quizzes[:MAX_UNFINISHED_SHOWN]
        ]
        hidden = len(quizzes) - MAX_UNFINISHED_SHOWN
        if hidden > 0:
            lines.append(Content.styled(f"… and {hidden} more", "$text-muted"))
        self.update(Content("\n").join(lines))
        self.set_classes("-shown")

    def hide(self) -> None:
        self.quizzes = ()
        self.set_classes("")

    def on_click(self, event: events.Click) -> None:
        if self.quizzes:
            event.stop()
            self.post_message(ResumeAsked())


class LastReportPanel(Vertical):
    """The summary of the learner's last finished quiz; a click opens the report (as `o`)."""

    def __init__(self, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = "Last report"
        self.clock = clock
        self.report: ReportSummary | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="last-report-body", markup=False)

    def show_waiting(self, failed: bool) -> None:
        self.report = None
        self._body.update("Could not load." if failed else "Loading…")

    def show(self, report: ReportSummary | None) -> None:
        self.report = report
        if report is None:
            self._body.update(
                Content.assemble(
                    "No finished quiz yet.\n\n",
                    ("Tick an area, pick a mode and a length, then press ", "$text-muted"),
                    ("s", "bold $text-accent"),
                    (" to start.", "$text-muted"),
                )
            )
            return
        lines: list[Content] = [
            Content.assemble(
                (short_date(self.clock.local(report.moment)), "bold"),
                (f" · {report.mode} · {report.correct}/{report.answered} right", "$text-muted"),
            )
        ]
        for area in report.areas:
            # At 80 columns the panel is narrow: the level goes under the area's name.
            gap = "\n  " if self.app.size.width < NARROW_WIDTH else "  "
            lines.append(Content.assemble(literal(area.title, "bold"), gap, literal(area.level)))
        if report.focus:
            names = ", ".join(report.focus[:3])
            lines.append(Content.assemble(("Focus: ", "$text-muted"), literal(names)))
        lines.append(
            Content.assemble(("o", "bold $text-accent"), (" open the report", "$text-muted"))
        )
        self._body.update(Content("\n").join(lines))

    @property
    def _body(self) -> Static:
        return self.query_one("#last-report-body", Static)

    def on_click(self, event: events.Click) -> None:
        if self.report is not None:
            event.stop()
            self.post_message(OpenReport(self.report.session_id))


class GoToPanel(Vertical):
    """The keys that lead elsewhere (hidden at 80 columns, where the footer has them)."""

    LINKS = (
        ("s", "start the quiz set up on the left"),
        ("h", "history of your quizzes"),
        ("b", "browse the question bank"),
        ("?", "help: every key"),
        ("^p", "command palette"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = "Go to"

    def compose(self) -> ComposeResult:
        yield Static(
            Content("\n").join(
                Content.assemble((f"{key:<3}", "bold $text-accent"), (text, "$text-muted"))
                for key, text in self.LINKS
            ),
            id="links-body",
            markup=False,
        )


class AboutPanel(Vertical):
    """What each area measures, with its question and topic counts."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = "What is measured"

    def compose(self) -> ComposeResult:
        yield Static("", id="about-body", markup=False)

    def show(self, home: HomeData) -> None:
        lines = [
            Content.assemble(
                literal(area.title, "bold"),
                (
                    f"  {plural(area.questions, 'question')} in {plural(area.topics, 'topic')}",
                    "$text-muted",
                ),
                "\n",
                literal(area.description),
            )
            for area in home.areas
        ]
        self.query_one("#about-body", Static).update(Content("\n").join(lines))
