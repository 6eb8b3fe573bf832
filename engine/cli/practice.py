"""`skillprobe practice`: spaced-repetition practice sessions, their status, and Anki decks.

A practice session is not a quiz: it brings back the questions the learner
missed when they are due (FSRS), then asks new questions from the weakest
topics at a desirable difficulty, and always explains each answer. Practice
answers never change a readiness estimate. Without `--plain` (and without a
sub-command) the terminal app opens on its Practice screen.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, TextIO

from engine.cli.common import (
    EXIT_OK,
    add_database_option,
    clock_or_exit,
    fail,
    name_list,
    open_database_or_exit,
)
from engine.cli.quiz import (
    import_bank_if_needed,
    plain_width,
    read_line,
    render_feedback,
    render_question,
)
from engine.practice.model import (
    DEFAULT_COUNT,
    DEFAULT_TARGET_SUCCESS,
    MAX_COUNT,
    PracticeRequest,
    PracticeStatus,
)
from engine.quiz.answer_input import InputProblem, parse_answer
from engine.service.practice_service import PracticeService
from engine.service.profile import default_learner
from engine.service.quiz_service import QuizError, QuizService
from engine.text import printable

DESCRIPTION = (
    "A practice session: first the questions you missed (in quizzes or practice) that are due "
    "again on a spaced-repetition schedule (FSRS), then new questions from your weakest topics "
    "(the focus list of your latest report, or the topics you ask for) chosen so that your "
    "predicted chance of success is near 70%%. Every answer is explained. Practice answers are "
    "kept apart from quiz answers and never change your readiness estimates. Without --plain "
    "the terminal app opens on its Practice screen."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "practice",
        help="spaced-repetition practice of missed questions and weak topics",
        description=DESCRIPTION,
    )
    parser.add_argument("--plain", action="store_true", help="plain text on stdin/stdout")
    parser.add_argument("--learner", metavar="NAME", help="learner profile (default: $USER)")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument(
        "--topics", metavar="LIST", help="comma-separated topic ids (default: your weakest)"
    )
    scope.add_argument(
        "--areas", metavar="LIST", help="comma-separated areas: practise their weakest topics"
    )
    parser.add_argument(
        "--count",
        metavar="N",
        help=f"questions in the session, 1 to {MAX_COUNT} (default: {DEFAULT_COUNT})",
    )
    parser.add_argument("--seed", type=int, metavar="S", help="make question choice reproducible")
    parser.add_argument(
        "--target",
        metavar="P",
        help="predicted chance of success new questions are chosen near "
        f"(default: {DEFAULT_TARGET_SUCCESS})",
    )
    add_database_option(parser)
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="practice_action", metavar="ACTION")

    status = actions.add_parser(
        "status",
        help="reviews due now and in the next 7 days, per topic",
        description="How many of your practice cards (questions you missed) are due now "
        "(today) and within the next 7 days (today's included), per topic. JSON keys: "
        "learner, now, due_now, due_7d, cards, next_due, topics.",
    )
    status.add_argument("--learner", metavar="NAME", help="learner profile (default: $USER)")
    status.add_argument("--json", action="store_true", help="print JSON")
    add_database_option(status)
    status.set_defaults(handler=run_status)

    export = actions.add_parser(
        "export",
        help="write questions as an Anki deck (.apkg)",
        description="Write an Anki deck: by default the questions you have missed (in quizzes "
        "and practice), or every question of the given topics. The front shows the question "
        "(code as preformatted text, the options of choice questions), the back the answer "
        "and the explanation. Note ids come from question ids, so importing a new export "
        "updates the cards already in Anki instead of adding duplicates.",
    )
    export.add_argument("--anki", metavar="FILE", required=True, help="the .apkg file to write")
    export.add_argument("--learner", metavar="NAME", help="learner profile (default: $USER)")
    which = export.add_mutually_exclusive_group()
    which.add_argument(
        "--missed", action="store_true", help="the questions you have missed (the default)"
    )
    which.add_argument("--topics", metavar="LIST", help="every question of these topics")
    add_database_option(export)
    export.set_defaults(handler=run_export)


def _whole_number(option: str, text: str | None, default: int, low: int, high: int) -> int:
    if text is None:
        return default
    try:
        value = int(text.strip())
    except ValueError:
        fail(f"{option} '{text}' is not a whole number; give one from {low} to {high}")
    if not low <= value <= high:
        fail(f"{option} {value} is out of range; give a number from {low} to {high}")
    return value


def _fraction(option: str, text: str | None, default: float) -> float:
    if text is None:
        return default
    try:
        return float(text.strip())
    except ValueError:
        fail(f"{option} '{text}' is not a number; e.g. {default}")


def _practice_service(args: argparse.Namespace, *, writes: bool = True) -> PracticeService:
    """The practice service; a reading command (`writes=False`) works on a read-only
    database and leaves the bank as stored."""
    clock = clock_or_exit()
    opened = open_database_or_exit(args, writes=writes)
    if writes:
        import_bank_if_needed(opened)
    return PracticeService(QuizService(opened.database, clock=clock))


def _known_learner(quizzes: QuizService, args: argparse.Namespace) -> str:
    learner = (args.learner or default_learner()).strip()
    if learner not in quizzes.learners():
        known = ", ".join(quizzes.learners()) or "none yet"
        raise QuizError(f"unknown learner '{learner}' (learners: {known})")
    return learner


# -- a session ------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    if not args.plain:
        from engine.cli.app import run_app

        return run_app(args, start="practice")
    count = _whole_number("--count", args.count, DEFAULT_COUNT, 1, MAX_COUNT)
    target = _fraction("--target", args.target, DEFAULT_TARGET_SUCCESS)
    practice = _practice_service(args)
    learner = (args.learner or default_learner()).strip()
    try:
        summary = practice.start(
            PracticeRequest(
                learner,
                topics=name_list(args.topics),
                areas=name_list(args.areas),
                count=count,
                seed=args.seed,
                target_success=target,
            )
        )
        return run_session(practice, summary.session_id, sys.stdin, sys.stdout)
    except QuizError as error:
        fail(str(error))


def run_session(practice: PracticeService, session_id: int, stdin: TextIO, stdout: TextIO) -> int:
    width = plain_width()
    summary = practice.summary(session_id)
    topics = ", ".join(topic.title for topic in summary.topics) or "none"
    header = (
        f"Practice session {session_id} for {summary.learner}: up to {summary.count} questions, "
        f"due reviews first, then new questions from {topics}."
    )
    print(textwrap.fill(printable(header), width), file=stdout)
    reason = f"Why these topics: {summary.topics_reason}."
    print(textwrap.fill(printable(reason), width), file=stdout)
    print(
        "Every answer is explained. Practice answers never change your readiness estimates.",
        file=stdout,
    )
    while (shown := practice.next_question(session_id)) is not None:
        question = shown.question
        print(file=stdout)
        kind = (
            "Review: you missed this before"
            if shown.kind == "review"
            else f"New question (predicted chance of success {shown.predicted:.0%})"
        )
        print(f"[{shown.number} of {shown.count}] {kind}", file=stdout)
        print(render_question(question, width), file=stdout)
        started = time.monotonic()
        while True:
            stdout.write("> ")
            stdout.flush()
            line = read_line(stdin)
            if line is None:
                done = practice.summary(session_id)
                print(
                    f"\nPractice session {session_id} stopped after {done.answered} answers; "
                    "they are saved and count for your next reviews.",
                    file=stdout,
                )
                return EXIT_OK
            parsed = parse_answer(question, line)
            if isinstance(parsed, InputProblem):
                print(f"  {printable(parsed.message)}", file=stdout)
                continue
            break
        receipt = practice.submit(shown, parsed, int((time.monotonic() - started) * 1000))
        print(render_feedback(receipt.feedback, question, width), file=stdout)
        if receipt.next_due is not None:
            print(f"Comes back for review on {receipt.next_due:%Y-%m-%d}.", file=stdout)
    done = practice.summary(session_id)
    print(file=stdout)
    if done.answered == 0:
        print(
            "Nothing to practise right now: no review is due and no new question is left in "
            "those topics (questions answered in the last 7 days wait). Try other topics.",
            file=stdout,
        )
        return EXIT_OK
    print(
        f"Practice session {session_id} finished: {done.correct} of {done.answered} right.",
        file=stdout,
    )
    print("Due reviews: skillprobe practice status", file=stdout)
    return EXIT_OK


# -- status and export --------------------------------------------------------------------


def run_status(args: argparse.Namespace) -> int:
    practice = _practice_service(args, writes=False)
    try:
        status = practice.status(_known_learner(practice.quizzes, args))
    except QuizError as error:
        fail(str(error))
    print(json.dumps(status_to_dict(status), indent=2) if args.json else render_status(status))
    return EXIT_OK


def status_to_dict(status: PracticeStatus) -> dict[str, Any]:
    return {
        "learner": status.learner,
        "now": status.now.isoformat(),
        "due_now": status.due_now,
        "due_7d": status.due_7d,
        "cards": status.cards,
        "next_due": status.next_due.isoformat() if status.next_due else None,
        "topics": [
            {
                "area": topic.area,
                "topic": topic.topic,
                "title": topic.title,
                "cards": topic.cards,
                "due_now": topic.due_now,
                "due_7d": topic.due_7d,
            }
            for topic in status.topics
        ],
    }


def render_status(status: PracticeStatus) -> str:
    next_due = f"{status.next_due:%Y-%m-%d}" if status.next_due else "-"
    lines = [
        printable(f"Practice for {status.learner} on {status.now:%Y-%m-%d %H:%M}"),
        f"  Due now: {status.due_now}   Due within 7 days: {status.due_7d}   "
        f"Cards: {status.cards}   Next due: {next_due}",
    ]
    if not status.topics:
        lines.append("  No cards yet: a question you miss (in a quiz or practice) becomes a card.")
        return "\n".join(lines)
    width = max(len(topic.title) for topic in status.topics)
    lines.append(f"  {'topic'.ljust(width)}  cards  due now  due 7d")
    for topic in status.topics:
        lines.append(
            f"  {printable(topic.title).ljust(width)}  {topic.cards:5d}  {topic.due_now:7d}  "
            f"{topic.due_7d:6d}"
        )
    return "\n".join(lines)


def run_export(args: argparse.Namespace) -> int:
    practice = _practice_service(args, writes=False)
    topics = name_list(args.topics)
    try:
        learner = (args.learner or default_learner()).strip()
        written = practice.export_anki(Path(args.anki), learner=learner, topics=topics)
    except QuizError as error:
        fail(str(error))
    print(
        printable(
            f"Wrote {written.notes} note{'s' if written.notes != 1 else ''} to {written.path} "
            f"(deck {written.deck}). Importing a later export updates these notes."
        )
    )
    return EXIT_OK
