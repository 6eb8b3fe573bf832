"""The new-quiz form: areas, mode, length, a time limit (exams) and Start."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, RadioButton, RadioSet, Static

from tui.formatting import area_titles, plural
from tui.messages import SetupChanged, StartQuiz
from tui.state import LENGTH_CHOICES, MODE_CHOICES, TIME_LIMIT_CHOICES, QuizSetup
from tui.text import literal
from tui.widgets.picklist import TickList

if TYPE_CHECKING:
    from tui.backend import HomeArea


class PlainRadioButton(RadioButton):
    """A radio button whose state reads without colour: "(•)" chosen, "( )" not."""

    @property
    def _button(self) -> Content:
        return Content.styled("(•)" if self.value else "( )", "bold")


class QuizForm(Vertical):
    """Posts `SetupChanged` on every change and `StartQuiz` when the learner starts.

    The controls are mounted by `build()`, called just after the first paint so
    that Home paints sooner; until then the form says "Loading…".
    """

    def __init__(self, setup: QuizSetup, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = "New quiz"
        self.setup = QuizSetup(setup.areas, setup.mode, setup.length_key, setup.time_limit_key)
        self._areas: tuple[HomeArea, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="form-placeholder", markup=False)

    @property
    def built(self) -> bool:
        return bool(self.query("#areas"))

    async def build(self) -> None:
        if self.built:
            return
        setup = self.setup
        mode = RadioSet(
            *(
                PlainRadioButton(label, value=mode == setup.mode, tooltip=hint)
                for mode, label, hint in MODE_CHOICES
            ),
            id="mode",
            compact=True,
        )
        length = RadioSet(
            *(
                PlainRadioButton(
                    choice.label, value=choice.key == setup.length_key, tooltip=choice.hint
                )
                for choice in LENGTH_CHOICES
            ),
            id="length",
            compact=True,
        )
        time_limit = RadioSet(
            *(
                PlainRadioButton(label, value=key == setup.time_limit_key)
                for key, label, _seconds in TIME_LIMIT_CHOICES
            ),
            id="time-limit",
            compact=True,
            tooltip="The quiz finishes when the time is up",
        )
        # Only exams are timed: the Time row shows in exam mode.
        time_row = Horizontal(
            Label("Time", classes="field-label", markup=False),
            time_limit,
            id="time-row",
            classes="field",
        )
        time_row.display = setup.mode == "exam"
        rows = [
            Horizontal(
                Label("Areas", classes="field-label", markup=False),
                TickList(id="areas"),
                classes="field",
            ),
            Horizontal(Label("Mode", classes="field-label", markup=False), mode, classes="field"),
            Horizontal(
                Label("Length", classes="field-label", markup=False), length, classes="field"
            ),
            time_row,
            Horizontal(
                Label("", classes="field-label", markup=False),
                Button("Start quiz", id="start", variant="primary", compact=True),
                Label("", id="setup-hint", markup=False),
                classes="field",
            ),
            Label("", id="length-warning", markup=False),
        ]
        await self.query_one("#form-placeholder").remove()
        await self.mount_all(rows)

    # -- attributes down --------------------------------------------------------

    def show_waiting(self, failed: bool) -> None:
        """No areas yet: spin while loading, or stay still when the database failed."""
        for areas in self.query("#areas").results(TickList):
            areas.loading = not failed

    def show_areas(self, areas: Sequence[HomeArea], item_counts: Mapping[str, int]) -> None:
        self._areas = tuple(areas)
        if not self.built:
            return
        choices = self.query_one("#areas", TickList)
        if choices.count != len(areas) or choices.loading:
            choices.set_items(
                [
                    Content.assemble(
                        literal(area.title), (f"  {item_counts.get(area.id, 0)}", "$text-muted")
                    )
                    for area in areas
                ],
                highlighted=choices.highlighted or 0,
            )
        choices.set_ticked({i for i, area in enumerate(areas) if area.id in self.setup.areas})
        choices.loading = False
        if self.screen.focused is None:
            choices.focus()
        self._show_hint()

    def focus_areas(self) -> None:
        self.query_one("#areas").focus()

    def _show_hint(self) -> None:
        titles = {area.id: area.title for area in self._areas}
        choice = next(c for c in LENGTH_CHOICES if c.key == self.setup.length_key)
        limit = self.setup.time_limit_s
        timed = f" · {limit // 60} min limit" if limit else ""
        self.query_one("#setup-hint", Label).update(
            literal(
                f"{area_titles(self.setup.areas, titles)} · {self.setup.mode} · {choice.hint}"
                f"{timed}",
                "$text-muted",
            )
        )
        warning = self.query_one("#length-warning", Label)
        text = self.length_warning()
        warning.update(literal(text))
        warning.display = bool(text)

    def length_warning(self) -> str:
        """Said before starting when the bank has fewer questions than the length chosen."""
        wanted = self.setup.length.length
        chosen = [area for area in self._areas if area.id in self.setup.areas] or list(self._areas)
        available = sum(area.questions for area in chosen)
        if wanted is None or not chosen or available >= wanted:
            return ""
        return (
            f"⚠ The bank has only {plural(available, 'question')} for "
            f"{area_titles([a.id for a in chosen], {a.id: a.title for a in chosen})}: "
            f"the quiz will stop after {available}."
        )

    # -- messages up ------------------------------------------------------------

    def _changed(self) -> None:
        self._show_hint()
        setup = self.setup
        self.post_message(
            SetupChanged(setup.areas, setup.mode, setup.length_key, setup.time_limit_key)
        )

    @on(TickList.Changed, "#areas")
    def _areas_changed(self, event: TickList.Changed) -> None:
        self.setup.areas = tuple(
            self._areas[position].id for position in event.ticked if position < len(self._areas)
        )
        self._changed()

    @on(RadioSet.Changed, "#mode")
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        self.setup.mode = MODE_CHOICES[event.index][0]
        self.query_one("#time-row").display = self.setup.mode == "exam"
        self._changed()

    @on(RadioSet.Changed, "#time-limit")
    def _time_limit_changed(self, event: RadioSet.Changed) -> None:
        self.setup.time_limit_key = TIME_LIMIT_CHOICES[event.index][0]
        self._changed()

    @on(RadioSet.Changed, "#length")
    def _length_changed(self, event: RadioSet.Changed) -> None:
        self.setup.length_key = LENGTH_CHOICES[event.index].key
        self._changed()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.start()

    def start(self) -> None:
        setup = self.setup
        self.post_message(StartQuiz(setup.areas, setup.mode, setup.length, setup.time_limit_s))
