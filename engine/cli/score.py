"""``skillprobe score``: ability estimates for response patterns read from CSV files.

Both files are read by `engine.io.csv_tables` (the layouts are described
there). Every problem in either file is reported at once as
``file:row:column: message`` and the command exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from engine.io.csv_tables import (
    item_ids_only,
    read_items_csv,
    read_responses_csv,
    sorted_problems,
)
from engine.irt import METHODS, estimate_ability


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``score`` command."""
    parser = subparsers.add_parser(
        "score",
        help="estimate ability from item parameters and response patterns (CSV)",
        description=(
            "Estimate ability (theta) and its standard error for every row of a responses "
            "file. Items: CSV with header id,a,b,c (3PL, logistic metric, D = 1; c optional). "
            "Responses: CSV with one row per person, an optional first column 'person' or "
            "'id', and a column per item id holding 1, 0 or nothing."
        ),
    )
    parser.add_argument("--items", type=Path, required=True, metavar="ITEMS.csv")
    parser.add_argument("--responses", type=Path, required=True, metavar="RESPONSES.csv")
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="eap",
        help="eap (default; posterior mean), map (posterior mode), ml (maximum "
        "likelihood, bounded to [-4, 4]) or wle (Warm's weighted likelihood)",
    )
    parser.add_argument(
        "--prior-mean", type=float, default=0.0, help="normal prior mean (eap, map)"
    )
    parser.add_argument("--prior-sd", type=float, default=1.0, help="normal prior SD (eap, map)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Score every response row; exit status 1 on any input problem."""
    if not (math.isfinite(args.prior_sd) and args.prior_sd > 0.0):
        print(f"error: --prior-sd must be a positive number, got {args.prior_sd}")
        return 1
    if not math.isfinite(args.prior_mean):
        print(f"error: --prior-mean must be a finite number, got {args.prior_mean}")
        return 1
    items, item_problems = read_items_csv(args.items)
    known_ids = items.ids if items is not None else item_ids_only(args.items)
    responses, response_problems = read_responses_csv(args.responses, known_ids)
    problems = sorted_problems(item_problems) + sorted_problems(response_problems)
    if problems or items is None or responses is None:
        for problem in problems:
            print(problem)
        return 1
    results: list[dict[str, Any]] = []
    for person, pattern in zip(responses.people, responses.responses, strict=True):
        estimate = estimate_ability(
            items.a,
            items.b,
            items.c,
            pattern,
            args.method,
            prior_mean=args.prior_mean,
            prior_sd=args.prior_sd,
        )
        results.append(
            {
                "person": person,
                "theta": estimate.theta,
                "se": estimate.se,
                "answered": int(np.count_nonzero(~np.isnan(pattern))),
                "at_bound": estimate.at_bound,
            }
        )
    if args.json:
        print(json.dumps({"method": args.method, "results": results}, indent=2))
        return 0
    width = max([len("person")] + [len(result["person"]) for result in results])
    print(f"{'person':<{width}}  {'theta':>8}  {'se':>7}  answered")
    for result in results:
        flag = "  (at search bound)" if result["at_bound"] else ""
        print(
            f"{result['person']:<{width}}  {result['theta']:>8.3f}  {result['se']:>7.3f}"
            f"  {result['answered']:>8}{flag}"
        )
    return 0
