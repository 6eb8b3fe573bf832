"""Answer checks for quizzes/swe/testing-quality.yaml: each computes the keyed answer from first principles."""

import itertools


def _testing_quality_012() -> float:
    # Stacked parametrize decorators generate the Cartesian product of the argument lists.
    batch_sizes = [1, 8, 32]
    devices = ["cpu", "cuda"]
    return len(list(itertools.product(batch_sizes, devices)))


def _testing_quality_019() -> float:
    # 20 independent tests, each flaky with p = 0.01 per execution; one rerun of failed tests.
    p_fail_once = 0.01
    p_fail_both = p_fail_once * p_fail_once
    n_tests = 20
    return 1 - (1 - p_fail_both) ** n_tests


def _testing_quality_027() -> bool:
    # Branch coverage of `if a and b:` counts the two destinations of the if (body taken / not taken).
    calls = [(True, True), (False, True)]
    destinations = {bool(a and b) for a, b in calls}
    fully_branch_covered = destinations == {True, False}
    # The statement claims the report is below 100% (because b was never false).
    return not fully_branch_covered


def _testing_quality_032() -> bool:
    # The statement says no finite list can break min <= sum/len <= max; find one that does.
    def breaks_property(xs: list[float]) -> bool:
        mean = sum(xs) / len(xs)
        return not min(xs) <= mean <= max(xs)

    counterexamples = [[0.1, 0.1, 0.1], [1e308, 1e308]]
    return not any(breaks_property(xs) for xs in counterexamples)


CHECKS = {
    "testing-quality-012": _testing_quality_012,
    "testing-quality-019": _testing_quality_019,
    "testing-quality-027": _testing_quality_027,
    "testing-quality-032": _testing_quality_032,
}
