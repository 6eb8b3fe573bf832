"""Quiz: one question at a time, feedback in practice mode, progress and time on the side.

Each answer goes to the service in a worker thread; the service commits it
before it returns, so feedback is shown only for answers that are saved.
The next question is fetched in the same worker, so moving on is instant.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.clock import clock_text, describe_duration
from tui.context import AppContext
from tui.formatting import area_titles, elapsed, plus_minus
from tui.messages import QuizEnded, QuizPaused
from tui.screens.base import WIDTH_BREAKPOINTS, QuizHolder
from tui.text import literal
from tui.widgets.answer_keys import answer_key_hints
from tui.widgets.feedback import FeedbackPanel
from tui.widgets.keybar import KeyBar, KeyHint
from tui.widgets.progress import QuizProgressPanel
from tui.widgets.question import QuestionView
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.quiz.model import Answer, Question, QuizProgress, QuizSummary
    from tui.backend import AnsweredStep, QuestionStep

TYPED = ("numeric", "text")  # answer-box questions: "?" is typed there


NEXT_HINT = "Enter: next question   ↑↓ PgUp PgDn: scroll   Esc: pause"
LAST_HINT = "Enter: see your report   ↑↓ PgUp PgDn: scroll"
#: A timed quiz warns once, calmly (the clock turns the warning colour), at this many seconds.
WARN_AT_SECONDS = 60


class QuizScreen(QuizHolder):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["quiz.tcss", "../widgets/question.tcss"]
    HELP_SECTION = "## Quiz"
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "pause", "Pause"),
        Binding("ctrl+s", "skip", "I don't know", key_display="^s"),
        Binding("s", "skip", "I don't know", show=False),
        Binding("enter", "next", "Next", key_display="⏎"),
        Binding("n,space", "next", "Next", show=False),
        # Whatever has focus (the options, the answer box), these scroll the question.
        Binding("pageup", "scroll_question('page_up')", "Scroll", show=False, priority=True),
        Binding("pagedown", "scroll_question('page_down')", "Scroll", show=False, priority=True),
        Binding("home", "scroll_question('home')", "Top", show=False, priority=True),
        Binding("end", "scroll_question('end')", "End", show=False, priority=True),
    ]

    def __init__(
        self,
        context: AppContext,
        quiz_id: int,
        area_names: Mapping[str, str] | None = None,
        item_counts: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.quiz_id = quiz_id
        self.area_names = dict(area_names or {})  # area id -> title, for the heading
        self.item_counts = dict(item_counts or {})  # area id -> questions in the bank
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
        # A timed quiz's countdown: when it reaches zero on the shared monotonic clock.
        self._deadline: float | None = None
        self._time_warned = False
        self._time_up = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="quiz-title", markup=False)
        yield Static("", id="progress-line", markup=False)
        with Horizontal(id="quiz-body"):
            with VerticalScroll(id="main"):
                yield Vertical(id="question-slot")
            yield QuizProgressPanel(id="progress", classes="panel")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self._started_at = self.context.clock.monotonic()
        main = self.query_one("#main")
        main.loading = True
        # While a question waits for its answer the keys go to the answer, never to the
        # scroll area (PgUp/PgDn/Home/End scroll it from anywhere): see _set_phase.
        main.can_focus = False
        self._tick()
        if self.context.show_elapsed:
            self.set_interval(1.0, self._tick)
        self.load_first_step()

    def _tick(self) -> None:
        if self._deadline is not None:
            return  # a timed quiz shows its countdown instead
        self._elapsed = elapsed(self.context.clock.monotonic() - self._started_at)
        self.query_one(QuizProgressPanel).show_elapsed(self._elapsed)
        if self._progress is not None:
            self._show_progress_line(self._progress)

    def _start_countdown(self, time_left_s: float) -> None:
        """The service said how much time is left: count down from it, once a second."""
        self._deadline = self.context.clock.monotonic() + time_left_s
        self.set_interval(1.0, self._countdown)
        self._countdown()

    @property
    def time_left(self) -> float | None:
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - self.context.clock.monotonic())

    def _countdown(self) -> None:
        left = self.time_left
        if left is None:
            return
        low = left <= WARN_AT_SECONDS
        # Whole seconds rounded up, in a fixed-width clock: the text never jitters.
        self._elapsed = clock_text(left)
        self.query_one(QuizProgressPanel).show_time_left(self._elapsed, low=low)
        if self._progress is not None:
            self._show_progress_line(self._progress)
        if low and not self._time_warned and left > 0:
            self._time_warned = True
            self.notify("One minute left.", title="Time", timeout=4)
        if left <= 0:
            self._expire()

    def _expire(self) -> None:
        """At zero the quiz finishes; an answer being saved is let through first."""
        if self._time_up or self.phase in ("ending", "loading"):
            return
        if self.phase == "sending":
            return  # `_answered` comes back and calls this again through the countdown
        self._time_up = True
        self.phase = "loading"
        self._show_keys()
        backend = self.context.backend
        self.in_background(
            lambda: backend.expire_quiz(self.quiz_id),
            self._show_step,
            group="quiz",
            failed=self._failed,
        )

    # -- talking to the service (worker threads) --------------------------------

    def load_first_step(self) -> None:
        backend = self.context.backend

        def load() -> tuple[QuestionStep, QuizSummary]:
            with backend.service() as service:
                summary = service.quiz(self.quiz_id)
            return backend.step(self.quiz_id), summary

        self.in_background(
            load, lambda loaded: self._show_step(*loaded), group="quiz", failed=self._failed
        )

    def load_step(self, failed: Callable[[str], object] | None = None) -> None:
        backend = self.context.backend
        self.in_background(
            lambda: backend.step(self.quiz_id),
            self._show_step,
            group="quiz",
            failed=failed or self._failed,
        )

    def send_answer(self, question: Question, answer: Answer, response_time_ms: int) -> None:
        backend = self.context.backend
        self.in_background(
            lambda: backend.answer(question, answer, response_time_ms),
            self._answered,
            group="quiz",
            failed=self._failed,
        )

    def worker_failed(self, message: str) -> None:
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.query_one("#main").loading = False
        views = self.query(QuestionView)
        if views and self.question is not None:
            # Said under the question, where the learner is looking; a toast would cover it.
            views.first().show_problem(message)
        else:
            self.notify(message, title="Quiz", severity="error")
        if self.phase == "sending":
            # The answer was not saved: the learner may give it again (the service asks
            # the same question), even while reloading the step fails.
            self._set_phase("asking")
            for view in self.query(QuestionView):
                view.thaw()
            self._show_keys()
            # If reloading fails too, the first message stays: it says what became of
            # the answer, which is what the learner needs to know.
            self.load_step(failed=self._reload_failed)

    def _reload_failed(self, message: str) -> None:
        self.query_one("#main").loading = False

    # -- showing ----------------------------------------------------------------

    def _show_step(self, step: QuestionStep, summary: QuizSummary | None = None) -> None:
        if summary is not None:
            self.summary = summary
            self._show_title()
        self.query_one("#main").loading = False
        self._show_progress(step.progress)
        if step.question is None:
            self._set_phase("ending")
            self.post_message(QuizEnded(self.quiz_id, self._ended_early(step.progress)))
            return
        self.question = step.question
        self.feedback_ready = False
        heading = self._heading(step.question, step.progress)
        self._set_phase("asking")
        views = self.query(QuestionView)
        if views:
            view = views.first()
            view.show(step.question, heading)
            view.focus_answer()
        else:
            view = QuestionView(step.question, heading=heading, focus_on_mount=True)
            self.query_one("#question-slot", Vertical).mount(view)
        # The question is read from its first line (after focusing, which scrolls to the
        # control); typing or moving through the options brings the control into view.
        main = self.query_one("#main", VerticalScroll)
        main.scroll_home(animate=False)
        self.call_after_refresh(main.scroll_home, animate=False)
        self._shown_at = self.context.clock.monotonic()
        self._show_keys()

    @on(QuestionView.Shown)
    def _question_on_screen(self, event: QuestionView.Shown) -> None:
        """The prompt has been painted (see PromptMarkdown): the question is on screen."""
        event.stop()
        if self._latency_from is not None:
            self.latencies.append(time.perf_counter() - self._latency_from)
            self._latency_from = None

    def _ended_early(self, progress: QuizProgress) -> str:
        """Why a fixed-length quiz stopped short: the bank had no more questions to ask."""
        summary = self.summary
        planned = summary.length.length if summary is not None else None
        if planned is None or progress.answered >= planned:
            return ""
        return (
            f"The question bank has no more questions for "
            f"{area_titles(summary.areas if summary else (), self.area_names)}: "
            f"the quiz stopped after {progress.answered} of the {planned} questions chosen."
        )

    @property
    def available(self) -> int | None:
        """Questions the bank has for this quiz's areas (None when not known)."""
        if self.summary is None or not self.item_counts:
            return None
        return sum(self.item_counts.get(area, 0) for area in self.summary.areas)

    def _heading(self, question: Question, progress: QuizProgress) -> str:
        planned = progress.max_questions
        available = self.available
        if planned and available is not None and available < planned:
            # Say it up front: the bank runs out before the length chosen.
            of = f" of {available} (only {available} in the bank)"
        else:
            of = f" of {planned}" if planned else ""
        return f"Question {question.number}{of} · {question.area_title} › {question.topic_title}"

    def _show_title(self) -> None:
        summary = self.summary
        if summary is None:
            return
        limit = (
            f" · {describe_duration(summary.time_limit_s)} limit" if summary.time_limit_s else ""
        )
        self.query_one("#quiz-title", Static).update(
            Content.assemble(
                (f"{summary.mode.capitalize()} quiz", "bold"),
                literal(
                    f" · {area_titles(summary.areas, self.area_names)} · "
                    f"{summary.length.describe()}{limit}",
                    "$text-muted",
                ),
            )
        )

    def _show_progress(self, progress: QuizProgress) -> None:
        self.answered = progress.answered
        self._progress = progress
        if progress.time_left_s is not None and self._deadline is None:
            self._start_countdown(progress.time_left_s)
        self.query_one(QuizProgressPanel).show(progress)
        self._show_progress_line(progress)

    def _show_progress_line(self, progress: QuizProgress) -> None:
        """The side panel in one or two lines, for 80 columns: answers, time, precision."""
        total = f"/{progress.max_questions}" if progress.max_questions else ""
        precision = [
            literal(f"{area.title} {plus_minus(area.se)}{' (enough)' if area.finished else ''}")
            for area in progress.areas
        ]
        if self._deadline is not None:  # a timed quiz: the time left, warning near the end
            left = self.time_left or 0.0
            style = "bold $text-warning" if left <= WARN_AT_SECONDS else "bold"
            clock = Content.assemble((self._elapsed, style), (" left", "$text-muted"))
        else:
            clock = Content.styled(self._elapsed, "$text-muted")
        self.query_one("#progress-line", Static).update(
            Content.assemble(
                (f"{progress.answered}{total}", "bold"),
                " answered · ",
                clock,
                ("  precision: ", "$text-muted"),
                Content(", ").join(precision).stylize("$text-muted"),
            )
        )

    # -- answering --------------------------------------------------------------

    @on(QuestionView.Answered)
    def _answer(self, event: QuestionView.Answered) -> None:
        event.stop()
        if self.phase != "asking" or event.question != self.question:
            return
        self._set_phase("sending")
        self._latency_from = time.perf_counter()
        self._show_keys()
        event.view.freeze()
        milliseconds = round((self.context.clock.monotonic() - self._shown_at) * 1000)
        self.send_answer(event.question, event.answer, milliseconds)

    def _answered(self, answered: AnsweredStep) -> None:
        receipt, step = answered.receipt, answered.next
        self._show_progress(receipt.progress)
        if receipt.feedback is None:  # exam mode: straight on
            self._show_step(step)
        else:
            self._pending_step = step
            self._set_phase("feedback")
            hint = LAST_HINT if step.question is None else NEXT_HINT
            panel = FeedbackPanel(receipt.feedback, self.question, next_hint=hint, id="feedback")
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

    def action_scroll_question(self, how: str) -> None:
        main = self.query_one("#main", VerticalScroll)
        {
            "page_up": main.scroll_page_up,
            "page_down": main.scroll_page_down,
            "home": main.scroll_home,
            "end": main.scroll_end,
        }[how](animate=False)

    def _set_phase(self, phase: str) -> None:
        """The phase, and what may take focus in it: the scroll area only with feedback shown."""
        self.phase = phase
        self.query_one("#main").can_focus = phase == "feedback"

    @property
    def last_question(self) -> bool:
        """The feedback shown is the last question's: Enter opens the report."""
        step = self._pending_step
        return self.phase == "feedback" and step is not None and step.question is None

    def action_pause(self) -> None:
        if self.phase == "sending":
            self._pause_requested = True
            return
        if self.phase == "ending":
            return
        self._set_phase("ending")
        self.post_message(QuizPaused(self.quiz_id, self.answered))

    def _show_keys(self) -> None:
        question = self.question
        keys: list[KeyHint] = []
        if self.phase == "asking" and question is not None:
            keys += answer_key_hints(question)
        elif self.phase == "feedback":
            then = "see your report" if self.last_question else "next question"
            keys += [KeyHint("⏎", then, "enter"), KeyHint("↑↓", "scroll", None, optional=True)]
        elif self.phase == "sending":
            keys += [KeyHint("…", "saving your answer", None)]
        keys += [
            KeyHint("esc", "pause", "escape"),
            KeyHint("^p", "palette", "ctrl+p", optional=True),
        ]
        typing = self.phase == "asking" and question is not None and question.type in TYPED
        if not typing:  # in an answer box "?" is typed, so help is left to ^p (as in Practice)
            keys.append(KeyHint("?", "help", "question_mark"))
        self.query_one(KeyBar).show(keys)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.phase == "feedback"
        if action == "skip":
            return self.phase == "asking"
        return True
