"""Practice: a spaced-repetition session, one question at a time, every answer explained.

Not a quiz: due reviews of the questions the learner missed come first, then
new questions from the weakest topics at a desirable difficulty. Practice
answers never change a readiness estimate, and the screen says so. Each answer
goes to the service in a worker thread and is committed (with its card's
review) before the feedback is shown; leaving keeps every answer.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.context import AppContext
from tui.formatting import percent, plural
from tui.messages import PracticeLeft
from tui.screens.base import WIDTH_BREAKPOINTS, AppScreen
from tui.widgets.answer_keys import answer_key_hints
from tui.widgets.feedback import FeedbackPanel
from tui.widgets.keybar import KeyBar, KeyHint
from tui.widgets.question import QuestionView
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from engine.practice.model import PracticeQuestion, PracticeReceipt, PracticeSummary
    from engine.quiz.model import Answer
    from tui.backend import PracticeAnswered, PracticeStep

NOT_COUNTED = "Practice answers never change your readiness estimates."
TYPED = ("numeric", "text")


class PracticeScreen(AppScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["practice.tcss", "../widgets/question.tcss"]
    HELP_SECTION = "## Practice"
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave"),
        Binding("ctrl+s", "skip", "I don't know", key_display="^s"),
        Binding("s", "skip", "I don't know", show=False),
        Binding("enter", "next", "Next", key_display="⏎"),
        Binding("n,space", "next", "Next", show=False),
        Binding("h", "app.history", "History", show=False),
    ]

    def __init__(
        self,
        context: AppContext,
        learner: str,
        topics: tuple[str, ...] = (),
        areas: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.context = context
        self.learner = learner
        self.topics = topics
        self.areas = areas
        self.summary: PracticeSummary | None = None
        self.shown: PracticeQuestion | None = None
        self.phase = "loading"  # loading | asking | sending | feedback | done
        self._pending_step: PracticeStep | None = None
        self._shown_at = 0.0
        self.feedback_ready = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="practice-title", markup=False)
        yield Static("", id="practice-why", markup=False)
        yield Static("", id="practice-reason", markup=False)
        with VerticalScroll(id="main"):
            yield Static("", id="practice-kind", markup=False)
            yield Vertical(id="question-slot")
            yield Static("", id="practice-done", markup=False)
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.query_one("#main").loading = True
        self._show_keys()
        backend, learner = self.context.backend, self.learner
        self.in_background(
            lambda: backend.start_practice(learner, self.topics, self.areas),
            self._show_step,
            group="practice",
            failed=self._failed_to_start,
        )

    # -- talking to the service (worker threads) --------------------------------

    def send_answer(self, shown: PracticeQuestion, answer: Answer, response_time_ms: int) -> None:
        backend = self.context.backend
        self.in_background(
            lambda: backend.practice_answer(shown, answer, response_time_ms),
            self._answered,
            group="practice",
            failed=self._failed,
        )

    def worker_failed(self, message: str) -> None:
        self._failed(message)

    def _failed_to_start(self, message: str) -> None:
        self.query_one("#main").loading = False
        self.phase = "done"
        self.query_one("#practice-title", Static).update(
            Content.assemble(("Practice", "bold $text-accent"), ("  cannot start", "$text-muted"))
        )
        done = self.query_one("#practice-done", Static)
        done.update(Content(message))
        done.add_class("-shown")
        self._show_keys()

    def _failed(self, message: str) -> None:
        self.notify(message, title="Practice", severity="error")
        self.query_one("#main").loading = False
        if self.phase == "sending" and self.summary is not None:
            self.phase = "loading"
            backend, session_id = self.context.backend, self.summary.session_id
            self.in_background(
                lambda: backend.practice_step(session_id),
                self._show_step,
                group="practice",
                failed=self._failed_to_start,
            )

    # -- showing ----------------------------------------------------------------

    def _show_step(self, step: PracticeStep) -> None:
        self.query_one("#main").loading = False
        self._show_summary(step.summary)
        shown = step.question
        if shown is None:
            self._show_done(step.summary)
            return
        self.shown = shown
        self.feedback_ready = False
        question = shown.question
        heading = (
            f"Question {shown.number} of {shown.count} · {question.area_title} › "
            f"{question.topic_title}"
        )
        kind = self.query_one("#practice-kind", Static)
        if shown.kind == "review":
            kind.update(
                Content.assemble(
                    (" Review ", "bold $text-warning on $warning-muted"),
                    ("  you missed this before; it is due again", "$text-muted"),
                )
            )
        else:
            chance = f"{shown.predicted:.0%}" if shown.predicted is not None else "–"
            kind.update(
                Content.assemble(
                    (" New ", "bold $text-accent on $accent-muted"),
                    (f"  predicted chance of getting it right: {chance}", "$text-muted"),
                )
            )
        views = self.query(QuestionView)
        if views:
            view = views.first()
            view.show(question, heading)
            view.focus_answer()
        else:
            self.call_later(self._mount_question, QuestionView(question, heading=heading))
        self.query_one("#main", VerticalScroll).scroll_home(animate=False)
        self.phase = "asking"
        self._shown_at = self.context.clock.monotonic()
        self._show_keys()

    async def _mount_question(self, view: QuestionView) -> None:
        # Focus once it is mounted with its children (a refresh alone may come too early).
        await self.query_one("#question-slot", Vertical).mount(view)
        view.focus_answer()

    def _show_summary(self, summary: PracticeSummary) -> None:
        self.summary = summary
        topics = ", ".join(topic.title for topic in summary.topics) or "none"
        self.query_one("#practice-title", Static).update(
            Content.assemble(
                ("Practice", "bold $text-accent"),
                (f"  {summary.answered} of {summary.count} answered", "bold"),
                (
                    f" · {summary.correct} right ({percent(summary.correct, summary.answered)})"
                    if summary.answered
                    else "",
                    "$text-muted",
                ),
                (" · not counted in your readiness", "$text-muted"),
            )
        )
        self.query_one("#practice-why", Static).update(
            Content.assemble(
                ("Due reviews first, then new questions from ", "$text-muted"),
                (topics, "bold"),
            )
        )
        self.query_one("#practice-reason", Static).update(
            Content.styled(
                f"Why these topics: {summary.topics_reason}. {NOT_COUNTED}", "$text-muted"
            )
        )

    def _show_done(self, summary: PracticeSummary) -> None:
        self.phase = "done"
        self.shown = None
        for view in self.query(QuestionView):
            view.remove()
        self.query_one("#practice-kind", Static).update("")
        done = self.query_one("#practice-done", Static)
        if summary.answered:
            text = Content.assemble(
                ("Practice finished", "bold"),
                (
                    f": {summary.correct} of {plural(summary.answered, 'answer')} right "
                    f"({percent(summary.correct, summary.answered)}).\n",
                    "",
                ),
                (
                    "The questions you missed come back when they are due; Home shows how many "
                    f"reviews are due today. {NOT_COUNTED}\n\n",
                    "$text-muted",
                ),
                ("h", "bold $text-accent"),
                (" history   ", "$text-muted"),
                ("esc", "bold $text-accent"),
                (" back to Home", "$text-muted"),
            )
        else:
            text = Content.assemble(
                ("Nothing to practise right now", "bold"),
                (
                    ": no review is due and no new question is left in these topics (a "
                    "question answered in the last 7 days waits). Try other topics from the "
                    "report, or take a quiz.\n\n",
                    "$text-muted",
                ),
                ("esc", "bold $text-accent"),
                (" back to Home", "$text-muted"),
            )
        done.update(text)
        done.add_class("-shown")
        self._show_keys()

    # -- answering --------------------------------------------------------------

    @on(QuestionView.Answered)
    def _answer(self, event: QuestionView.Answered) -> None:
        event.stop()
        shown = self.shown
        if self.phase != "asking" or shown is None or event.question != shown.question:
            return
        self.phase = "sending"
        self._show_keys()
        event.view.freeze()
        milliseconds = round((self.context.clock.monotonic() - self._shown_at) * 1000)
        self.send_answer(shown, event.answer, milliseconds)

    def _answered(self, answered: PracticeAnswered) -> None:
        receipt, step = answered.receipt, answered.next
        self._show_summary(step.summary)
        self._pending_step = step
        self.phase = "feedback"
        hint = "Enter: see how it went" if step.question is None else "Enter: next question"
        panel = FeedbackPanel(receipt.feedback, next_hint=hint, id="feedback")
        view = self.query_one(QuestionView)
        view.mount(panel)
        comes_back = self._comes_back(receipt)
        if comes_back:
            view.mount(Static(comes_back, id="comes-back", markup=False), before=panel)
        self.query_one("#main", VerticalScroll).focus()
        self._show_keys()

    def _comes_back(self, receipt: PracticeReceipt) -> str:
        if receipt.next_due is None:
            return ""
        due = self.context.clock.local(receipt.next_due)
        today = self.context.clock.now().date()
        days = (due.date() - today).days
        when = "tomorrow" if days == 1 else f"in {days} days" if days > 1 else "later"
        return f"↻ This question comes back for review {when} ({due:%a %d %b})."

    @on(FeedbackPanel.Ready)
    def _feedback_ready(self, event: FeedbackPanel.Ready) -> None:
        event.stop()
        self.query_one("#main", VerticalScroll).scroll_to_widget(event.panel, animate=False)
        self.feedback_ready = True

    def action_skip(self) -> None:
        if self.phase == "asking":
            for view in self.query(QuestionView):  # none for a moment while the first mounts
                view.skip()

    def action_next(self) -> None:
        if self.phase == "feedback" and self._pending_step is not None:
            step, self._pending_step = self._pending_step, None
            for note in self.query("#comes-back"):
                note.remove()
            self._show_step(step)

    def action_leave(self) -> None:
        if self.phase == "sending":
            return  # the answer is being stored; leave once it is
        self.post_message(PracticeLeft(self.summary.answered if self.summary else 0))

    def _show_keys(self) -> None:
        keys: list[KeyHint] = []
        shown = self.shown
        if self.phase == "asking" and shown is not None:
            keys += answer_key_hints(shown.question)
        elif self.phase == "feedback":
            keys += [KeyHint("⏎", "next", "enter"), KeyHint("↑↓", "scroll", None)]
        elif self.phase == "sending":
            keys += [KeyHint("…", "saving your answer", None)]
        elif self.phase == "done":
            keys += [KeyHint("h", "history", "h")]
        keys.append(KeyHint("esc", "leave" if self.phase != "done" else "home", "escape"))
        typing = self.phase == "asking" and shown is not None and shown.question.type in TYPED
        if not typing:  # in an answer box "?" is typed (it skips), so help is left to ^p
            keys.append(KeyHint("?", "help", "question_mark"))
        keys.append(KeyHint("^p", "palette", "ctrl+p"))
        self.query_one(KeyBar).show(keys)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.phase == "feedback"
        if action == "skip":
            return self.phase == "asking"
        return True
