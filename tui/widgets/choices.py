"""The options of a choice question: pick with a number, a letter or the arrows.

State reads without colour: a one-answer question marks the highlighted
option "(•)" and the others "( )" (Enter answers with it); a several-answer
question ticks "[x]" and leaves "[ ]"; the row with the keyboard has ▶.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.message import Message

from engine.quiz.model import Question
from tui.text import inline
from tui.widgets.picklist import PickList

TICKED, UNTICKED = "[x] ", "[ ] "
CHOSEN, NOT_CHOSEN = "(•) ", "( ) "


class ChoiceList(PickList):
    """Single choice: the highlighted option is the answer. Multiple: tick with space.

    Number keys (1-9) and letters (A-...) jump to an option; for several-answer
    questions they also tick it. True/false also takes T and F. Enter answers.
    """

    @dataclass
    class Chosen(Message):
        """The learner answered with these positions on screen (0 = the first option)."""

        choice_list: ChoiceList
        positions: tuple[int, ...]

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    @dataclass
    class Problem(Message):
        choice_list: ChoiceList
        message: str

    def __init__(self, question: Question, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="choices")
        self.question = question
        self.multiple = question.type == "multiple"
        self.ticked: set[int] = set()
        self.locked = False  # answered: keys do nothing until the next question

    def on_mount(self) -> None:
        self.show(self.question)

    def show(self, question: Question) -> None:
        """Show another question's options (the rows are reused from question to question)."""
        self.question = question
        self.multiple = question.type == "multiple"
        self.ticked = set()
        self.set_items([self._text(position) for position in range(len(question.options))])

    def _text(self, position: int) -> Content:
        option = self.question.options[position]
        return Content.assemble((f"{option.label}  ", "bold $text-accent"), inline(option.text))

    def marker(self, position: int) -> Content:
        if self.multiple:
            state = TICKED if position in self.ticked else UNTICKED
        else:
            state = CHOSEN if position == self.highlighted else NOT_CHOSEN
        return Content.assemble(self.pointer(position), (state, "bold"))

    def position_for_key(self, character: str | None) -> int | None:
        if not character:
            return None
        count = len(self.question.options)
        if character.isdigit() and 1 <= int(character) <= count:
            return int(character) - 1
        lowered = character.lower()
        if self.question.type == "true_false" and lowered in ("t", "f"):
            return 0 if lowered == "t" else 1
        if len(lowered) == 1 and "a" <= lowered <= "z" and ord(lowered) - ord("a") < count:
            return ord(lowered) - ord("a")
        return None

    def on_key(self, event: events.Key) -> None:
        position = self.position_for_key(event.character)
        if position is None or self.locked:
            return
        event.stop()
        event.prevent_default()
        self.highlighted = position
        if self.multiple:
            self._toggle(position)

    def _toggle(self, position: int) -> None:
        if position in self.ticked:
            self.ticked.discard(position)
        else:
            self.ticked.add(position)
        self.refresh_rows()

    def clicked(self, position: int) -> None:
        if self.locked:
            return
        self.highlighted = position
        if self.multiple:
            self._toggle(position)

    def action_move(self, step: int) -> None:
        if not self.locked:
            super().action_move(step)

    def action_tick(self) -> None:
        if self.multiple and not self.locked and self.highlighted is not None:
            self._toggle(self.highlighted)

    def action_choose(self) -> None:
        if self.locked:
            return
        if self.multiple:
            if not self.ticked:
                count = len(self.question.options)
                self.post_message(
                    self.Problem(
                        self,
                        f"tick one or more options first (space, or 1-{count}), then Enter",
                    )
                )
                return
            self.post_message(self.Chosen(self, tuple(sorted(self.ticked))))
        elif self.highlighted is not None:
            self.post_message(self.Chosen(self, (self.highlighted,)))
