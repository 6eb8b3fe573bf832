"""Quiz: one question at a time, feedback in practice mode, progress and time on the side.

Each answer goes to the service in a worker thread; the service commits it
before it returns, so feedback is shown only for answers that are saved.
The next question is fetched in the same worker, so moving on is instant.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.backend import BackendError, QuestionStep
from tui.formatting import area_titles, elapsed
from tui.messages import QuizEnded, QuizPaused
from tui.screens.base import AppScreen
from tui.widgets.feedback import FeedbackPanel
from tui.widgets.keybar import KeyBar
from tui.widgets.progress import QuizProgressPanel
from tui.widgets.question import QuestionView
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.quiz.model import Answer, AnswerReceipt, Question, QuizProgress, QuizSummary
    from tui.app import SkillprobeApp

NEXT_HINT = "Enter: next question   ↑↓: scroll   Esc: pause"
LAST_HINT = "Enter: see your report"


class QuizScreen(AppScreen):
    CSS_PATH: ClassVar[list[str]] = ["quiz.tcss", "../widgets/question.tcss"]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "pause", "Pause"),
        Binding("ctrl+s", "skip", "I don't know", key_display="^s"),
        Binding("s", "skip", "I don't know", show=False),
        Binding("enter", "next", "Next", key_display="⏎"),
        Binding("n,space", "next", "Next", show=False),
    ]

    app: SkillprobeApp

    def __init__(self, quiz_id: int) -> None:
        super().__init__()
        self.quiz_id = quiz_id
        self.summary: QuizSummary | None = None
        self.question: Question | None = None
        self.phase = "loading"  # loading | asking | sending | feedback | ending
        self.answered = 0
        self._pending_step: QuestionStep | None = None
        self.feedback_ready = False  # the feedback panel is rendered and scrolled into view
        self._shown_at = 0.0
        self._started_at = 0.0
        self._pause_requested = False
        self._progress: QuizProgress | None = None
        # Seconds from an answer (or the "next" key) to the next question on screen;
        # read by benchmarks/bench_startup.py.
        self.latencies: list[float] = []
        self._latency_from: float | None = None
        self._elapsed = "00:00"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="quiz-title")
        yield Static("", id="progress-line")
        with Horizontal(id="quiz-body"):
            with VerticalScroll(id="main"):
                yield Vertical(id="question-slot")
            yield QuizProgressPanel(id="progress", classes="panel")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self._started_at = self.app.clock.monotonic()
        self.query_one("#main").loading = True
        self._tick()
        if self.app.show_elapsed:
            self.set_interval(1.0, self._tick)
        self.load_step(first=True)

    def _tick(self) -> None:
        self._elapsed = elapsed(self.app.clock.monotonic() - self._started_at)
        self.query_one(QuizProgressPanel).show_elapsed(self._elapsed)
        if self._progress is not None:
            self._show_progress_line(self._progress)

    # -- talking to the service (worker threads) --------------------------------

    @work(thread=True, exclusive=True, group="quiz", exit_on_error=False)
    def load_step(self, first: bool = False) -> None:
        try:
            summary = self.app.backend.quiz(self.quiz_id) if first else None
            step = self.app.backend.step(self.quiz_id)
        except BackendError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._show_step, step, summary)

    @work(thread=True, exclusive=True, group="quiz", exit_on_error=False)
    def send_answer(self, question: Question, answer: Answer, response_time_ms: int) -> None:
        try:
            receipt = self.app.backend.submit(question, answer, response_time_ms)
            step = self.app.backend.step(self.quiz_id)
        except BackendError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._answered, receipt, step)

    def worker_failed(self, message: str) -> None:
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.notify(message, title="Quiz", severity="error")
        self.query_one("#main").loading = False
        if self.phase == "sending":
            self.phase = "asking"
            self.load_step()

    # -- showing ----------------------------------------------------------------

    def _show_step(self, step: QuestionStep, summary: QuizSummary | None = None) -> None:
        if summary is not None:
            self.summary = summary
            self._show_title()
        self.query_one("#main").loading = False
        self._show_progress(step.progress)
        if step.question is None:
            self.phase = "ending"
            self.post_message(QuizEnded(self.quiz_id))
            return
        self.question = step.question
        self.feedback_ready = False
        heading = self._heading(step.question, step.progress)
        views = self.query(QuestionView)
        if views:
            view = views.first()
            view.show(step.question, heading)
            view.focus_answer()
        else:
            view = QuestionView(step.question, heading=heading)
            self.query_one("#question-slot", Vertical).mount(view)
            self.call_after_refresh(view.focus_answer)
        self.query_one("#main", VerticalScroll).scroll_home(animate=False)
        self.phase = "asking"
        self._shown_at = self.app.clock.monotonic()
        self._show_keys()

    @on(QuestionView.Shown)
    def _question_on_screen(self, event: QuestionView.Shown) -> None:
        """The prompt has been painted (see PromptMarkdown): the question is on screen."""
        event.stop()
        if self._latency_from is not None:
            self.latencies.append(time.perf_counter() - self._latency_from)
            self._latency_from = None

    def _heading(self, question: Question, progress: QuizProgress) -> str:
        of = f" of {progress.max_questions}" if progress.max_questions else ""
        return f"Question {question.number}{of} · {question.area_title} › {question.topic_title}"

    def _show_title(self) -> None:
        summary = self.summary
        if summary is None:
            return
        home = self.app.state.home
        titles = {area.id: area.title for area in home.areas} if home else {}
        self.query_one("#quiz-title", Static).update(
            Content.assemble(
                (f"{summary.mode.capitalize()} quiz", "bold"),
                (
                    f" · {area_titles(summary.areas, titles)} · {summary.length.describe()}",
                    "$text-muted",
                ),
            )
        )

    def _show_progress(self, progress: QuizProgress) -> None:
        self.answered = progress.answered
        self._progress = progress
        self.query_one(QuizProgressPanel).show(progress)
        self._show_progress_line(progress)

    def _show_progress_line(self, progress: QuizProgress) -> None:
        total = f"/{progress.max_questions}" if progress.max_questions else ""
        parts = [Content.assemble((f"{progress.answered}{total}", "bold"), " answered")]
        for area in progress.areas:
            mark = " ✓" if area.finished else ""
            parts.append(Content.styled(f"{area.title} SE {area.se:.2f}{mark}", "$text-muted"))
        parts.append(Content.styled(self._elapsed, "$text-muted"))
        self.query_one("#progress-line", Static).update(Content("  ·  ").join(parts))

    # -- answering --------------------------------------------------------------

    @on(QuestionView.Answered)
    def _answer(self, event: QuestionView.Answered) -> None:
        event.stop()
        if self.phase != "asking" or event.question != self.question:
            return
        self.phase = "sending"
        self._latency_from = time.perf_counter()
        self._show_keys()
        event.view.freeze()
        milliseconds = round((self.app.clock.monotonic() - self._shown_at) * 1000)
        self.send_answer(event.question, event.answer, milliseconds)

    def _answered(self, receipt: AnswerReceipt, step: QuestionStep) -> None:
        self._show_progress(receipt.progress)
        if receipt.feedback is None:  # exam mode: straight on
            self._show_step(step)
        else:
            self._pending_step = step
            self.phase = "feedback"
            hint = LAST_HINT if step.question is None else NEXT_HINT
            panel = FeedbackPanel(receipt.feedback, next_hint=hint, id="feedback")
            view = self.query_one(QuestionView)
            view.mount(panel)
            self.query_one("#main", VerticalScroll).focus()
            self._show_keys()
        if self._pause_requested:
            self.action_pause()

    @on(FeedbackPanel.Ready)
    def _feedback_ready(self, event: FeedbackPanel.Ready) -> None:
        event.stop()
        self.query_one("#main", VerticalScroll).scroll_to_widget(event.panel, animate=False)
        self.feedback_ready = True

    def action_skip(self) -> None:
        if self.phase == "asking":
            self.query_one(QuestionView).skip()

    def action_next(self) -> None:
        if self.phase == "feedback" and self._pending_step is not None:
            self._latency_from = time.perf_counter()
            step, self._pending_step = self._pending_step, None
            self._show_step(step)

    def action_pause(self) -> None:
        if self.phase == "sending":
            self._pause_requested = True
            return
        if self.phase == "ending":
            return
        self.phase = "ending"
        self.post_message(QuizPaused(self.quiz_id, self.answered))

    def _show_keys(self) -> None:
        question = self.question
        keys: list[tuple[str, str]] = []
        if self.phase == "asking" and question is not None:
            if question.type == "multiple":
                keys += [("A-" + question.options[-1].label, "tick"), ("space", "tick")]
            elif question.type == "true_false":
                keys += [("T/F", "choose")]
            elif question.type == "single":
                keys += [("A-" + question.options[-1].label, "choose")]
            keys += [("⏎", "answer"), ("^s", "I don't know")]
        elif self.phase == "feedback":
            keys += [("⏎", "next question"), ("↑↓", "scroll")]
        elif self.phase == "sending":
            keys += [("…", "saving your answer")]
        keys += [("esc", "pause"), ("?", "help"), ("^p", "palette")]
        self.query_one(KeyBar).show(keys)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.phase == "feedback"
        if action == "skip":
            return self.phase == "asking"
        return True
