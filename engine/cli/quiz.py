"""`skillprobe quiz --plain`: the adaptive quiz as plain lines on stdin and stdout.

Works over a pipe, in a dumb terminal and with a screen reader. Each answer
is stored before anything else is printed; end of input leaves the quiz
unfinished, and `--resume` carries on where it stopped.

Markdown is printed as plain text (`engine.quiz.plain_markdown`: no `**`, code
fences or backticks to read aloud; code blocks indented) and every printed
piece of item text, name or answer is stripped of control characters. Input
is read as bytes and decoded leniently (bytes that are not UTF-8 become U+FFFD,
never a crash that would drop the answers still in the pipe); a line longer
than `LINE_LIMIT` bytes is cut there and refused as too long, never echoed.

A timed quiz (`--time-limit 30m`) shows the time left with each question and
finishes at zero, even while waiting for an answer; a paused timed quiz keeps
the time it had left.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import textwrap
import time
from typing import IO

from engine.cli.cohort import add_cohort_option, join_cohort_or_exit
from engine.cli.common import (
    EXIT_OK,
    add_database_option,
    clock_or_exit,
    fail,
    name_list,
    open_database_or_exit,
)
from engine.cli.timed_input import TIME_UP, TimedLines
from engine.quiz.answer_input import MAX_ANSWER_LENGTH, InputProblem, parse_answer
from engine.quiz.model import (
    MODES,
    PRESET_NAMES,
    Feedback,
    OptionMark,
    Question,
    QuizLength,
    QuizRequest,
)
from engine.quiz.plain_markdown import inline_plain, markdown_to_plain
from engine.quiz.time_limit import (
    TimeLimitError,
    clock_text,
    describe_duration,
    parse_time_limit,
)
from engine.report.readiness import AreaReadiness
from engine.report.wording import level_words, questions_words
from engine.service import bank_service
from engine.service.profile import default_learner
from engine.service.quiz_service import QuizError, QuizService, TimeRanOutError
from engine.service.storage import OpenedDatabase
from engine.service.storage_errors import AnswerNotSavedError
from engine.text import printable

TYPE_HINTS = {
    "single": "Answer with the option's number or letter; ? to skip.",
    "multiple": "Select all that apply: numbers or letters separated by commas; ? to skip.",
    "true_false": "Answer 1 (True) or 2 (False); ? to skip.",
    "numeric": "Type a number (0.5, .5, 1/2 and 5e-1 all work); ? to skip.",
    "text": "Type a short answer; ? to skip.",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quiz",
        help="take an adaptive quiz (--plain for line-by-line text)",
        description="Take an adaptive quiz. With --plain, questions are printed as text and "
        "answers read line by line from standard input: an option number or letter "
        "(comma-separated for select-all-that-apply), a number, a short text (at most 200 "
        "characters), or ? to skip. Questions are plain text for screen readers: Markdown "
        "made plain, code blocks indented. End of input leaves the quiz unfinished; "
        "--resume continues it. Without --plain the terminal app opens.",
    )
    parser.add_argument("--plain", action="store_true", help="plain text on stdin/stdout")
    parser.add_argument("--learner", metavar="NAME", help="learner profile (default: $USER)")
    parser.add_argument(
        "--areas",
        metavar="LIST",
        help="comma-separated areas, e.g. math,ml (default: all four)",
    )
    parser.add_argument("--mode", choices=MODES, default="practice", help="default: practice")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--length", type=int, metavar="N", help="ask exactly N questions")
    length.add_argument(
        "--precision",
        type=float,
        metavar="SE",
        help="stop each area once its standard error is at most SE (needs --max-items)",
    )
    length.add_argument(
        "--preset",
        choices=PRESET_NAMES,
        help="quiz length preset (default: standard); see docs/engine.md",
    )
    parser.add_argument(
        "--max-items",
        type=int,
        metavar="M",
        help="with --precision: the most questions in the quiz",
    )
    parser.add_argument("--seed", type=int, metavar="S", help="make item selection reproducible")
    parser.add_argument(
        "--time-limit",
        metavar="T",
        help="finish the quiz when T is used up: seconds, minutes or hours (90s, 30m, 1h); "
        "questions not reached are not held against you",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue the learner's unfinished quiz"
    )
    add_cohort_option(parser)
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not args.plain:
        from engine.cli.app import run_app

        return run_app(args)
    if args.precision is not None and args.max_items is None:
        fail("--precision needs --max-items M (the most questions to ask)")
    if args.max_items is not None and args.precision is None:
        fail("--max-items goes with --precision SE")
    time_limit = None
    if args.time_limit is not None:
        if args.resume:
            fail("--time-limit is set when a quiz starts; a resumed quiz keeps its own")
        try:
            time_limit = parse_time_limit(args.time_limit)
        except TimeLimitError as error:
            fail(str(error))
    clock = clock_or_exit()
    opened = open_database_or_exit(args)
    import_bank_if_needed(opened)
    service = QuizService(opened.database, clock=clock)
    learner = (args.learner or default_learner()).strip()
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A terminal that cannot show "·" or "›" gets "?" rather than a crash mid-quiz.
        sys.stdout.reconfigure(errors="replace")
    join_cohort_or_exit(opened, learner, args)
    try:
        quiz_id = _choose_quiz(service, args, learner, time_limit)
        return _run_plain(service, quiz_id, sys.stdin, sys.stdout)
    except QuizError as error:
        fail(printable(str(error)))
    except AnswerNotSavedError as error:
        # Printed by engine.cli.main like every storage fault, naming this shell's resume.
        raise error.resumed_with("skillprobe quiz --plain --resume") from error


def import_bank_if_needed(opened: OpenedDatabase) -> None:
    outcome = bank_service.ensure_bank_imported(opened.database)
    if outcome is None:
        return
    if outcome.summary is None:
        for error in outcome.errors:
            print(error, file=sys.stderr)
        fail("the shipped question bank has problems; nothing was imported")
    print(f"question bank loaded: {outcome.summary}", file=sys.stderr)


def _choose_quiz(
    service: QuizService, args: argparse.Namespace, learner: str, time_limit: int | None
) -> int:
    unfinished = service.unfinished_quiz(learner)
    if args.resume:
        if learner not in service.learners():
            raise QuizError(f"unknown learner '{learner}'")
        if unfinished is None:
            raise QuizError(f"{learner} has no unfinished quiz to resume")
        print(
            f"Resuming quiz {unfinished.session_id} ({unfinished.answered} answered).",
            file=sys.stderr,
        )
        return unfinished.session_id
    if unfinished is not None:
        print(
            f"Note: quiz {unfinished.session_id} is unfinished; `skillprobe quiz --plain --resume` "
            "continues it.",
            file=sys.stderr,
        )
    areas = name_list(args.areas)
    if args.length is not None:
        length = QuizLength(preset=None, length=args.length)
    elif args.precision is not None:
        length = QuizLength(preset=None, se=args.precision, max_items=args.max_items)
    else:
        length = QuizLength(preset=args.preset or "standard")
    summary = service.start_quiz(
        QuizRequest(learner, areas, args.mode, length, args.seed, time_limit)
    )
    return summary.session_id


#: Input lines are read up to this many bytes; the rest of a longer line is dropped
#: unread into memory. Four bytes per character: room for any answer that can be taken.
LINE_LIMIT = 4 * MAX_ANSWER_LENGTH + 64
TEXT_WIDTH = 100  # the widest lines printed, however wide the terminal


def read_line(stream: IO[str]) -> str | None:
    """The next line typed (without its line break), or None at the end of input.

    Reads bytes when the stream has them (a terminal or a pipe) and decodes
    them with replacement; a text stream (tests) is read as text. Either way at
    most `LINE_LIMIT` characters are kept.
    """
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        raw: bytes = binary.readline(LINE_LIMIT)
        if not raw:
            return None
        if not raw.endswith(b"\n"):
            _skip_rest_of_line(binary)
        return raw.decode("utf-8", errors="replace").rstrip("\r\n")
    line = stream.readline(LINE_LIMIT)
    if not line:
        return None
    if not line.endswith("\n"):
        _skip_rest_of_line(stream)
    return line.rstrip("\r\n")


def _skip_rest_of_line(stream: IO[bytes] | IO[str]) -> None:
    while True:
        chunk = stream.readline(LINE_LIMIT)
        if not chunk or chunk[-1:] in (b"\n", "\n"):
            return


def plain_width() -> int:
    """Columns to wrap printed text at: the terminal's, at least 40 and at most `TEXT_WIDTH`."""
    return min(TEXT_WIDTH, max(40, shutil.get_terminal_size((80, 24)).columns - 1))


def _run_plain(service: QuizService, quiz_id: int, stdin: IO[str], stdout: IO[str]) -> int:
    width = plain_width()
    summary = service.quiz(quiz_id)
    timed = summary.time_limit_s is not None
    limit = (
        f"; time limit {describe_duration(summary.time_limit_s)}" if summary.time_limit_s else ""
    )
    titles = {area.id: area.title for area in service.areas()}
    areas = ", ".join(titles.get(area, area) for area in summary.areas)
    print(
        _wrapped(
            f"Quiz {quiz_id} for {summary.learner}: {areas}; {summary.mode} mode; "
            f"{summary.length.describe()}{limit}.",
            width,
        ),
        file=stdout,
    )
    answered = summary.answered
    # A timed quiz reads lines on a thread, so the deadline can end it mid-wait.
    lines = TimedLines(lambda: read_line(stdin)) if timed else None
    while (question := service.next_question(quiz_id)) is not None:
        print(file=stdout)
        left = service.time_left(quiz_id)
        if left is not None:
            print(f"Time left {clock_text(left)}", file=stdout)
        print(render_question(question, width), file=stdout)
        started = time.monotonic()
        while True:
            stdout.write("> ")
            stdout.flush()
            line = lines.next(service.time_left(quiz_id)) if lines else read_line(stdin)
            if line is TIME_UP:
                service.finish(quiz_id, time_ran_out=True)
                print(file=stdout)
                return _finished(service, quiz_id, stdout, width)
            if line is None:
                service.pause(quiz_id)
                print(
                    f"\nQuiz {quiz_id} saved after {_answers(answered)}; continue with "
                    "`skillprobe quiz --plain --resume`.",
                    file=stdout,
                )
                return EXIT_OK
            assert isinstance(line, str)
            parsed = parse_answer(question, line)
            if isinstance(parsed, InputProblem):
                print(f"  {printable(parsed.message)}", file=stdout)
                continue
            break
        elapsed_ms = int((time.monotonic() - started) * 1000)
        try:
            receipt = service.submit(question, parsed, elapsed_ms)
        except TimeRanOutError:
            break
        answered = receipt.progress.answered
        if receipt.feedback is not None:
            print(render_feedback(receipt.feedback, question, width), file=stdout)
    return _finished(service, quiz_id, stdout, width)


def _finished(service: QuizService, quiz_id: int, stdout: IO[str], width: int) -> int:
    report = service.report(quiz_id)
    print(file=stdout)
    if report.time_ran_out:
        print(
            f"Time ran out after {questions_words(report.answered)}; the questions not reached "
            "are not held against you.",
            file=stdout,
        )
    print(f"Quiz {quiz_id} finished: {report.correct} of {report.answered} correct.", file=stdout)
    for area in report.areas:
        print(_wrapped(f"{area.title}: {_area_result(area)}", width, "  "), file=stdout)
    print("Full report: skillprobe report --latest", file=stdout)
    return EXIT_OK


def _answers(count: int) -> str:
    return f"{count} answer" if count == 1 else f"{count} answers"


def _area_result(area: AreaReadiness) -> str:
    if not area.enough_evidence or area.levels is None:
        return f"{area.verdict}."
    level = level_words(area.level, area.levels.named.probability, True)
    return f"{level}. {area.verdict}."


def _wrapped(text: str, width: int, indent: str = "", hanging: str | None = None) -> str:
    """One paragraph of untrusted text, printable, wrapped (long words kept whole)."""
    return textwrap.fill(
        printable(text),
        width,
        initial_indent=indent,
        subsequent_indent=indent if hanging is None else hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )


def render_question(question: Question, width: int = 80) -> str:
    """A question as plain text: heading, prompt (Markdown made plain), options, how to answer."""
    lines = [
        printable(f"Question {question.number} · {question.area_title} › {question.topic_title}"),
        "",
        markdown_to_plain(question.prompt, width),
        "",
    ]
    for position, option in enumerate(question.options, start=1):
        marker = f"  {position}) "
        lines.append(_wrapped(inline_plain(option.text), width, marker, " " * len(marker)))
    if question.unit:
        lines.append(printable(f"  (unit: {question.unit})"))
    lines.append(TYPE_HINTS[question.type])
    return "\n".join(lines)


def render_feedback(feedback: Feedback, question: Question, width: int = 80) -> str:
    """Right or wrong; for a missed choice question every option, marked, with its feedback."""
    lines = ["Skipped." if feedback.skipped else "Correct." if feedback.correct else "Not quite."]
    marks = {mark.index: mark for mark in feedback.options}
    if marks and not feedback.correct:
        for position, option in enumerate(question.options, start=1):
            mark = marks.get(option.index)
            if mark is not None:
                lines.extend(_option_lines(position, mark, width))
    elif not feedback.correct:
        lines.append(_wrapped(f"Your answer:  {feedback.your_answer}", width))
        lines.append(_wrapped(f"Right answer: {feedback.right_answer}", width))
        lines.extend(_wrapped(note, width) for note in feedback.option_feedback)
    if feedback.explanation.strip():
        lines.append(markdown_to_plain(feedback.explanation, width))
    return "\n".join(lines)


def _option_lines(position: int, mark: OptionMark, width: int) -> list[str]:
    """One option after the answer, in words a screen reader reads well."""
    verdict = "correct" if mark.correct else "not correct"
    chosen = "; you chose it" if mark.chosen else ""
    marker = f"  {position}) "
    hanging = " " * len(marker)
    lines = [_wrapped(f"{inline_plain(mark.text)} ({verdict}{chosen})", width, marker, hanging)]
    if mark.feedback and (mark.chosen or mark.correct):
        lines.append(_wrapped(inline_plain(mark.feedback), width, hanging))
    return lines
