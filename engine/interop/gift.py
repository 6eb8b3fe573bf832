"""Moodle's GIFT format: reading questions from text, and writing them back.

The reader follows Moodle's own importer (``question/format/gift/format.php``)
and its documentation (docs.moodle.org, "GIFT format"):

* questions are separated by blank lines; every physical line is trimmed;
  lines starting with ``//`` are comments;
* ``$CATEGORY: path`` switches the category of the questions that follow;
* ``::title::`` names a question; ``[markdown]``, ``[html]``, ``[plain]`` or
  ``[moodle]`` at the start of a text gives its format (answers inherit the
  question text's);
* the answers are between the first ``{`` and ``}``: ``=right ~wrong``,
  ``~%50%partly right``, ``#feedback`` after an answer, ``####general
  feedback`` last; ``{T}``/``{FALSE}`` is true/false, ``{=a =b}`` short answer,
  ``{#3.14:0.01}``, ``{#1..2}`` and ``{#=%100%3:0 =%50%3:1}`` numerical;
* ``\\~ \\= \\# \\{ \\} \\:`` escape the special characters, ``\\n`` is a line
  break and ``\\\\`` a backslash.

Where Moodle guesses, this reader says what is wrong: an unclosed ``{``, a
question with no answer block, an unknown escape (``\\q``) and malformed
weights or numbers are errors, with their line. Essay, matching,
missing-word and description questions are reported as not supported.

One deliberate difference: an escaped ``\\n`` at the start or end of a text is
kept (Moodle trims it). It changes nothing on screen and lets a text that ends
with a line break, as most Markdown blocks do, survive the round trip exactly.

The writer produces what Moodle's importer reads back as written: every line
break that Moodle's line trimming would damage (before an indented or blank
line, after trailing spaces, before a line starting with ``//``) is written as
``\\n``, and answers go one per line.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.interop.metadata import METADATA_NAME, decode_metadata, encode_metadata
from engine.interop.problems import Problem, Severity
from engine.interop.question import Answer, Question, QuestionKind, RichText, TextFormat

# PHP's trim(): Moodle trims these, and only these, around lines and texts.
_WHITESPACE = " \t\n\r\0\x0b"
_SPECIALS = "~=#{}:"
# Escaped characters are replaced by Unicode noncharacters while parsing, so the
# syntax can be found with plain string searches (the idea of Moodle's placeholders).
_PLACEHOLDERS = {c: chr(0xFDD0 + i) for i, c in enumerate(_SPECIALS)}
_NEWLINE = chr(0xFDD0 + len(_SPECIALS))
_BACKSLASH = chr(0xFDD0 + len(_SPECIALS) + 1)
_DECODE = {
    **{placeholder: c for c, placeholder in _PLACEHOLDERS.items()},
    _NEWLINE: "\n",
    _BACKSLASH: "\\",
}
_DECODE_TABLE = str.maketrans(_DECODE)
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
_FORMATS = {f.value: f for f in TextFormat}
_FORMAT_PREFIX = re.compile(r"^\[(?P<name>[a-z]+)\]")
_WEIGHT = re.compile(r"^%(?P<weight>[^%]*)%")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
CATEGORY_KEYWORD = "$CATEGORY:"
METADATA_PREFIX = f"// {METADATA_NAME}:"


@dataclass(frozen=True)
class GiftDocument:
    """The questions read from a GIFT file, and every problem found."""

    questions: tuple[Question, ...]
    problems: tuple[Problem, ...]


class _GiftError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class _SkipError(Exception):
    """A well-formed question of a type skillprobe cannot carry."""


@dataclass
class _Block:
    """The lines of one question: escapes replaced, comments set aside."""

    lines: list[tuple[int, str]]
    comments: list[tuple[int, str]]

    def text_and_line_starts(self) -> tuple[str, list[int], list[int]]:
        starts: list[int] = []
        offset = 0
        for _, content in self.lines:
            starts.append(offset)
            offset += len(content) + 1
        return "\n".join(c for _, c in self.lines), starts, [n for n, _ in self.lines]


def parse_gift(text: str, path: Path) -> GiftDocument:
    """Read every question in a GIFT file's text (already decoded from UTF-8)."""
    problems: list[Problem] = []
    questions: list[Question] = []
    category: str | None = None
    for block in _blocks(text, path, problems):
        if not block.lines:
            continue  # only comments
        reader = _BlockReader(block, path, category)
        try:
            parsed = reader.read()
        except _GiftError as error:
            problems.append(
                Problem(
                    path, reader.line_at(error.offset), Severity.ERROR, error.message, reader.name
                )
            )
            continue
        except _SkipError as skip:
            problems.append(
                Problem(path, reader.first_line, Severity.SKIPPED, str(skip), reader.name)
            )
            continue
        problems.extend(reader.problems)
        if isinstance(parsed, str):
            category = parsed
        else:
            questions.append(parsed)
    return GiftDocument(tuple(questions), tuple(sorted(problems, key=Problem.sort_key)))


def _blocks(text: str, path: Path, problems: list[Problem]) -> Iterable[_Block]:
    block = _Block([], [])
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(_WHITESPACE)
        if not line:
            if block.lines or block.comments:
                yield block
            block = _Block([], [])
            continue
        if line.startswith("//"):
            block.comments.append((number, line))
            continue
        block.lines.append((number, _unescape_line(raw, line, number, path, problems)))
    if block.lines or block.comments:
        yield block


def _unescape_line(raw: str, line: str, number: int, path: Path, problems: list[Problem]) -> str:
    indent = len(raw) - len(raw.lstrip(_WHITESPACE))
    bad = _NONCHARACTERS.search(line)
    if bad:
        problems.append(
            Problem(
                path,
                number,
                Severity.ERROR,
                f"column {indent + bad.start() + 1}: character U+{ord(bad.group()):04X} is a "
                "Unicode noncharacter and cannot appear in a question; remove it",
            )
        )
    out: list[str] = []
    index = 0
    while index < len(line):
        char = line[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        following = line[index + 1 : index + 2]
        if following in _PLACEHOLDERS:
            out.append(_PLACEHOLDERS[following])
        elif following == "n":
            out.append(_NEWLINE)
        elif following == "\\":
            out.append(_BACKSLASH)
        else:
            shown = f"\\{following}" if following else "\\ at the end of the line"
            problems.append(
                Problem(
                    path,
                    number,
                    Severity.ERROR,
                    f"column {indent + index + 1}: unknown escape '{shown}': GIFT escapes only "
                    "\\~ \\= \\# \\{ \\} \\: \\n and \\\\; write \\\\ for a backslash",
                )
            )
            out.append("\\" + following)
        index += 2
    return "".join(out)


def _decode(text: str) -> str:
    return text.translate(_DECODE_TABLE)


def _trim(text: str) -> str:
    # Escaped characters are placeholders here, so an escaped \n is not trimmed.
    return text.strip(_WHITESPACE)


class _BlockReader:
    """Reads one block into a Question or a category; offsets index the block's text."""

    def __init__(self, block: _Block, path: Path, category: str | None) -> None:
        self.block = block
        self.path = path
        self.category = category
        self.text, self._starts, self._numbers = block.text_and_line_starts()
        self.first_line = self._numbers[0]
        self.name: str | None = None
        self.problems: list[Problem] = []

    def line_at(self, offset: int) -> int:
        index = bisect.bisect_right(self._starts, max(offset, 0)) - 1
        return self._numbers[max(index, 0)]

    def read(self) -> Question | str:
        text = self.text
        if text.startswith(CATEGORY_KEYWORD):
            category = _decode(_trim(text[len(CATEGORY_KEYWORD) :]))
            if "\n" in category or not category:
                raise _GiftError(
                    0,
                    "$CATEGORY: takes one line, the category path; put a blank line between "
                    "it and the next question",
                )
            return category
        offset = 0
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                raise _GiftError(0, "the title opened with '::' is never closed; end it with '::'")
            self.name = _decode(_trim(text[2:end])) or None
            offset = end + 2
        start = text.find("{", offset)
        finish = text.find("}", offset)
        if start < 0 and finish < 0:
            raise _GiftError(
                offset,
                "the question has no answer block: add one in braces, e.g. {=right ~wrong}, "
                "{T} or {#3.14}; escape literal braces as \\{ \\}",
            )
        if start < 0 or (0 <= finish < start):
            raise _GiftError(finish, "'}' without an opening '{'; escape a literal brace as \\}")
        if finish < 0:
            raise _GiftError(start, "'{' is never closed: end the answers with '}'")
        nested = text.find("{", start + 1, finish)
        if nested >= 0:
            raise _GiftError(nested, "'{' inside an answer block; escape a literal brace as \\{")
        after = text[finish + 1 :]
        if "{" in after or "}" in after:
            stray = finish + 1 + min(i for i in (after.find("{"), after.find("}")) if i >= 0)
            raise _GiftError(
                stray,
                "a second answer block or a stray brace after the answers: one {...} per "
                "question, and escape literal braces as \\{ \\}",
            )
        if _trim(after):
            raise _SkipError(
                "missing-word questions (text after the answer block) are not supported; "
                "move the answers to the end of the question"
            )
        question_text = self._rich(text[offset:start], TextFormat.MOODLE)
        answer_text = text[start + 1 : finish]
        answer_offset = start + 1
        general_feedback: RichText | None = None
        separator = answer_text.rfind("####")
        if separator >= 0:
            general_feedback = self._rich(answer_text[separator + 4 :], question_text.format)
            answer_text = answer_text[:separator]
        stripped = _trim(answer_text)
        answer_offset += len(answer_text) - len(answer_text.lstrip(_WHITESPACE))
        answer_text = stripped
        metadata = self._metadata()

        def question(
            kind: QuestionKind, answers: tuple[Answer, ...], single: bool = True
        ) -> Question:
            return Question(
                kind,
                question_text,
                answers,
                line=self.first_line,
                name=self.name,
                general_feedback=general_feedback,
                category=self.category,
                single=single,
                metadata=metadata,
            )

        if not answer_text:
            raise _SkipError("essay questions (an empty answer block) are not supported")
        if answer_text.startswith("#"):
            format_ = question_text.format
            return question(
                QuestionKind.NUMERICAL, self._numerical(answer_text[1:], answer_offset + 1, format_)
            )
        if "~" in answer_text:
            answers = self._multichoice(answer_text, answer_offset, question_text.format)
            return question(QuestionKind.MULTICHOICE, answers, single="=" in answer_text)
        if "=" in answer_text and "->" in answer_text:
            raise _SkipError("matching questions are not supported")
        verdict = _trim(answer_text.split("#", 1)[0])
        if verdict in _TRUE_FALSE:
            return question(
                QuestionKind.TRUEFALSE, self._true_false(answer_text, question_text.format)
            )
        return question(
            QuestionKind.SHORTANSWER,
            self._short_answer(answer_text, answer_offset, question_text.format),
        )

    def _metadata(self) -> dict[str, object] | None:
        found: dict[str, object] | None = None
        for number, comment in self.block.comments:
            if not comment.startswith(METADATA_PREFIX):
                continue
            record, why = decode_metadata(comment[len(METADATA_PREFIX) :])
            if record is None:
                self.problems.append(
                    Problem(self.path, number, Severity.ERROR, str(why), self.name)
                )
            elif found is not None:
                self.problems.append(
                    Problem(
                        self.path,
                        number,
                        Severity.ERROR,
                        "a second skillprobe comment for the same question; keep one",
                        self.name,
                    )
                )
            else:
                found = record
        return found

    def _rich(self, raw: str, default: TextFormat) -> RichText:
        text = _trim(raw)
        text_format = default
        match = _FORMAT_PREFIX.match(text)
        if match and match.group("name") in _FORMATS:
            text_format = _FORMATS[match.group("name")]
            text = _trim(text[match.end() :])
        return RichText(_decode(text), text_format)

    def _pieces(self, text: str, offset: int, starts: str) -> list[tuple[int, str]]:
        """Split `text` before every character in `starts`; (offset, piece) pairs."""
        cuts = [i for i, char in enumerate(text) if char in starts]
        bounds = [0, *cuts, len(text)]
        pieces = []
        for begin, end in itertools.pairwise(bounds):
            piece = text[begin:end]
            if begin == 0 and not _trim(piece):
                continue  # Moodle drops an empty first piece
            pieces.append((offset + begin, piece))
        return pieces

    def _answer_text_and_feedback(
        self, piece: str, default: TextFormat
    ) -> tuple[RichText, RichText | None]:
        text, _, feedback = piece.partition("#")
        rich_feedback = self._rich(feedback, default) if "#" in piece else None
        if rich_feedback is not None and rich_feedback.is_blank:
            rich_feedback = None
        return self._rich(text, default), rich_feedback

    def _weight(self, piece: str, offset: int) -> tuple[float | None, str]:
        match = _WEIGHT.match(piece)
        if match is None:
            return None, piece
        raw = match.group("weight")
        if not _NUMBER.match(raw) or not -100 <= float(raw) <= 100:
            raise _GiftError(
                offset,
                f"malformed answer weight '%{raw}%': write a percentage between -100 and 100, "
                "e.g. ~%50%",
            )
        return float(raw) / 100, piece[match.end() :]

    def _multichoice(self, text: str, offset: int, default: TextFormat) -> tuple[Answer, ...]:
        answers: list[Answer] = []
        for piece_offset, piece in self._pieces(text, offset, "~="):
            marker, body = piece[:1], piece[1:]
            body_offset = piece_offset + 1
            if marker not in "~=":  # text before the first answer marker
                raise _GiftError(
                    piece_offset,
                    "text before the first answer: start every answer with = (right) or ~ (wrong)",
                )
            if marker == "=":
                if _WEIGHT.match(body.lstrip(_WHITESPACE)):
                    raise _GiftError(
                        piece_offset,
                        "'=' marks a fully right answer; write ~%50% for partial credit",
                    )
                fraction: float = 1.0
            else:
                weight, body = self._weight(body.lstrip(_WHITESPACE), body_offset)
                fraction = 0.0 if weight is None else weight
            answer, feedback = self._answer_text_and_feedback(body, default)
            if answer.is_blank:
                raise _GiftError(piece_offset, "an answer is empty: write its text after = or ~")
            answers.append(Answer(answer, fraction, feedback))
        if len(answers) < 2:
            raise _GiftError(offset, "a multiple-choice question needs at least two answers")
        return tuple(answers)

    def _short_answer(self, text: str, offset: int, default: TextFormat) -> tuple[Answer, ...]:
        answers: list[Answer] = []
        for piece_offset, piece in self._pieces(text, offset, "="):
            body = piece[1:] if piece.startswith("=") else piece
            weight, body = self._weight(_trim(body), piece_offset)
            answer, feedback = self._answer_text_and_feedback(body, default)
            if answer.is_blank:
                raise _GiftError(piece_offset, "an answer is empty: write it after =")
            plain = RichText(answer.text, TextFormat.PLAIN)
            answers.append(Answer(plain, 1.0 if weight is None else weight, feedback))
        if not answers:
            raise _GiftError(offset, "a short-answer question needs at least one answer: {=answer}")
        return tuple(answers)

    def _true_false(self, text: str, default: TextFormat) -> tuple[Answer, ...]:
        parts = text.split("#", 2)
        verdict = _TRUE_FALSE[_trim(parts[0])]
        wrong = self._rich(parts[1], default) if len(parts) > 1 else None
        right = self._rich(parts[2], default) if len(parts) > 2 else None
        wrong = None if wrong is None or wrong.is_blank else wrong
        right = None if right is None or right.is_blank else right
        true_answer = Answer(
            RichText("true", TextFormat.PLAIN), float(verdict), right if verdict else wrong
        )
        false_answer = Answer(
            RichText("false", TextFormat.PLAIN), float(not verdict), wrong if verdict else right
        )
        return true_answer, false_answer

    def _numerical(self, text: str, offset: int, default: TextFormat) -> tuple[Answer, ...]:
        answers: list[Answer] = []
        wrong_feedback: RichText | None = None
        tilde = text.find("~")
        if tilde >= 0:
            _, _, feedback = text[tilde + 1 :].partition("#")
            wrong_feedback = self._rich(feedback, default)
            text = text[:tilde]
        for piece_offset, piece in self._pieces(text, offset, "="):
            body = piece[1:] if piece.startswith("=") else piece
            weight, body = self._weight(_trim(body), piece_offset)
            value_text, _, feedback = body.partition("#")
            rich_feedback = self._rich(feedback, default) if "#" in body else None
            written = _decode(_trim(value_text))
            value, tolerance = self._number_and_tolerance(written, piece_offset)
            shown = written if ".." in written else written.partition(":")[0].strip()
            answers.append(
                Answer(
                    RichText(shown, TextFormat.PLAIN),
                    1.0 if weight is None else weight,
                    None if rich_feedback is None or rich_feedback.is_blank else rich_feedback,
                    value,
                    tolerance,
                )
            )
        if not answers:
            raise _GiftError(
                offset, "a numerical question needs an answer: {#3.14} or {#3.14:0.01}"
            )
        if wrong_feedback is not None and not wrong_feedback.is_blank:
            answers.append(Answer(RichText("*", TextFormat.PLAIN), 0.0, wrong_feedback))
        return tuple(answers)

    def _number_and_tolerance(self, text: str, offset: int) -> tuple[float, float | None]:
        def number(raw: str, what: str) -> float:
            raw = raw.strip()
            if not _NUMBER.match(raw):
                raise _GiftError(
                    offset,
                    f"{what} '{raw}' is not a number; write e.g. {{#3.14:0.01}} or {{#1..2}}",
                )
            return float(raw)

        if text.find("..") > 0:
            low_text, _, high_text = text.partition("..")
            low, high = number(low_text, "range start"), number(high_text, "range end")
            if high < low:
                raise _GiftError(offset, f"the range {low}..{high} ends below its start")
            middle = (low + high) / 2
            return middle, high - middle
        if text.find(":") > 0:
            value_text, _, tolerance_text = text.partition(":")
            tolerance = number(tolerance_text, "tolerance")
            if tolerance < 0:
                raise _GiftError(offset, f"the tolerance {tolerance} is negative; write ±x as :x")
            return number(value_text, "answer"), tolerance
        return number(text, "answer"), None


# --- writing -----------------------------------------------------------------------


def write_gift(questions: Sequence[Question], header: Sequence[str] = ()) -> str:
    """GIFT text for `questions`, with a ``$CATEGORY:`` line whenever the category changes."""
    blocks: list[str] = []
    if header:
        blocks.append("\n".join(f"// {line}" for line in header))
    category: str | None = None
    for question in questions:
        if question.category and question.category != category:
            category = question.category
            blocks.append(f"{CATEGORY_KEYWORD} {category}")
        blocks.append(_question_block(question))
    return "\n\n".join(blocks) + "\n"


def _question_block(question: Question) -> str:
    lines: list[str] = []
    if question.metadata:
        lines.append(f"{METADATA_PREFIX} {encode_metadata(question.metadata)}")
    title = f"::{escape_text(question.name)}::" if question.name else ""
    prefix = f"[{question.text.format.value}]"
    head = f"{title}{prefix}{escape_text(question.text.text)}{{"
    body = _answer_lines(question)
    if question.general_feedback is not None and not question.general_feedback.is_blank:
        body.append(f"\t####{_text(question.general_feedback, question.text.format)}")
    lines.append(head)
    lines.extend(body)
    lines.append("}")
    return "\n".join(lines)


def _answer_lines(question: Question) -> list[str]:
    default = question.text.format
    if question.kind is QuestionKind.TRUEFALSE:
        true_answer = next(a for a in question.answers if a.text.text == "true")
        false_answer = next(a for a in question.answers if a.text.text == "false")
        verdict = true_answer.fraction > 0
        right, wrong = (true_answer, false_answer) if verdict else (false_answer, true_answer)
        feedback = ""
        if wrong.feedback or right.feedback:
            feedback = f"#{_text(wrong.feedback, default)}" if wrong.feedback else "#"
            if right.feedback:
                feedback += f"#{_text(right.feedback, default)}"
        return [f"\t{'TRUE' if verdict else 'FALSE'}{feedback}"]
    if question.kind is QuestionKind.NUMERICAL:
        lines = ["\t#"]
        for answer in question.answers:
            if answer.value is None:
                lines.append(f"\t~#{_text(answer.feedback, default)}")
                continue
            value = repr(answer.value)
            tolerance = "" if answer.tolerance is None else f":{answer.tolerance!r}"
            weight = "" if answer.fraction == 1 else f"%{_percent(answer.fraction)}%"
            lines.append(f"\t={weight}{value}{tolerance}{_feedback(answer, default)}")
        return lines
    if question.kind is QuestionKind.SHORTANSWER:
        return [
            f"\t={'' if a.fraction == 1 else f'%{_percent(a.fraction)}%'}"
            f"{_answer_text(escape_text(a.text.text))}{_feedback(a, default)}"
            for a in question.answers
        ]
    lines = []
    for answer in question.answers:
        if question.single and answer.fraction == 1:
            marker = "="
        elif answer.fraction == 0:
            marker = "~"
        else:
            marker = f"~%{_percent(answer.fraction)}%"
        lines.append(f"\t{marker}{_text(answer.text, default)}{_feedback(answer, default)}")
    return lines


def _feedback(answer: Answer, default: TextFormat) -> str:
    return f"#{_text(answer.feedback, default)}" if answer.feedback else ""


def _text(text: RichText | None, default: TextFormat) -> str:
    if text is None:
        return ""
    escaped = escape_text(text.text)
    # A text that starts with '[' or '%' would be read as a format or a weight.
    if text.format is not default or escaped.startswith(("[", "%")):
        return f"[{text.format.value}]{escaped}"
    return escaped


def _answer_text(escaped: str) -> str:
    return f"[plain]{escaped}" if escaped.startswith(("[", "%")) else escaped


def _percent(fraction: float) -> str:
    # Moodle accepts only its list of grades; 100/k is written as it writes them (33.33333).
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".")


def escape_text(text: str) -> str:
    """`text` as GIFT: specials escaped, line breaks Moodle would damage written as \\n."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    result = _escape_specials(raw_lines[0])
    for previous, line in itertools.pairwise(raw_lines):
        safe_break = (
            line
            and previous == previous.rstrip(_WHITESPACE)
            and line == line.lstrip(_WHITESPACE)
            and not line.startswith("//")
            and line != "0"  # PHP's empty("0") ends a question in Moodle's reader
        )
        result += ("\n" if safe_break else "\\n") + _escape_specials(line)
    return result


def _escape_specials(line: str) -> str:
    out = line.replace("\\", "\\\\")
    for char in _SPECIALS:
        out = out.replace(char, "\\" + char)
    return out
