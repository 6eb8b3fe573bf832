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


def _first_parent_chain(parents: dict[str, list[str]], tip: str) -> list[str]:
    chain = [tip]
    while parents[chain[-1]]:
        chain.append(parents[chain[-1]][0])
    return chain


def _git_033() -> float:
    # 10 commits on main, then three --no-ff merges of 4-commit branches started from main's tip.
    parents: dict[str, list[str]] = {"C1": []}
    for i in range(2, 11):
        parents[f"C{i}"] = [f"C{i - 1}"]
    main_tip = "C10"
    for branch in "abc":
        prev = main_tip
        for i in range(1, 5):
            parents[f"{branch}{i}"] = [prev]
            prev = f"{branch}{i}"
        parents[f"merge-{branch}"] = [main_tip, prev]
        main_tip = f"merge-{branch}"
    assert len(_ancestors(parents, main_tip)) == 25  # what plain `git log` would print
    return len(_first_parent_chain(parents, main_tip))


CHECKS = {
    "git-016": _git_016,
    "git-024": _git_024,
    "git-033": _git_033,
}
