"""Answer checks for quizzes/swe/git.yaml: each computes the keyed answer from first principles."""

import math


def _git_016() -> float:
    # Worst-case bisect steps: smallest k with 2**k >= number of candidates.
    candidates = 1000
    k = 0
    while 2**k < candidates:
        k += 1
    assert k == math.ceil(math.log2(candidates))
    return k


def _ancestors(parents: dict[str, list[str]], tip: str) -> set[str]:
    seen: set[str] = set()
    stack = [tip]
    while stack:
        commit = stack.pop()
        if commit not in seen:
            seen.add(commit)
            stack.extend(parents[commit])
    return seen


def _git_024() -> float:
    # Build the commit graph: C0, 5 commits on feature, 3 on main, then merge main into feature.
    parents: dict[str, list[str]] = {"C0": []}
    prev = "C0"
    for i in range(1, 6):
        parents[f"F{i}"] = [prev]
        prev = f"F{i}"
    feature_tip = prev
    prev = "C0"
    for i in range(1, 4):
        parents[f"M{i}"] = [prev]
        prev = f"M{i}"
    main_tip = prev
    parents["MERGE"] = [feature_tip, main_tip]
    feature_tip = "MERGE"
    # git rev-list --count main..feature
    return len(_ancestors(parents, feature_tip) - _ancestors(parents, main_tip))


CHECKS = {
    "git-016": _git_016,
    "git-024": _git_024,
}
