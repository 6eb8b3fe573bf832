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

from tui.formatting import area_titles, plural, short_date, theta
from tui.messages import OpenReport, ResumeQuiz

if TYPE_CHECKING:
    from engine.quiz.model import QuizSummary
    from engine.report.readiness import Report
    from tui.backend import HomeData, StartupResult
    from tui.clock import Clock

LEVEL_COLOURS = {
    "Foundations": "$text-error",
    "Developing": "$text-warning",
    "Job-ready": "$text-success",
    "Strong": "$text-success",
}
MAX_PROBLEMS_SHOWN = 3


class LearnerLine(Static):
    def show(self, learner: str) -> None:
        self.update(
            Content.assemble(
                ("Learner ", "$text-muted"),
                (learner, "bold $text-accent"),
                ("   l to change", "$text-muted"),
            )
        )


class HomeNotice(Static):
    """Why Home has no data (the database cannot be opened), or why the bank was not imported."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, error: str | None, startup: StartupResult | None) -> None:
        if error:
            self.update(f"Cannot open the database: {error}")
            self.set_classes("-error")
        elif startup and startup.problems:
            problems = startup.problems
            shown = "\n".join(problems[:MAX_PROBLEMS_SHOWN])
            hidden = len(problems) - MAX_PROBLEMS_SHOWN
            more = f"\n… and {hidden} more" if hidden > 0 else ""
            self.update(
                f"The question bank has {plural(len(problems), 'problem')} and was not imported "
                f"(run `skillprobe bank validate`):\n{shown}{more}"
            )
            self.set_classes("-warning")
        else:
            self.update("")
            self.set_classes("")


class ResumeBanner(Static):
    """The learner's unfinished quiz, if any; a click resumes it (as `r` does)."""

    def __init__(self, clock: Clock, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.clock = clock
        self.quiz: QuizSummary | None = None

    def show(self, quiz: QuizSummary | None, titles: Mapping[str, str]) -> None:
        self.quiz = quiz
        if quiz is None:
            self.update("")
            self.set_classes("")
            return
        started = short_date(self.clock.local(quiz.started_at))
        self.update(
            Content.assemble(
                ("▶ Unfinished quiz", "bold"),
                (" · press ", "$text-muted"),
                ("r", "bold $text-accent"),
                (" to resume\n", "$text-muted"),
                f"{area_titles(quiz.areas, titles)} · {quiz.mode} · {quiz.length.describe()} · "
                f"{quiz.answered} answered · started {started}",
            )
        )
        self.set_classes("-shown")

    def hide(self) -> None:
        self.quiz = None
        self.set_classes("")

    def on_click(self, event: events.Click) -> None:
        if self.quiz is not None:
            event.stop()
            self.post_message(ResumeQuiz(self.quiz.session_id))


class LastReportPanel(Vertical):
    """The summary of the learner's last finished quiz; a click opens the report (as `o`)."""

    def __init__(self, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = "Last report"
        self.clock = clock
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="last-report-body")

    def show_waiting(self, failed: bool) -> None:
        self.report = None
        self._body.update("Could not load." if failed else "Loading…")

    def show(self, report: Report | None) -> None:
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
        moment = report.finished_at or report.started_at
        lines: list[Content] = [
            Content.assemble(
                (short_date(self.clock.local(moment)), "bold"),
                (f" · {report.mode} · {report.correct}/{report.answered} right", "$text-muted"),
            )
        ]
        for area in report.areas:
            provisional = "" if area.enough_evidence else " (provisional)"
            lines.append(
                Content.assemble(
                    (area.title, "bold"),
                    "  ",
                    (area.level, f"bold {LEVEL_COLOURS.get(area.level, '')}"),
                    (f"{provisional} {theta(area.estimate)}", "$text-muted"),
                )
            )
        if report.focus:
            names = ", ".join(finding.title for finding in report.focus[:3])
            lines.append(Content.assemble(("Focus: ", "$text-muted"), names))
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
        )


class AboutPanel(Vertical):
    """What each area measures, with its question and topic counts."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = "What is measured"

    def compose(self) -> ComposeResult:
        yield Static("", id="about-body")

    def show(self, home: HomeData) -> None:
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
