"""The GIFT reader and writer.

Expected values follow Moodle's documentation of the format (docs.moodle.org,
"GIFT format": the Grant's tomb, Thanksgiving and numerical examples) and
Moodle's importer (question/format/gift/format.php), which this reader mirrors.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.interop.gift import escape_text, parse_gift, write_gift
from engine.interop.problems import Severity
from engine.interop.question import Answer, Question, QuestionKind, RichText, TextFormat

PATH = Path("questions.gift")
MOODLE = TextFormat.MOODLE


def parse(text: str):
    return parse_gift(text, PATH)


def only_question(text: str) -> Question:
    document = parse(text)
    assert [str(p) for p in document.problems] == []
    (question,) = document.questions
    return question


def test_multiple_choice_from_moodle_docs() -> None:
    question = only_question("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")
    assert question.kind is QuestionKind.MULTICHOICE
    assert question.single
    assert question.text == RichText("Who's buried in Grant's tomb?", MOODLE)
    assert [(a.text.text, a.fraction) for a in question.answers] == [
        ("Grant", 0.0),
        ("Jefferson", 0.0),
        ("no one", 1.0),
    ]


def test_answers_on_separate_lines_with_feedback_and_general_feedback() -> None:
    question = only_question(
        "::Thanksgiving::[markdown]The *American* holiday of Thanksgiving is celebrated on the {\n"
        "    ~second # Too early.\n"
        "    ~third\n"
        "    =fourth # Right: the fourth Thursday.\n"
        "    ####It was fixed by law in 1941.\n"
        "}\n"
    )
    assert question.name == "Thanksgiving"
    assert question.text.format is TextFormat.MARKDOWN
    assert question.text.text.startswith("The *American* holiday")
    assert question.answers[0].feedback == RichText("Too early.", TextFormat.MARKDOWN)
    assert question.answers[1].feedback is None
    assert question.answers[2].fraction == 1.0
    assert question.general_feedback == RichText(
        "It was fixed by law in 1941.", TextFormat.MARKDOWN
    )


def test_percentage_weights_make_a_multiple_answer_question() -> None:
    question = only_question(
        "What two people are entombed in Grant's tomb? {\n"
        "   ~%-100%No one\n   ~%50%Grant\n   ~%50%Grant's wife\n   ~%-100%Grant's father\n}"
    )
    assert not question.single  # no '=': Moodle allows several answers
    assert [a.fraction for a in question.answers] == [-1.0, 0.5, 0.5, -1.0]


@pytest.mark.parametrize(
    ("answer", "verdict"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_true_false_spellings(answer: str, verdict: bool) -> None:
    question = only_question(f"Grant is buried in Grant's tomb.{{{answer}}}")
    assert question.kind is QuestionKind.TRUEFALSE
    right = next(a for a in question.answers if a.fraction == 1.0)
    assert right.text.text == ("true" if verdict else "false")


def test_true_false_feedback_is_wrong_then_right() -> None:
    question = only_question(
        "The sun rises in the west.{FALSE#No, east.#Yes, it rises in the east.}"
    )
    true_answer, false_answer = question.answers
    assert false_answer.fraction == 1.0
    assert false_answer.feedback is not None
    assert false_answer.feedback.text == "Yes, it rises in the east."
    assert true_answer.feedback is not None
    assert true_answer.feedback.text == "No, east."


def test_short_answer_with_several_accepted_answers() -> None:
    question = only_question("Who's buried in Grant's tomb?{=no one =nobody}")
    assert question.kind is QuestionKind.SHORTANSWER
    assert [(a.text.text, a.fraction) for a in question.answers] == [
        ("no one", 1.0),
        ("nobody", 1.0),
    ]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ("#1822:5", [(1822.0, 5.0, 1.0)]),  # Moodle docs: When was Ulysses S. Grant born?
        ("#1..5", [(3.0, 2.0, 1.0)]),  # a range is its middle +- half its width
        ("#3.14", [(3.14, None, 1.0)]),  # no tolerance given
        ("#=2:0 =%50%-2:0", [(2.0, 0.0, 1.0), (-2.0, 0.0, 0.5)]),
        ("# =1822:0 =%50%1822:2", [(1822.0, 0.0, 1.0), (1822.0, 2.0, 0.5)]),
    ],
)
def test_numerical_answers(answers: str, expected: list[tuple[float, float | None, float]]) -> None:
    question = only_question(f"A number?{{{answers}}}")
    assert question.kind is QuestionKind.NUMERICAL
    assert [(a.value, a.tolerance, a.fraction) for a in question.answers] == expected


def test_numerical_wrong_answer_feedback_becomes_a_catch_all() -> None:
    question = only_question("What is 2+2?{#4 ~#Count again.}")
    assert question.answers[-1].value is None
    assert question.answers[-1].feedback == RichText("Count again.", MOODLE)


def test_escaped_special_characters_and_line_breaks() -> None:
    question = only_question(r"1 + 2 \= 3\: a \{set\} \~ \# \\ done\nnext line{T}")
    assert question.text.text == "1 + 2 = 3: a {set} ~ # \\ done\nnext line"


def test_comments_titles_and_categories() -> None:
    document = parse(
        "// a comment line\n$CATEGORY: $course$/Physics/Kinematics\n\n"
        "::Speed:: // not a comment: it does not start the line\nSpeed is a vector.{F}\n\n"
        "$CATEGORY: $course$/Physics/Waves\n\n// trailing comment\nLight is a wave.{T}\n"
    )
    assert [str(p) for p in document.problems] == []
    first, second = document.questions
    assert (first.name, first.category, first.line) == ("Speed", "$course$/Physics/Kinematics", 4)
    assert first.text.text == "// not a comment: it does not start the line\nSpeed is a vector."
    assert (second.name, second.category) == (None, "$course$/Physics/Waves")


def test_each_physical_line_is_trimmed_as_moodle_does() -> None:
    question = only_question("Line one\n      indented line{T}")
    assert question.text.text == "Line one\nindented line"


def test_text_formats() -> None:
    for name, text_format in [
        ("html", TextFormat.HTML),
        ("plain", TextFormat.PLAIN),
        ("markdown", TextFormat.MARKDOWN),
        ("moodle", TextFormat.MOODLE),
    ]:
        question = only_question(f"[{name}]Is this <b>bold</b>?{{T}}")
        assert question.text == RichText("Is this <b>bold</b>?", text_format)
    # An unknown name is text, as in Moodle.
    assert only_question("[note]Really?{T}").text.text == "[note]Really?"


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("Match these. {=cat -> cat food =dog -> dog food}", "matching"),
        ("Write an essay about Grant.{}", "essay"),
        ("Grant is {~buried =entombed ~living} in Grant's tomb.", "missing-word"),
    ],
)
def test_unsupported_question_types_are_skipped_with_their_line(source: str, kind: str) -> None:
    document = parse(f"// header\n\n{source}\n")
    assert document.questions == ()
    (problem,) = document.problems
    assert problem.severity is Severity.SKIPPED
    assert problem.line == 3
    assert kind in problem.message


@pytest.mark.parametrize(
    ("source", "line", "fragment"),
    [
        ("Q1 {=a}\n\nUnclosed brace {\n=a\n~b\n", 3, "'{' is never closed"),
        ("Q1 {=a}\n\n::Q2:: A question without answers.\n", 3, "has no answer block"),
        ("Q1 {=a}\n\nQ2\nwith \\q here {=a}\n", 4, "unknown escape '\\q'"),
        ("Closing first } then {=a}\n", 1, "'}' without an opening '{'"),
        ("Nested {=a {=b}}\n", 1, "'{' inside an answer block"),
        ("Two blocks {=a} and {=b}\n", 1, "a second answer block"),
        ("Weights {~%fifty%a =b}\n", 1, "malformed answer weight '%fifty%'"),
        ("Weights {~%150%a =b}\n", 1, "between -100 and 100"),
        ("One choice {~a}\n", 1, "at least two answers"),
        ("Number {#three}\n", 1, "'three' is not a number"),
        ("Range {#5..1}\n", 1, "ends below its start"),
        ("::Title never closed {T}\n", 1, "title opened with '::' is never closed"),
        ("$CATEGORY: a\nQuestion {T}\n", 1, "$CATEGORY: takes one line"),
        ("Empty answer {~ =b}\n", 1, "an answer is empty"),
        ("// skillprobe: {not json}\nQuestion {T}\n", 1, "not valid JSON"),
        ('// skillprobe: {"colour": 1}\nQuestion {T}\n', 1, "unknown field 'colour'"),
    ],
)
def test_malformed_gift_is_an_error_at_its_line(source: str, line: int, fragment: str) -> None:
    problems = [p for p in parse(source).problems if p.fatal]
    assert len(problems) == 1, problems
    assert problems[0].line == line
    assert fragment in problems[0].message
    assert str(problems[0]).startswith(f"questions.gift:{line}:")


def test_every_problem_is_reported_not_just_the_first() -> None:
    document = parse("A {=a\n\nB has none\n\nC \\q {T}\n")
    assert [p.line for p in document.problems if p.fatal] == [1, 3, 5]


def test_metadata_comment_is_read_back() -> None:
    question = only_question('// skillprobe: {"difficulty": 2, "tags": ["x"]}\nQ {T}\n')
    assert question.metadata == {"difficulty": 2, "tags": ["x"]}


# --- writing ---------------------------------------------------------------------------


def test_escape_text_keeps_what_moodle_would_trim_as_escapes() -> None:
    assert escape_text("a = b: {c} ~ #d \\") == "a \\= b\\: \\{c\\} \\~ \\#d \\\\"
    # Plain line breaks stay; breaks before blank or indented lines, after trailing spaces
    # and before '//' lines would be damaged by Moodle's line trimming: written as \n.
    assert escape_text("one\ntwo") == "one\ntwo"
    assert escape_text("one\n\ntwo") == "one\\n\ntwo"
    assert escape_text("def f():\n    return 1\n") == "def f()\\:\\n    return 1\\n"
    assert escape_text("hard  \nbreak") == "hard  \\nbreak"
    assert escape_text("x\n// y") == "x\\n// y"


def test_written_numbers_and_weights_are_what_moodle_accepts() -> None:
    question = Question(
        QuestionKind.MULTICHOICE,
        RichText("Pick the primes."),
        tuple(
            Answer(RichText(text), fraction)
            for text, fraction in [("2", 1 / 3), ("3", 1 / 3), ("5", 1 / 3), ("4", -1.0)]
        ),
        single=False,
    )
    text = write_gift([question])
    assert "~%33.33333%2" in text  # Moodle's own grade value for 1/3
    assert "~%-100%4" in text


# --- properties ----------------------------------------------------------------------

_WHITESPACE = " \t\n\r\0\x0b"
_TOKENS = st.sampled_from([*"ab Z09~=#{}:\\/%[]*-_.\t\n", "é", "→", "//", "\\n", "[markdown]"])


def _text(*, single_line: bool = False) -> st.SearchStrategy[str]:
    core = (
        st.lists(_TOKENS, min_size=1, max_size=30).map("".join).map(lambda t: t.strip(_WHITESPACE))
    )
    core = core.filter(bool)
    if single_line:
        return core.map(lambda t: " ".join(t.split("\n"))).map(lambda t: t.strip(_WHITESPACE))
    return st.tuples(core, st.booleans()).map(lambda pair: pair[0] + ("\n" if pair[1] else ""))


_FORMATS = st.sampled_from(list(TextFormat))
_RICH = st.builds(RichText, _text(), _FORMATS)
_FEEDBACK = st.none() | _RICH
_WEIGHTS = st.sampled_from([0.0, 0.5, 0.25, -1.0, 0.2, -0.5, 0.1])


@st.composite
def questions(draw: st.DrawFn) -> Question:
    kind = draw(st.sampled_from(list(QuestionKind)))
    text = RichText(draw(_text()), draw(_FORMATS))
    single = True
    if kind is QuestionKind.MULTICHOICE:
        single = draw(st.booleans())
        count = draw(st.integers(2, 5))
        fractions = [draw(_WEIGHTS) for _ in range(count)]
        if single:
            fractions[draw(st.integers(0, count - 1))] = 1.0
        answers = tuple(Answer(draw(_RICH), f, draw(_FEEDBACK)) for f in fractions)
    elif kind is QuestionKind.TRUEFALSE:
        verdict = draw(st.booleans())
        answers = (
            Answer(RichText("true", TextFormat.PLAIN), float(verdict), draw(_FEEDBACK)),
            Answer(RichText("false", TextFormat.PLAIN), float(not verdict), draw(_FEEDBACK)),
        )
    elif kind is QuestionKind.SHORTANSWER:
        answers = tuple(
            Answer(
                RichText(draw(_text(single_line=True)), TextFormat.PLAIN),
                draw(st.sampled_from([1.0, 0.5])),
                draw(_FEEDBACK),
            )
            for _ in range(draw(st.integers(1, 3)))
        )
    else:
        numbers = st.floats(allow_nan=False, allow_infinity=False, width=64)
        tolerances = st.none() | st.floats(0, 1e6, allow_nan=False)
        values = [(draw(numbers), draw(tolerances)) for _ in range(draw(st.integers(1, 3)))]
        answers = tuple(
            Answer(
                RichText(repr(v), TextFormat.PLAIN),
                draw(st.sampled_from([1.0, 0.5])),
                draw(_FEEDBACK),
                v,
                t,
            )
            for v, t in values
        )
        catch_all = draw(st.none() | _RICH)
        if catch_all is not None:
            answers += (Answer(RichText("*", TextFormat.PLAIN), 0.0, catch_all),)
    general = draw(st.none() | _RICH)
    name = draw(st.none() | _text(single_line=True))
    category = draw(
        st.none() | st.text("abc/$ ", min_size=1, max_size=12).map(str.strip).filter(bool)
    )
    metadata = draw(
        st.none()
        | st.fixed_dictionaries({"difficulty": st.integers(1, 5)}, optional={"pattern": _text()})
    )
    return Question(
        kind,
        text,
        answers,
        name=name,
        general_feedback=general,
        category=category,
        single=single,
        metadata=metadata,
    )


def _comparable(question: Question) -> Question:
    return dataclasses.replace(question, line=0)


@settings(max_examples=300, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=4))
def test_written_questions_read_back_unchanged(original: list[Question]) -> None:
    # Categories carry over to the next question in GIFT, as in Moodle.
    expected = []
    category = None
    for question in original:
        category = question.category or category
        expected.append(dataclasses.replace(question, category=category))
    document = parse(write_gift(original, header=["generated"]))
    assert [str(p) for p in document.problems] == []
    assert [_comparable(q) for q in document.questions] == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses_without_crashing_and_problems_point_at_real_lines(text: str) -> None:
    document = parse(text)
    line_count = text.count("\n") + 1
    for problem in document.problems:
        assert 1 <= problem.line <= line_count
        assert "\n" not in str(problem)
