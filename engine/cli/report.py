"""`skillprobe report`: the readiness report without the terminal app."""

from __future__ import annotations

import argparse

from engine.cli.common import EXIT_OK, add_database_option, fail, open_database_or_exit
from engine.report.render import render_json, render_markdown, render_text
from engine.service.profile import default_learner
from engine.service.quiz_service import QuizError, QuizService

RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="print a readiness report (text, markdown or json)",
        description="Print the readiness report of a quiz: per area the level (or the "
        "shortest run of levels holding 80% of the probability) and every level's "
        "probability, the probability of being job-ready, the estimate, SE and 90% "
        "interval, and how much of the result comes from this quiz's answers; the overall "
        "mean of the areas; topics called weak at a 10% false discovery rate, or next "
        "steps when none is; missed questions with explanations; progress across the "
        "learner's quizzes. Probabilities are model-based and never shown above 99% or "
        "below 1%.",
    )
    parser.add_argument("--learner", metavar="NAME", help="learner profile (default: $USER)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--session", type=int, metavar="ID", help="the quiz to report on")
    which.add_argument(
        "--latest", action="store_true", help="the learner's latest quiz (the default)"
    )
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text", help="default: text")
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    opened = open_database_or_exit(args, writes=False)
    service = QuizService(opened.database)
    try:
        if args.session is not None:
            quiz_id = service.quiz(args.session).session_id
        else:
            learner = args.learner or default_learner()
            if learner not in service.learners():
                known = ", ".join(service.learners()) or "none yet"
                raise QuizError(f"unknown learner '{learner}' (learners: {known})")
            latest = service.latest_quiz(learner)
            if latest is None:
                raise QuizError(f"{learner} has not taken a quiz yet")
            quiz_id = latest.session_id
        report = service.report(quiz_id)
    except QuizError as error:
        fail(str(error))
    print(RENDERERS[args.format](report), end="")
    return EXIT_OK
