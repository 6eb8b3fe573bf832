"""Moodle XML: reading questions from a Moodle export, and writing them for import.

The reader follows Moodle's importer (``question/format/xml/format.php``) and
its documentation (docs.moodle.org, "Moodle XML format"): a ``<quiz>`` of
``<question type="...">`` elements, ``type="category"`` switching the category
of the questions after it, texts in ``<text>`` (HTML usually in CDATA) with a
``format`` attribute, answers with a ``fraction`` in percent.

XML from outside is parsed with defusedxml: a document that declares entities
(the "billion laughs" expansion bomb) or refers to external entities or DTDs
is refused with the line where it happens, before any content is used.

The writer produces what Moodle's own export does for these question types;
Markdown texts become HTML (rendered by markdown-it-py), with the Markdown
source in an HTML comment so that a round trip gives back the exact text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from engine.interop.metadata import METADATA_NAME, decode_metadata, encode_metadata
from engine.interop.problems import Problem, Severity
from engine.interop.question import Answer, Question, QuestionKind, RichText, TextFormat, Unit
from engine.interop.text_format import html_with_markdown_source, take_comment, with_comment

_FORMATS = {
    "html": TextFormat.HTML,
    "moodle_auto_format": TextFormat.MOODLE,
    "plain_text": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
    "wiki_like": TextFormat.MOODLE,
}
_FORMAT_NAMES = {
    TextFormat.HTML: "html",
    TextFormat.MOODLE: "moodle_auto_format",
    TextFormat.PLAIN: "plain_text",
    TextFormat.MARKDOWN: "markdown",
}
_KINDS = {kind.value: kind for kind in QuestionKind}
_FULL_PERCENT = 100.0


@dataclass(frozen=True)
class XmlDocument:
    questions: tuple[Question, ...]
    problems: tuple[Problem, ...]


class _LineRecorder(ET.TreeBuilder):
    """A tree builder that remembers the line on which each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse_moodle_xml(data: bytes, path: Path) -> XmlDocument:
    """Read every question of a Moodle XML file; its bytes must be UTF-8."""
    builder = _LineRecorder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser

    def refuse_external_dtd(name: str, sysid: str | None, pubid: str | None, _: int) -> None:
        # expat would not fetch it, but a file that asks for one is not a Moodle export.
        if sysid or pubid:
            raise ExternalReferenceForbidden(name, None, sysid, pubid)

    parser.parser.StartDoctypeDeclHandler = refuse_external_dtd
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as error:
        line = parser.parser.CurrentLineNumber
        return XmlDocument((), (Problem(path, line, Severity.ERROR, _refusal(error)),))
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":", 1)[0]
        message = f"XML syntax error: {reason} (column {column + 1}); the file is not well-formed"
        return XmlDocument((), (Problem(path, line, Severity.ERROR, message),))
    return _Reader(path, builder.lines).read(root)


def _refusal(error: DefusedXmlException) -> str:
    if isinstance(error, EntitiesForbidden) and not (error.sysid or error.pubid):
        return (
            f"entity declaration '{error.name}' refused: entities can expand without limit "
            "(the 'billion laughs' attack); write the text out instead"
        )
    if isinstance(error, EntitiesForbidden | ExternalReferenceForbidden):
        name = f" entity '{error.name}'" if isinstance(error, EntitiesForbidden) else " reference"
        return (
            f"external{name} ({error.sysid or error.pubid}) refused: a question file must not "
            "read other files or addresses; write the text out"
        )
    return f"refused: {error}"


class _NotSupported(Exception):  # noqa: N818 - a reason, not a failure of the program
    pass


class _XmlError(Exception):
    pass


class _Reader:
    def __init__(self, path: Path, lines: dict[int, int]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []

    def line(self, element: ET.Element) -> int:
        return self.lines.get(id(element), 0)

    def read(self, root: ET.Element) -> XmlDocument:
        if root.tag != "quiz":
            problem = Problem(
                self.path,
                self.line(root),
                Severity.ERROR,
                f"the root element is <{root.tag}>; a Moodle XML file is a <quiz> of <question>s",
            )
            return XmlDocument((), (problem,))
        questions: list[Question] = []
        category: str | None = None
        for element in root:
            if element.tag != "question":
                self.problems.append(
                    Problem(
                        self.path,
                        self.line(element),
                        Severity.ERROR,
                        f"unexpected <{element.tag}> in <quiz>: only <question> elements "
                        "belong here",
                    )
                )
                continue
            question_type = element.get("type", "")
            name = _plain(element.find("name"))
            try:
                if question_type == "category":
                    category = _plain(element.find("category")) or None
                    continue
                kind = _KINDS.get(question_type)
                if kind is None:
                    raise _NotSupported(
                        f"Moodle question type '{question_type or '(none)'}' is not supported"
                    )
                questions.append(self._question(element, kind, name or None, category))
            except _NotSupported as reason:
                self.problems.append(
                    Problem(self.path, self.line(element), Severity.SKIPPED, str(reason), name)
                )
            except _XmlError as error:
                self.problems.append(
                    Problem(self.path, self.line(element), Severity.ERROR, str(error), name)
                )
        return XmlDocument(tuple(questions), tuple(sorted(self.problems, key=Problem.sort_key)))

    def _question(
        self, element: ET.Element, kind: QuestionKind, name: str | None, category: str | None
    ) -> Question:
        losses: list[str] = []
        text = self._rich(element.find("questiontext"), TextFormat.HTML, losses)
        feedback_element = element.find("generalfeedback")
        metadata = None
        general_feedback = None
        if feedback_element is not None:
            general_feedback = self._rich(feedback_element, text.format, losses)
            rest, payload = take_comment(general_feedback.text, METADATA_NAME)
            general_feedback = RichText(rest, general_feedback.format)
            if payload is not None:
                metadata, why = decode_metadata(payload)
                if metadata is None:
                    raise _XmlError(f"in the general feedback: {why}")
        if element.find("hint") is not None:
            losses.append("hints dropped: skillprobe has no hints")
        answers = tuple(
            self._answer(answer, kind, text.format, losses) for answer in element.findall("answer")
        )
        if not answers:
            raise _XmlError(f"a {kind.value} question needs <answer> elements")
        tags = tuple(filter(None, (_plain(tag) for tag in element.findall("tags/tag"))))
        units = tuple(
            Unit(_plain(unit.find("unit_name")), self._number(unit.find("multiplier"), 1.0))
            for unit in element.findall("units/unit")
            if _plain(unit.find("unit_name"))
        )
        return Question(
            kind,
            text,
            answers,
            line=self.line(element),
            name=name,
            general_feedback=general_feedback,
            category=category,
            single=_flag(element.find("single"), default=True),
            shuffle=_flag(element.find("shuffleanswers"), default=False),
            tags=tags,
            idnumber=_plain(element.find("idnumber")) or None,
            units=units,
            units_graded=_plain(element.find("unitgradingtype")) not in ("", "0"),
            case_sensitive=_plain(element.find("usecase")) not in ("", "0"),
            metadata=metadata,
            losses=tuple(dict.fromkeys(losses)),
        )

    def _rich(self, element: ET.Element | None, default: TextFormat, losses: list[str]) -> RichText:
        if element is None:
            return RichText("", default)
        format_name = element.get("format")
        text_format = default if format_name is None else _FORMATS.get(format_name)
        if text_format is None:
            raise _XmlError(f"unknown text format '{format_name}' (known: {', '.join(_FORMATS)})")
        text = _plain(element)
        for file in element.findall("file"):
            name = file.get("name", "")
            if f"/{name}" not in text:  # an <img> or link to it is reported with the text
                losses.append(f"embedded file {name!r} not carried over")
        return RichText(text, text_format)

    def _answer(
        self, element: ET.Element, kind: QuestionKind, default: TextFormat, losses: list[str]
    ) -> Answer:
        fraction = self._fraction(element)
        feedback_element = element.find("feedback")
        feedback = None
        if feedback_element is not None:
            feedback = self._rich(feedback_element, default, losses)
            feedback = None if feedback.is_blank else feedback
        if kind is QuestionKind.MULTICHOICE:
            return Answer(self._rich(element, default, losses), fraction, feedback)
        raw = _plain(element)
        if kind is QuestionKind.NUMERICAL:
            value = None if raw in ("*", "") else self._number(element.find("text"), None)
            tolerance_element = element.find("tolerance")
            tolerance = (
                None
                if tolerance_element is None or value is None
                else self._number(tolerance_element, 0.0)
            )
            if tolerance is not None and tolerance < 0:
                raise _XmlError(f"the tolerance {tolerance:g} is negative")
            return Answer(RichText(raw, TextFormat.PLAIN), fraction, feedback, value, tolerance)
        return Answer(RichText(raw, TextFormat.PLAIN), fraction, feedback)

    def _fraction(self, element: ET.Element) -> float:
        raw = element.get("fraction", "0").strip()
        try:
            percent = float(raw)
        except ValueError:
            raise _XmlError(f"fraction '{raw}' is not a number (a percentage, e.g. 100)") from None
        if not -_FULL_PERCENT <= percent <= _FULL_PERCENT:
            raise _XmlError(f"fraction {raw} is outside -100..100")
        return percent / _FULL_PERCENT

    def _number(self, element: ET.Element | None, default: float | None) -> Any:
        raw = _plain(element)
        if not raw:
            return default
        try:
            return float(raw)
        except ValueError:
            line = self.line(element) if element is not None else 0
            raise _XmlError(f"'{raw}' on line {line} is not a number") from None


def _plain(element: ET.Element | None) -> str:
    """The trimmed content of `element`'s <text> child, or of `element` itself."""
    if element is None:
        return ""
    text_element = element.find("text")
    source = text_element if text_element is not None else element
    return "".join(source.itertext()).strip()


def _flag(element: ET.Element | None, *, default: bool) -> bool:
    raw = _plain(element).lower()
    if not raw:
        return default
    return raw not in ("false", "0")


# --- writing -----------------------------------------------------------------------


def write_moodle_xml(questions: Sequence[Question], header: Sequence[str] = ()) -> str:
    """A Moodle XML document for `questions` (Markdown texts written as HTML)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for line in header:
        out.append(f"<!-- {escape(line).replace('--', '- -')} -->")
    category: str | None = None
    for question in questions:
        if question.category and question.category != category:
            category = question.category
            out.extend(_category(category))
        out.extend(_question(question))
    out.append("</quiz>")
    return "\n".join(out) + "\n"


def _category(category: str) -> list[str]:
    return [
        '  <question type="category">',
        f"    <category><text>{escape(category)}</text></category>",
        '    <info format="html"><text></text></info>',
        "  </question>",
    ]


def _question(question: Question) -> list[str]:
    out = [f'  <question type="{question.kind.value}">']
    out.append(f"    <name><text>{escape(question.name or '')}</text></name>")
    out.append(_text_element("questiontext", question.text, indent=4))
    feedback = question.general_feedback or RichText("", question.text.format)
    feedback_html = _html(feedback)
    if question.metadata:
        metadata = encode_metadata(question.metadata)
        feedback_html = with_comment(feedback_html, METADATA_NAME, metadata)
    out.append(_raw_text_element("generalfeedback", feedback_html, _format_of(feedback), 4))
    out.append("    <defaultgrade>1</defaultgrade>")
    penalty = "1" if question.kind is QuestionKind.TRUEFALSE else "0.3333333"
    out.append(f"    <penalty>{penalty}</penalty>")
    out.append("    <hidden>0</hidden>")
    out.append(f"    <idnumber>{escape(question.idnumber or '')}</idnumber>")
    plain = "moodle_auto_format"
    if question.kind is QuestionKind.MULTICHOICE:
        out.append(f"    <single>{'true' if question.single else 'false'}</single>")
        shuffle = "true" if question.shuffle else "false"
        out.append(f"    <shuffleanswers>{shuffle}</shuffleanswers>")
        out.append("    <answernumbering>abc</answernumbering>")
        out.append("    <showstandardinstruction>0</showstandardinstruction>")
        for answer in question.answers:
            html_text = _cdata(_html(answer.text, inline=True))
            out.extend(_answer(answer, html_text, _format_of(answer.text)))
    elif question.kind is QuestionKind.NUMERICAL:
        for answer in question.answers:
            value = "*" if answer.value is None else repr(answer.value)
            extra = (
                [] if answer.tolerance is None else [f"<tolerance>{answer.tolerance!r}</tolerance>"]
            )
            out.extend(_answer(answer, value, plain, extra))
        out.extend(_units(question.units))
    else:
        if question.kind is QuestionKind.SHORTANSWER:
            out.append(f"    <usecase>{1 if question.case_sensitive else 0}</usecase>")
        for answer in question.answers:
            out.extend(_answer(answer, escape(answer.text.text), plain))
    if question.tags:
        out.append("    <tags>")
        out.extend(f"      <tag><text>{escape(tag)}</text></tag>" for tag in question.tags)
        out.append("    </tags>")
    out.append("  </question>")
    return out


def _units(units: tuple[Unit, ...]) -> list[str]:
    out = []
    if units:
        out.append("    <units>")
        for unit in units:
            out.append(
                f"      <unit><multiplier>{unit.multiplier!r}</multiplier>"
                f"<unit_name>{escape(unit.name)}</unit_name></unit>"
            )
        out.append("    </units>")
    # Units optional and not graded: the number is what counts, as in skillprobe.
    out.append("    <unitgradingtype>0</unitgradingtype>")
    out.append("    <unitpenalty>0.1000000</unitpenalty>")
    out.append(f"    <showunits>{0 if units else 3}</showunits>")
    out.append("    <unitsleft>0</unitsleft>")
    return out


def _answer(answer: Answer, content: str, format_name: str, extra: Sequence[str] = ()) -> list[str]:
    """An <answer>; `content` is already escaped (or in CDATA) for the XML."""
    fraction = f"{answer.fraction * 100:.5f}".rstrip("0").rstrip(".")
    feedback = answer.feedback or RichText("")
    return [
        f'    <answer fraction="{fraction}" format="{format_name}">',
        f"      <text>{content}</text>",
        _raw_text_element("feedback", _html(feedback), _format_of(feedback), 6),
        *(f"      {line}" for line in extra),
        "    </answer>",
    ]


def _html(text: RichText, *, inline: bool = False) -> str:
    if text.format is TextFormat.MARKDOWN:
        return html_with_markdown_source(text.text, inline=inline) if text.text else ""
    return text.text


def _format_of(text: RichText) -> str:
    return "html" if text.format is TextFormat.MARKDOWN else _FORMAT_NAMES[text.format]


def _text_element(tag: str, text: RichText, indent: int, *, inline: bool = False) -> str:
    return _raw_text_element(tag, _html(text, inline=inline), _format_of(text), indent)


def _raw_text_element(tag: str, content: str, format_name: str, indent: int) -> str:
    pad = " " * indent
    return (
        f'{pad}<{tag} format="{format_name}">\n{pad}  <text>{_cdata(content)}</text>\n{pad}</{tag}>'
    )


def _cdata(text: str) -> str:
    if not text:
        return ""
    if not any(c in text for c in "<>&"):
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
