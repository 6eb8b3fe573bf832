"""The Moodle XML reader and writer, including hostile XML.

The sample follows what Moodle's own export writes (question/format/xml/format.php):
a category pseudo-question, CDATA around HTML, fractions in percent, <file>
elements in base64 for embedded images.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.interop.moodle_xml import parse_moodle_xml, write_moodle_xml
from engine.interop.problems import Severity
from engine.interop.question import Answer, Question, QuestionKind, RichText, TextFormat, Unit
from engine.interop.text_format import to_markdown

PATH = Path("export.xml")

MOODLE_EXPORT = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Default for ML 101</text>
    </category>
    <info format="moodle_auto_format"><text></text></info>
  </question>
<!-- question: 12  -->
  <question type="multichoice">
    <name>
      <text>Overfitting</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Training accuracy <b>99%</b>, test 60%.</p>\
<p><img src="@@PLUGINFILE@@/curve.png" alt="learning curve"></p>]]></text>
      <file name="curve.png" path="/" encoding="base64">iVBORw0KGgo=</file>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>A large gap is the signature of <em>overfitting</em>.</p>]]></text>
    </generalfeedback>
    <idnumber>overfit-1</idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>Overfitting</p>]]></text>
      <feedback format="html"><text>Yes.</text></feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>Underfitting</text>
      <feedback format="html"><text></text></feedback>
    </answer>
    <tags><tag><text>generalisation</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>tf</text></name>
    <questiontext format="html"><text>Dropout is used at test time.</text></questiontext>
    <answer fraction="0" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="100" format="moodle_auto_format"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>sa</text></name>
    <questiontext format="html"><text>Name the optimiser.</text></questiontext>
    <usecase>0</usecase>
    <answer fraction="100" format="moodle_auto_format"><text>Adam</text></answer>
  </question>
  <question type="numerical">
    <name><text>num</text></name>
    <questiontext format="plain_text"><text>Half of 0.1?</text></questiontext>
    <answer fraction="100" format="moodle_auto_format">
      <text>0.05</text>
      <tolerance>0.001</tolerance>
    </answer>
    <units><unit><multiplier>1</multiplier><unit_name>s</unit_name></unit></units>
  </question>
  <question type="matching">
    <name><text>match</text></name>
    <questiontext format="html"><text>Match.</text></questiontext>
  </question>
</quiz>
"""


def parse(text: str):
    return parse_moodle_xml(text.encode("utf-8"), PATH)


def test_reads_moodle_export() -> None:
    document = parse(MOODLE_EXPORT)
    kinds = [q.kind for q in document.questions]
    assert kinds == [
        QuestionKind.MULTICHOICE,
        QuestionKind.TRUEFALSE,
        QuestionKind.SHORTANSWER,
        QuestionKind.NUMERICAL,
    ]
    choice, true_false, short, numerical = document.questions
    assert choice.category == "$course$/top/Default for ML 101"
    assert choice.line == 11
    assert (choice.name, choice.idnumber, choice.tags) == (
        "Overfitting",
        "overfit-1",
        ("generalisation",),
    )
    assert choice.single and choice.shuffle
    assert choice.text.format is TextFormat.HTML
    assert [a.fraction for a in choice.answers] == [1.0, 0.0]
    assert true_false.answers[1].fraction == 1.0
    assert short.answers[0].text.text == "Adam"
    assert (numerical.answers[0].value, numerical.answers[0].tolerance) == (0.05, 0.001)
    assert numerical.units == (Unit("s", 1.0),)
    (skipped,) = document.problems
    assert skipped.severity is Severity.SKIPPED
    assert "'matching' is not supported" in skipped.message


def test_html_becomes_markdown_and_images_are_reported() -> None:
    choice = parse(MOODLE_EXPORT).questions[0]
    converted = to_markdown(choice.text)
    assert converted.markdown == "Training accuracy **99%**, test 60%.\n\n[image: learning curve]"
    assert converted.losses == ("image 'curve.png' not carried over",)
    assert to_markdown(choice.answers[0].text, inline=True).markdown == "Overfitting"


@pytest.mark.parametrize(
    ("document", "line", "fragment"),
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
            ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<quiz>&lol2;</quiz>\n',
            3,
            "entity declaration 'lol' refused",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
            "<quiz><question type='truefalse'><name><text>&xxe;</text></name></question></quiz>\n",
            3,
            "external entity 'xxe' (file:///etc/passwd) refused",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.invalid/quiz.dtd">\n<quiz/>\n',
            2,
            "external reference (http://example.invalid/quiz.dtd) refused",
        ),
        ("<quiz>\n<question type='truefalse'>\n</quiz>\n", 3, "XML syntax error: mismatched tag"),
        ("<questions/>\n", 1, "a Moodle XML file is a <quiz>"),
        (
            "<quiz>\n<question type='truefalse'><questiontext><text>x</text></questiontext>"
            "<answer fraction='lots'><text>true</text></answer></question>\n</quiz>",
            2,
            "fraction 'lots' is not a number",
        ),
    ],
)
def test_hostile_or_malformed_xml_is_one_clear_error(
    document: str, line: int, fragment: str
) -> None:
    result = parse(document)
    assert result.questions == ()
    (problem,) = result.problems
    assert problem.fatal
    assert problem.line == line
    assert fragment in problem.message
    assert "lol" * 20 not in str(problem)


def test_markdown_source_is_used_only_while_the_html_is_unchanged() -> None:
    question = Question(
        QuestionKind.TRUEFALSE,
        RichText("Is `x_1` **bold**?\n"),
        (
            Answer(RichText("true", TextFormat.PLAIN), 1.0),
            Answer(RichText("false", TextFormat.PLAIN), 0.0),
        ),
        general_feedback=RichText("Because.\n"),
    )
    written = write_moodle_xml([question])
    (read,) = parse(written).questions
    assert to_markdown(read.text).markdown == "Is `x_1` **bold**?\n"
    # A teacher edits the HTML in Moodle: the stale source must not win.
    edited = written.replace("<strong>bold</strong>", "<strong>bold</strong> and new")
    (read,) = parse(edited).questions
    assert to_markdown(read.text).markdown == "Is `x_1` **bold** and new?"


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip() == t and t)


@st.composite
def xml_questions(draw: st.DrawFn) -> Question:
    kind = draw(st.sampled_from(list(QuestionKind)))
    markdown = st.builds(RichText, _TEXT)
    if kind is QuestionKind.MULTICHOICE:
        fractions = draw(st.lists(st.sampled_from([0.0, 0.5, -1.0]), min_size=1, max_size=4))
        answers = tuple(
            Answer(draw(markdown), f, draw(st.none() | markdown)) for f in [1.0, *fractions]
        )
    elif kind is QuestionKind.TRUEFALSE:
        answers = (
            Answer(RichText("true", TextFormat.PLAIN), 1.0),
            Answer(RichText("false", TextFormat.PLAIN), 0.0),
        )
    elif kind is QuestionKind.SHORTANSWER:
        answers = (Answer(RichText(draw(_TEXT), TextFormat.PLAIN), 1.0),)
    else:
        value = draw(st.floats(allow_nan=False, allow_infinity=False))
        tolerance = draw(st.none() | st.floats(0, 10))
        answers = (Answer(RichText(repr(value), TextFormat.PLAIN), 1.0, None, value, tolerance),)
    return Question(
        kind,
        draw(markdown),
        answers,
        name=draw(_TEXT),
        general_feedback=draw(st.none() | markdown),
        single=True,
        shuffle=draw(st.booleans()) if kind is QuestionKind.MULTICHOICE else None,
        tags=tuple(draw(st.lists(_TEXT, max_size=2))),
        idnumber=draw(_TEXT),
        metadata=draw(st.none() | st.fixed_dictionaries({"difficulty": st.integers(1, 5)})),
    )


@settings(max_examples=150, deadline=None)
@given(xml_questions())
def test_written_xml_reads_back_to_the_same_markdown(question: Question) -> None:
    (read,) = parse(write_moodle_xml([question])).questions
    assert (read.kind, read.name, read.idnumber, read.tags, read.metadata) == (
        question.kind,
        question.name,
        question.idnumber,
        question.tags,
        question.metadata,
    )
    assert to_markdown(read.text).markdown == question.text.text
    if question.general_feedback is not None:
        assert read.general_feedback is not None
        assert to_markdown(read.general_feedback).markdown == question.general_feedback.text
    for written, back in zip(question.answers, read.answers, strict=True):
        assert back.fraction == pytest.approx(written.fraction)
        assert (back.value, back.tolerance) == (written.value, written.tolerance)
        if question.kind is QuestionKind.MULTICHOICE:
            assert to_markdown(back.text, inline=True).markdown == written.text.text
        elif question.kind is QuestionKind.SHORTANSWER:
            assert back.text.text == written.text.text
