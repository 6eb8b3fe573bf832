"""EAP, MAP, ML and WLE agree with catR (through its Python translation catpie).

The reference values in ``fixtures/catpie_reference.json`` were produced once by
``fixtures/make_reference.py`` with catpie 0.2.0 (a translation of the R package
catR; Magis & Raiche, 2012): 18 seeded item sets (1PL, 2PL and 3PL; 1, 3, 5, 10,
20 and 40 items), four response patterns each (random, all correct, all wrong,
random with a third missing), normal priors N(0, 1), N(0.5, 0.8^2) and
N(-1, 1.5^2) for EAP and BM (= MAP), EAP on catR's grid (33 nodes on [-4, 4])
and on 41 nodes on [-5, 5], BM/ML/WL searched on [-4, 4], D = 1 and
``semType = "classic"``. catR solves the BM/ML/WL equations by bisection with a
1.22e-4 tolerance; the script runs catpie with that tolerance tightened to
1e-12 so that the comparison at 1e-4 is meaningful (catpie's out-of-the-box
values are stored too and agree to about 1.2e-4). catpie is not needed to run
these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.irt import MAX_STANDARD_ERROR, estimate_ability, quadrature_grid

FIXTURE = Path(__file__).parent / "fixtures" / "catpie_reference.json"
DOCUMENT = json.loads(FIXTURE.read_text())
CASES = DOCUMENT["cases"]
TOLERANCE = 1e-4


def _case_id(case: dict) -> str:
    items = DOCUMENT["item_sets"][case["item_set"]]
    return f"{items['model']}-n{len(items['a'])}-{case['method']}-set{case['item_set']}"


def test_fixture_is_the_documented_one() -> None:
    assert DOCUMENT["catpie_version"] == "0.2.0"
    assert len(CASES) == 792
    assert {case["method"] for case in CASES} == {"eap", "map", "ml", "wle"}


@pytest.mark.parametrize("method", ["eap", "map", "ml", "wle"])
def test_estimates_and_standard_errors_match_catpie(method: str) -> None:
    mismatches = []
    for case in (case for case in CASES if case["method"] == method):
        items = DOCUMENT["item_sets"][case["item_set"]]
        responses = np.array([np.nan if x is None else x for x in case["responses"]])
        estimate = estimate_ability(
            items["a"],
            items["b"],
            items["c"],
            responses,
            method,
            prior_mean=case["prior_mean"],
            prior_sd=case["prior_sd"],
            grid=quadrature_grid(*case["grid"]),
            bounds=tuple(case["bounds"]),
        )
        expected_se = min(case["se"], MAX_STANDARD_ERROR)
        if abs(estimate.theta - case["theta"]) > TOLERANCE or (
            abs(estimate.se - expected_se) > TOLERANCE
        ):
            mismatches.append(
                f"{_case_id(case)} {case['responses']}: theta {estimate.theta:.6f} vs "
                f"{case['theta']:.6f}, se {estimate.se:.6f} vs {expected_se:.6f}"
            )
    assert not mismatches, "\n".join(mismatches)


def test_default_tolerance_values_are_within_catr_bisection_tolerance() -> None:
    for case in CASES:
        assert abs(case["theta"] - case["theta_default_tol"]) < 1.3e-4
