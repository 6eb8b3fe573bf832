"""Moodle questions to skillprobe items and back, saying what does not fit.

Reading (`items_from_questions`):

* multichoice with one answer (``=``) becomes ``single``: the 100% answer is
  the key; partial credit and penalties are dropped and reported, because
  skillprobe grades all-or-nothing. Several 100% answers ("any one of these")
  cannot be graded that way and the question is skipped.
* multichoice with several answers (``~%50%``, ``<single>false``) becomes
  ``multiple``: the answers with a positive weight are the keys, which is
  exactly what earns full marks in Moodle when the positive weights add up to
  100%; otherwise the difference is reported.
* truefalse, shortanswer (answers at 100%; ``*`` wildcards become a
  ``pattern``) and numerical (the first 100% answer and its tolerance) map to
  ``true_false``, ``text`` and ``numeric``.
* the general feedback becomes the explanation; a question without one gets
  an explanation that states the answer, and a note asks the author for the why.
* skillprobe's own data comes back from the ``skillprobe`` extension record.

Writing (`questions_from_items`) is the inverse: ids become question names
(and Moodle ID numbers), categories are ``$course$/skillprobe/<area>/<topic>``,
and everything Moodle has no field for goes into the extension record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.bank.checks import item_findings
from engine.bank.messages import describe, field_path
from engine.bank.model import ItemSpec
from engine.bank.schema import IDENTIFIER_PATTERN, TopicFile
from engine.interop.problems import Problem, Severity
from engine.interop.question import (
    Answer,
    Question,
    QuestionKind,
    RichText,
    TextFormat,
    Unit,
)
from engine.interop.text_format import to_markdown

CATEGORY_ROOT = "$course$/skillprobe"
DEFAULT_DIFFICULTY = 3
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
_MAX_ID_LENGTH = 80
_CONTEXTS = ("$course$", "$module$", "$system$", "$coursecategory$", "$cat$")
_FULL = 1.0
_EPSILON = 1e-4  # Moodle writes 1/3 as 33.33333%
# Moodle's short-answer wildcard: a run of '*' not preceded by a backslash.
_WILDCARD = re.compile(r"(?<!\\)\*+")


@dataclass(frozen=True)
class ConvertedItem:
    """One skillprobe item in the shape of the YAML bank, and where it came from."""

    area: str
    topic: str
    data: dict[str, Any]
    line: int
    comments: tuple[str, ...] = ()  # shown above the item in the topic file
    difficulty_defaulted: bool = False  # the source had no difficulty for it

    @property
    def id(self) -> str:
        return str(self.data["id"])


@dataclass
class _Draft:
    question: Question
    area: str
    topic: str
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def items_from_questions(
    questions: Sequence[Question],
    path: Path,
    area: str | None,
    topic: str | None,
    taken_ids: set[str] | None = None,
) -> tuple[list[ConvertedItem], list[Problem]]:
    """skillprobe items for `questions`, and a problem for everything not carried over.

    `area` and `topic` receive every question whose category is not a
    skillprobe category; `taken_ids` are ids already used in the destination bank.
    """
    problems: list[Problem] = []
    drafts: list[_Draft] = []
    for question in questions:
        subject = question.name
        place = destination(question.category, area, topic)
        if place is None:
            problems.append(
                Problem(
                    path,
                    question.line,
                    Severity.ERROR,
                    "the question is not in a skillprobe category: give --area and --topic "
                    "to say where it goes",
                    subject,
                )
            )
            continue
        draft = _Draft(question, place[0], place[1], {})
        try:
            draft.data = _item_data(question, path, draft.problems, draft.comments)
        except _NotCarried as reason:
            problems.append(Problem(path, question.line, Severity.SKIPPED, str(reason), subject))
            continue
        drafts.append(draft)
    _assign_ids(drafts, set(taken_ids or ()), path)
    items: list[ConvertedItem] = []
    for draft in drafts:
        question = draft.question
        invalid = _validation_problems(draft.data)
        if invalid:
            problems.append(
                Problem(path, question.line, Severity.SKIPPED, "; ".join(invalid), question.name)
            )
            continue
        problems.extend(draft.problems)
        metadata = question.metadata or {}
        items.append(
            ConvertedItem(
                draft.area,
                draft.topic,
                draft.data,
                question.line,
                tuple(draft.comments),
                difficulty_defaulted="difficulty" not in metadata and "irt" not in metadata,
            )
        )
    return items, problems


class _NotCarried(Exception):  # noqa: N818 - a reason, not a failure of the program
    """The question cannot become a skillprobe item."""


def destination(
    category: str | None, area: str | None, topic: str | None
) -> tuple[str, str] | None:
    """The (area, topic) a question goes to: its skillprobe category, else the defaults."""
    parts = category_parts(category)
    if len(parts) >= 3 and parts[-3] == "skillprobe":
        own_area, own_topic = parts[-2], parts[-1]
        if _is_identifier(own_area) and _is_identifier(own_topic):
            return own_area, own_topic
    if area is None or topic is None:
        return None
    return area, topic


def category_parts(category: str | None) -> list[str]:
    """A Moodle category path without its context ($course$) and 'top' prefix."""
    if not category:
        return []
    parts = [p.strip() for p in category.split("/") if p.strip()]
    if parts and parts[0] in _CONTEXTS:
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return parts


def _is_identifier(text: str | None) -> bool:
    return bool(text) and len(str(text)) <= _MAX_ID_LENGTH and bool(_IDENTIFIER.match(str(text)))


def _item_data(
    question: Question, path: Path, problems: list[Problem], comments: list[str]
) -> dict[str, Any]:
    def lost(message: str, severity: Severity = Severity.LOSS) -> None:
        problems.append(Problem(path, question.line, severity, message, question.name))

    def markdown(text: RichText, *, inline: bool = False) -> str:
        converted = to_markdown(text, inline=inline)
        for loss in converted.losses:
            lost(loss)
        return converted.markdown

    for loss in question.losses:
        lost(loss)
    metadata = dict(question.metadata or {})
    data: dict[str, Any] = {"id": None}
    prompt = markdown(question.text)
    if not prompt.strip():
        raise _NotCarried("the question text is empty")
    if question.kind is QuestionKind.MULTICHOICE:
        body = _choice(question, markdown, lost)
    elif question.kind is QuestionKind.TRUEFALSE:
        body = _true_false(question, lost)
    elif question.kind is QuestionKind.SHORTANSWER:
        body = _short_answer(question, metadata, lost)
    else:
        body = _numerical(question, metadata, lost)
    data["type"] = body.pop("type")
    if "irt" in metadata:
        data["irt"] = metadata["irt"]
    else:
        data["difficulty"] = metadata.get("difficulty", DEFAULT_DIFFICULTY)
    tags = metadata.get("tags", list(question.tags))
    if tags:
        data["tags"] = tags
    data["prompt"] = prompt
    data.update(body)
    explanation = ""
    if question.general_feedback is not None:
        explanation = markdown(question.general_feedback)
    if not explanation.strip():
        explanation = _stated_answer(data)
        lost(
            "no general feedback: the explanation only states the answer; write why it is right",
            Severity.NOTE,
        )
    data["explanation"] = explanation
    if metadata.get("references"):
        data["references"] = metadata["references"]
    if data["type"] in ("single", "multiple"):
        shuffle = metadata.get("shuffle", question.shuffle)
        if shuffle is False:
            data["shuffle"] = False
    if question.name and not _is_identifier(question.name):
        comments.append(f"Moodle question name: {question.name}")
    return data


def _choice(question: Question, markdown: Any, lost: Any) -> dict[str, Any]:
    answers = question.answers
    if question.single:
        full = [a for a in answers if a.fraction >= _FULL - _EPSILON]
        if not full:
            raise _NotCarried("no answer is worth 100%, so no option can be the key")
        if len(full) > 1:
            raise _NotCarried(
                f"{len(full)} answers are each worth 100% and a learner picks one: skillprobe "
                "cannot grade 'any one of these'; keep one right answer"
            )
        for answer in answers:
            if 0 < answer.fraction < _FULL - _EPSILON:
                lost(
                    f"partial credit ({_percent(answer.fraction)}) for {answer.text.text!r} "
                    "dropped: skillprobe grades all-or-nothing"
                )
            elif answer.fraction < 0:
                lost(f"penalty ({_percent(answer.fraction)}) for {answer.text.text!r} dropped")
        keys = {id(full[0])}
        item_type = "single"
    else:
        positive = [a for a in answers if a.fraction > 0]
        if not positive:
            raise _NotCarried("no answer has a positive weight, so no option can be a key")
        total = sum(a.fraction for a in positive)
        if abs(total - _FULL) > _EPSILON * len(positive):
            lost(
                f"the positive weights add up to {_percent(total)}, not 100%: skillprobe "
                "requires exactly the options with a positive weight"
            )
        keys = {id(a) for a in positive}
        item_type = "multiple"
    options = []
    for answer in answers:
        option: dict[str, Any] = {"text": markdown(answer.text, inline=True)}
        if id(answer) in keys:
            option["correct"] = True
        if answer.feedback is not None and not answer.feedback.is_blank:
            option["feedback"] = markdown(answer.feedback)
        options.append(option)
    return {"type": item_type, "options": options}


def _true_false(question: Question, lost: Any) -> dict[str, Any]:
    verdict = next(
        (a.text.text == "true" for a in question.answers if a.fraction >= _FULL - _EPSILON), None
    )
    if verdict is None:
        raise _NotCarried("neither 'true' nor 'false' is worth 100%")
    if any(a.feedback is not None and not a.feedback.is_blank for a in question.answers):
        lost("feedback on the true and false answers dropped: skillprobe shows the explanation")
    return {"type": "true_false", "answer": verdict}


def _short_answer(question: Question, metadata: dict[str, Any], lost: Any) -> dict[str, Any]:
    accept: list[str] = []
    wildcards: list[str] = []
    for answer in question.answers:
        text = answer.text.text.strip()
        if answer.fraction < _FULL - _EPSILON:
            if answer.fraction > 0:
                lost(f"partial credit ({_percent(answer.fraction)}) for {text!r} dropped")
            elif answer.feedback is not None:
                lost(f"feedback for the wrong answer {text!r} dropped")
            continue
        if answer.feedback is not None and not answer.feedback.is_blank:
            lost(f"feedback for {text!r} dropped: skillprobe shows the explanation")
        if _WILDCARD.search(text):
            wildcards.append(wildcard_to_regex(text))
        else:
            accept.append(text.replace("\\*", "*"))
    if not accept and not wildcards and "pattern" not in metadata:
        raise _NotCarried("no answer is worth 100%")
    body: dict[str, Any] = {"type": "text"}
    if accept:
        body["accept"] = accept
    if "pattern" in metadata:
        body["pattern"] = metadata["pattern"]
        if wildcards:
            lost("wildcard answers dropped: the skillprobe pattern replaces them")
    elif wildcards:
        body["pattern"] = "^(?:" + "|".join(wildcards) + ")$"
    if question.case_sensitive:
        lost("case-sensitive matching dropped: skillprobe ignores case")
    return body


def wildcard_to_regex(answer: str) -> str:
    """Moodle's short-answer wildcard (``*`` is any text, ``\\*`` a star) as a regex body."""
    bits = _WILDCARD.split(answer)
    return ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)


def _numerical(question: Question, metadata: dict[str, Any], lost: Any) -> dict[str, Any]:
    full = [a for a in question.answers if a.value is not None and a.fraction >= _FULL - _EPSILON]
    if not full:
        raise _NotCarried("no numerical answer is worth 100%")
    key = full[0]
    assert key.value is not None
    if not math.isfinite(key.value):
        raise _NotCarried("the answer is not a finite number")
    for other in question.answers:
        if other is key:
            continue
        if other.value is None:
            lost("feedback for wrong answers dropped")
        elif other.fraction >= _FULL - _EPSILON:
            lost(f"the other right answer {other.value:g} dropped: skillprobe keeps one answer")
        elif other.fraction > 0:
            lost(f"partial credit ({_percent(other.fraction)}) for {other.value:g} dropped")
    if key.feedback is not None and not key.feedback.is_blank:
        lost("feedback for the right answer dropped: skillprobe shows the explanation")
    body: dict[str, Any] = {"type": "numeric", "answer": key.value}
    if "tolerance" in metadata:
        body["tolerance"] = metadata["tolerance"]
    elif key.tolerance is not None:
        body["tolerance"] = {"absolute": key.tolerance}
    if "unit" in metadata:
        body["unit"] = metadata["unit"]
    elif question.units:
        base = next((u for u in question.units if u.multiplier == 1), question.units[0])
        body["unit"] = base.name
        if len(question.units) > 1:
            lost("units other than the first dropped: skillprobe shows one unit")
    if question.units_graded:
        lost("unit grading dropped: skillprobe shows the unit and grades the number")
    return body


def _stated_answer(data: dict[str, Any]) -> str:
    item_type = data["type"]
    if item_type in ("single", "multiple"):
        keys = [o["text"] for o in data["options"] if o.get("correct")]
        label = "The correct answer is" if len(keys) == 1 else "The correct answers are"
        return f"{label}: {'; '.join(keys)}."
    if item_type == "true_false":
        return f"The statement is {'true' if data['answer'] else 'false'}."
    if item_type == "numeric":
        return f"The answer is {data['answer']:g}."
    accepted = data.get("accept") or [data.get("pattern", "")]
    return f"Accepted answers: {', '.join(accepted)}."


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.5g}%"


def _assign_ids(drafts: list[_Draft], taken: set[str], path: Path) -> None:
    """Question names (or ID numbers) that are valid, unused ids; else `<topic>-NNN`."""
    pending: list[_Draft] = []
    for draft in drafts:
        names = [n for n in (draft.question.name, draft.question.idnumber) if _is_identifier(n)]
        candidate = next((name for name in names if name not in taken), None)
        if candidate is None:
            if names:
                draft.problems.append(
                    Problem(
                        path,
                        draft.question.line,
                        Severity.NOTE,
                        f"the id '{names[0]}' is already used in the bank; a new id was given",
                        draft.question.name,
                    )
                )
            pending.append(draft)
            continue
        taken.add(candidate)
        draft.data["id"] = candidate
    for draft in pending:
        number = _next_number(draft.topic, taken)
        new_id = f"{draft.topic}-{number:03d}"
        taken.add(new_id)
        draft.data["id"] = new_id


def _next_number(topic: str, taken: set[str]) -> int:
    pattern = re.compile(rf"^{re.escape(topic)}-(\d+)$")
    numbers = [int(m.group(1)) for m in map(pattern.match, taken) if m]
    return max(numbers, default=0) + 1


def _validation_problems(data: dict[str, Any]) -> list[str]:
    """What skillprobe's own bank rules say about the item (empty when it is valid)."""
    try:
        item = TopicFile.model_validate([data]).root[0]
    except ValidationError as error:
        messages = []
        for detail in error.errors():
            location = tuple(detail["loc"][2:])  # drop the list index and the type tag
            messages.append(f"{field_path(location)}: {describe(detail, location, ())}")
        return messages
    return [f"{field_path(location)}: {message}" for location, message in item_findings(item)]


# --- writing -----------------------------------------------------------------------


def questions_from_items(items: Sequence[ItemSpec]) -> tuple[list[Question], list[Problem]]:
    """Moodle questions for skillprobe items, with a note for what Moodle will not use."""
    questions: list[Question] = []
    problems: list[Problem] = []
    for item in items:
        path = item.source_path or Path(f"{item.area}/{item.topic}")

        def note(message: str, severity: Severity = Severity.LOSS) -> None:
            problems.append(Problem(path, item.source_line, severity, message, item.id))  # noqa: B023

        question = _question_for(item, note)
        if question is not None:
            questions.append(question)
    return questions, problems


def _question_for(item: ItemSpec, note: Any) -> Question | None:
    metadata: dict[str, Any] = {}
    if item.parameter_source == "irt":
        metadata["irt"] = {"a": item.a, "b": item.b, "c": item.c}
    elif item.difficulty is not None:
        metadata["difficulty"] = item.difficulty
    if item.tags:
        metadata["tags"] = list(item.tags)
    if item.references:
        metadata["references"] = list(item.references)
    if item.options and not item.shuffle:
        metadata["shuffle"] = False
    single = True
    units: tuple[Unit, ...] = ()
    if item.type in ("single", "multiple"):
        answers = _choice_answers(item)
        single = item.type == "single"
        kind = QuestionKind.MULTICHOICE
    elif item.type == "true_false":
        answers = (
            Answer(RichText("true", TextFormat.PLAIN), float(item.answer is True)),
            Answer(RichText("false", TextFormat.PLAIN), float(item.answer is False)),
        )
        kind = QuestionKind.TRUEFALSE
    elif item.type == "numeric":
        assert isinstance(item.answer, float | int)
        value = float(item.answer)
        tolerance = item.absolute_tolerance
        if item.relative_tolerance is not None:
            metadata["tolerance"] = {"relative": item.relative_tolerance}
            tolerance = item.relative_tolerance * abs(value)
            note(f"Moodle checks the relative tolerance as ±{tolerance:g}", Severity.NOTE)
        if item.unit:
            metadata["unit"] = item.unit
            units = (Unit(item.unit),)
        answers = (Answer(RichText(repr(value), TextFormat.PLAIN), 1.0, None, value, tolerance),)
        kind = QuestionKind.NUMERICAL
    else:
        if item.pattern is not None:
            metadata["pattern"] = item.pattern
        if not item.accept:
            note(
                "not exported: graded only by a pattern, and Moodle has no answer to check; "
                "add an accepted answer",
                Severity.SKIPPED,
            )
            return None
        if item.pattern is not None:
            note(
                "Moodle grades only the accepted answers; the pattern is kept as skillprobe data",
                Severity.NOTE,
            )
        answers = tuple(
            Answer(RichText(text.replace("*", "\\*"), TextFormat.PLAIN), 1.0)
            for text in item.accept
        )
        kind = QuestionKind.SHORTANSWER
    return Question(
        kind,
        RichText(item.prompt),
        answers,
        line=item.source_line,
        name=item.id,
        general_feedback=RichText(item.explanation),
        category=f"{CATEGORY_ROOT}/{item.area}/{item.topic}",
        single=single,
        shuffle=item.shuffle if item.options else None,
        tags=item.tags,
        idnumber=item.id,
        units=units,
        metadata=metadata or None,
    )


def _choice_answers(item: ItemSpec) -> tuple[Answer, ...]:
    correct = len(item.correct_options)
    wrong = len(item.options) - correct
    answers = []
    for option in item.options:
        if item.type == "single":
            fraction = 1.0 if option.correct else 0.0
        else:
            # The usual Moodle grading of "select all": each key 1/k, each wrong pick -1/(n-k).
            fraction = 1.0 / correct if option.correct else -1.0 / wrong
        feedback = RichText(option.feedback) if option.feedback else None
        answers.append(Answer(RichText(option.text), fraction, feedback))
    return tuple(answers)
