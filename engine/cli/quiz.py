"""`skillprobe quiz --plain`: the adaptive quiz as plain lines on stdin and stdout.

Works over a pipe, in a dumb terminal and with a screen reader. Each answer
is stored before anything else is printed; end of input leaves the quiz
unfinished, and `--resume` carries on where it stopped.

A timed quiz (`--time-limit 30m`) shows the time left with each question and
finishes at zero, even while waiting for an answer; a paused timed quiz keeps
the time it had left.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from engine.cli.common import (
    EXIT_OK,
    add_database_option,
    clock_or_exit,
    fail,
    name_list,
    open_database_or_exit,
)
from engine.cli.timed_input import TIME_UP, TimedLines
from engine.quiz.answer_input import InputProblem, parse_answer
from engine.quiz.model import MODES, PRESET_NAMES, Feedback, Question, QuizLength, QuizRequest
from engine.quiz.time_limit import (
    TimeLimitError,
    clock_text,
    describe_duration,
    parse_time_limit,
)
from engine.report.wording import questions_words
from engine.service import bank_service
from engine.service.profile import default_learner
from engine.service.quiz_service import QuizError, QuizService, TimeRanOutError
from engine.service.storage import OpenedDatabase

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
        "(comma-separated for select-all-that-apply), a number, a short text, or ? to skip. "
        "End of input leaves the quiz unfinished; --resume continues it. Without --plain "
        "the terminal app opens.",
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
    try:
        quiz_id = _choose_quiz(service, args, learner, time_limit)
        return _run_plain(service, quiz_id, sys.stdin, sys.stdout)
    except QuizError as error:
        fail(str(error))


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


def _run_plain(service: QuizService, quiz_id: int, stdin: TextIO, stdout: TextIO) -> int:
    summary = service.quiz(quiz_id)
    timed = summary.time_limit_s is not None
    limit = (
        f"; time limit {describe_duration(summary.time_limit_s)}" if summary.time_limit_s else ""
    )
    print(
        f"Quiz {quiz_id} for {summary.learner}: {', '.join(summary.areas)}; {summary.mode} mode; "
        f"{summary.length.describe()}{limit}.",
        file=stdout,
    )
    lines = TimedLines(lambda: stdin.readline() or None) if timed else None
    while (question := service.next_question(quiz_id)) is not None:
        print(file=stdout)
        left = service.time_left(quiz_id)
        if left is not None:
            print(f"Time left {clock_text(left)}", file=stdout)
        print(render_question(question), file=stdout)
        started = time.monotonic()
        while True:
            stdout.write("> ")
            stdout.flush()
            line = lines.next(service.time_left(quiz_id)) if lines else stdin.readline()
            if line is TIME_UP:
                service.finish(quiz_id, time_ran_out=True)
                print(file=stdout)
                return _finished(service, quiz_id, stdout)
            if not line:
                service.pause(quiz_id)
                print(
                    f"\nQuiz {quiz_id} saved after {question.number - 1} answers; continue with "
                    "`skillprobe quiz --plain --resume`.",
                    file=stdout,
                )
                return EXIT_OK
            assert isinstance(line, str)
            parsed = parse_answer(question, line)
            if isinstance(parsed, InputProblem):
                print(f"  {parsed.message}", file=stdout)
                continue
            break
        elapsed_ms = int((time.monotonic() - started) * 1000)
        try:
            receipt = service.submit(question, parsed, elapsed_ms)
        except TimeRanOutError:
            break
        if receipt.feedback is not None:
            print(render_feedback(receipt.feedback), file=stdout)
    return _finished(service, quiz_id, stdout)


def _finished(service: QuizService, quiz_id: int, stdout: TextIO) -> int:
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
        print(f"  {area.title}: {area.level}. {area.verdict}.", file=stdout)
    print("Full report: skillprobe report --latest", file=stdout)
    return EXIT_OK


def render_question(question: Question) -> str:
    lines = [
        f"Question {question.number} · {question.area_title} › {question.topic_title}",
        "",
        question.prompt.strip(),
        "",
    ]
    for position, option in enumerate(question.options, start=1):
        lines.append(f"  {position}) {option.text}")
    if question.unit:
        lines.append(f"  (unit: {question.unit})")
    lines.append(TYPE_HINTS[question.type])
    return "\n".join(lines)


def render_feedback(feedback: Feedback) -> str:
    lines = ["Skipped." if feedback.skipped else "Correct." if feedback.correct else "Not quite."]
    if not feedback.correct:
        lines.append(f"Your answer:  {feedback.your_answer}")
        lines.append(f"Right answer: {feedback.right_answer}")
        lines.extend(feedback.option_feedback)
    lines.append(feedback.explanation.strip())
    return "\n".join(lines)
