"""The options of a choice question: pick with a number, a letter or the arrows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.quiz.model import Question
from tui.widgets.inline import inline


class ChoiceList(OptionList):
    """Single choice: the highlighted option is the answer. Multiple: tick with space.

    Number keys (1-9) and letters (A-...) jump to an option; for several-answer
    questions they also tick it. True/false also takes T and F. Enter answers.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "Tick", show=False),
        Binding("enter", "select", "Answer", key_display="⏎"),
    ]

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
        """Show another question's options (the widget is reused from question to question)."""
        self.question = question
        self.multiple = question.type == "multiple"
        self.ticked = set()
        self.set_options(
            Option(self._prompt(position), id=f"option-{position}")
            for position in range(len(question.options))
        )
        self.highlighted = 0 if question.options else None

    def _prompt(self, position: int) -> Content:
        option = self.question.options[position]
        label = Content.styled(f"{option.label}  ", "bold $text-accent")
        if self.multiple:
            box = "☑ " if position in self.ticked else "☐ "
            label = Content.assemble(box, label)
        return Content.assemble(label, inline(option.text))

    def _refresh_prompts(self) -> None:
        for position in range(len(self.question.options)):
            self.replace_option_prompt_at_index(position, self._prompt(position))

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
        self._refresh_prompts()

    def action_tick(self) -> None:
        if self.multiple and not self.locked and self.highlighted is not None:
            self._toggle(self.highlighted)

    def action_select(self) -> None:
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
