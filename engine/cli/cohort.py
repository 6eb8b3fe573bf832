"""`skillprobe cohort`: named groups of learners and the instructor's cohort report.

Also the `--cohort NAME` option (default `$SKILLPROBE_COHORT`) that `quiz` and the
app use to put whoever quizzes into a cohort.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable

from engine.cli.common import EXIT_OK, add_database_option, fail, open_database_or_exit
from engine.report.cohort import CohortReport
from engine.report.cohort_render import (
    render_cohort_csv,
    render_cohort_json,
    render_cohort_markdown,
    render_cohort_text,
)
from engine.service.cohort_choice import COHORT_VARIABLE, chosen_cohort
from engine.service.cohort_service import CohortError, CohortService
from engine.service.storage import OpenedDatabase
from engine.text import printable

RENDERERS: dict[str, Callable[[CohortReport], str]] = {
    "text": render_cohort_text,
    "markdown": render_cohort_markdown,
    "json": render_cohort_json,
    "csv": render_cohort_csv,
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "cohort",
        help="named groups of learners and the instructor's cohort report",
        description="Group learners into cohorts (a course, a bootcamp intake) and report on "
        "a cohort. New learners join one with `skillprobe quiz --cohort NAME`, "
        f"`skillprobe --cohort NAME` or ${COHORT_VARIABLE}.",
    )
    actions = parser.add_subparsers(dest="cohort_action", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        help="create a cohort and/or add learners to it",
        description="Add existing learners to a cohort, creating the cohort if it is new "
        "(with no learners named, only creates it). An unknown learner name changes nothing.",
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("learners", metavar="LEARNER", nargs="*")
    add_database_option(add)
    add.set_defaults(handler=run_add)

    remove = actions.add_parser(
        "remove",
        help="take learners out of a cohort",
        description="Take learners out of a cohort. Their quizzes and answers stay.",
    )
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("learners", metavar="LEARNER", nargs="+")
    add_database_option(remove)
    remove.set_defaults(handler=run_remove)

    delete = actions.add_parser(
        "delete",
        help="delete a cohort (never its learners or their answers)",
        description="Delete a cohort and its list of members. The learners, their quizzes "
        "and answers stay.",
    )
    delete.add_argument("name", metavar="NAME")
    add_database_option(delete)
    delete.set_defaults(handler=run_delete)

    listing = actions.add_parser(
        "list",
        help="the cohorts, or one cohort's members",
        description="Without NAME: every cohort with its number of members. With NAME: its "
        "members.",
    )
    listing.add_argument("name", metavar="NAME", nargs="?")
    add_database_option(listing)
    listing.set_defaults(handler=run_list)

    report = actions.add_parser(
        "report",
        help="the cohort report (text, markdown, json or csv)",
        description="The instructor's report on a cohort: per area a histogram of the "
        "members' latest estimates and the share at each level with a 90% interval; a "
        "learner x area table (level, P(job-ready), quizzes, last active); topics weak across "
        "the cohort (a pooled topic-effect model, 10% false discovery rate); progress between "
        "the two dates; the most-missed questions with their diagnostics. Dates are UTC days. "
        "--format json has `learners` (one entry per learner) and `areas` (per-area figures); "
        "--format csv has one row per learner and area.",
    )
    report.add_argument("name", metavar="NAME")
    report.add_argument(
        "--since",
        metavar="DATE",
        help="start of the period, YYYY-MM-DD (default: from the start); progress is "
        "measured from each learner's latest result before it",
    )
    report.add_argument(
        "--until", metavar="DATE", help="end of the period, YYYY-MM-DD (default: now)"
    )
    report.add_argument("--format", choices=list(RENDERERS), default="text", help="default: text")
    add_database_option(report)
    report.set_defaults(handler=run_report)


def _service(args: argparse.Namespace, *, writes: bool = True) -> CohortService:
    return CohortService(open_database_or_exit(args, writes=writes).database)


def _names(values: list[str]) -> str:
    return ", ".join(printable(value) for value in values)


def run_add(args: argparse.Namespace) -> int:
    try:
        change = _service(args).add(args.name, args.learners)
    except CohortError as error:
        fail(str(error))
    if change.created:
        print(f"created cohort {printable(change.cohort)}")
    if args.learners:
        print(
            f"{change.changed} learner{'s' if change.changed != 1 else ''} added to "
            f"{printable(change.cohort)}"
            + (f"; {change.unchanged} already in it" if change.unchanged else "")
        )
    elif not change.created:
        print(f"cohort {printable(change.cohort)} already exists; name learners to add them")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    try:
        change = _service(args).remove(args.name, args.learners)
    except CohortError as error:
        fail(str(error))
    print(
        f"{change.changed} learner{'s' if change.changed != 1 else ''} removed from "
        f"{printable(change.cohort)}"
        + (f"; {change.unchanged} were not in it" if change.unchanged else "")
    )
    return EXIT_OK


def run_delete(args: argparse.Namespace) -> int:
    try:
        change = _service(args).delete(args.name)
    except CohortError as error:
        fail(str(error))
    print(
        f"deleted cohort {printable(change.cohort)} ({change.changed} member"
        f"{'s' if change.changed != 1 else ''}; their answers are kept)"
    )
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    service = _service(args, writes=False)
    try:
        if args.name is not None:
            for member in service.members(args.name):
                print(printable(member))
            return EXIT_OK
    except CohortError as error:
        fail(str(error))
    cohorts = service.cohorts()
    if not cohorts:
        print("no cohorts yet; `skillprobe cohort add NAME LEARNER...` creates one")
    width = max((len(printable(c.name)) for c in cohorts), default=0)
    for cohort in cohorts:
        print(
            f"{printable(cohort.name):<{width}}  {cohort.members} member"
            f"{'s' if cohort.members != 1 else ''}  since {cohort.created_at:%Y-%m-%d}"
        )
    return EXIT_OK


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option} {printable(value)!r} is not a date; use YYYY-MM-DD, e.g. 2026-09-01")


def run_report(args: argparse.Namespace) -> int:
    since = parse_day(args.since, "--since")
    until = parse_day(args.until, "--until")
    try:
        report = _service(args, writes=False).report(args.name, since=since, until=until)
    except CohortError as error:
        fail(str(error))
    sys.stdout.write(RENDERERS[args.format](report))
    return EXIT_OK


# -- joining a cohort when quizzing ------------------------------------------------------------


def add_cohort_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cohort",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=f"join this cohort (default: ${COHORT_VARIABLE}); it must exist "
        "(`skillprobe cohort add NAME`)",
    )


def join_cohort_or_exit(opened: OpenedDatabase, learner: str, args: argparse.Namespace) -> None:
    """Put the learner in the chosen cohort (if any); say so on stderr the first time."""
    cohort = chosen_cohort(getattr(args, "cohort", None))
    if cohort is None:
        return
    try:
        joined = CohortService(opened.database).join(learner, cohort)
    except CohortError as error:
        fail(str(error))
    if joined:
        print(f"{printable(learner)} joined cohort {printable(cohort)}", file=sys.stderr)
