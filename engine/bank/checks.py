"""Rules beyond structure: the ones that need several fields, or the whole bank."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from engine.bank.schema import (
    MultipleChoiceItem,
    NumericItem,
    SingleChoiceItem,
    TextItem,
    _ChoiceItemBase,
    _ItemBase,
)

CODE_OUTPUT_TAG = "code-output"
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})(.*)$")

# A finding inside one item: (path relative to the item, message).
Finding = tuple[tuple[int | str, ...], str]


def item_findings(item: _ItemBase) -> Iterator[Finding]:
    """Every problem with one structurally valid item."""
    yield from _blank_text(item)
    if item.difficulty is None and item.irt is None:
        yield (
            ("id",),
            "give 'difficulty' (1-5, the author's prior) or explicit 'irt: {a, b, c}'",
        )
    elif item.difficulty is not None and item.irt is not None:
        yield (("irt",), "give either 'difficulty' or 'irt', not both: they say the same thing")
    yield from _fence_findings(item)
    if isinstance(item, _ChoiceItemBase):
        yield from _choice_findings(item)
    elif isinstance(item, NumericItem):
        yield from _numeric_findings(item)
    elif isinstance(item, TextItem):
        yield from _text_findings(item)
    if CODE_OUTPUT_TAG in item.tags:
        blocks = len(python_blocks(item.prompt))
        if blocks != 1:
            yield (
                ("tags",),
                f"a '{CODE_OUTPUT_TAG}' item needs exactly one ```python block in its prompt "
                f"(found {blocks})",
            )


def _blank_text(item: _ItemBase) -> Iterator[Finding]:
    if not item.prompt.strip():
        yield (("prompt",), "'prompt' is empty; write the question")
    if not item.explanation.strip():
        yield (("explanation",), "'explanation' is empty; say why the answer is right")
    if isinstance(item, _ChoiceItemBase):
        for index, option in enumerate(item.options):
            if not option.text.strip():
                yield (("options", index, "text"), "option text is empty")
            if option.feedback is not None and not option.feedback.strip():
                yield (("options", index, "feedback"), "feedback is empty; remove it or write it")


def _choice_findings(item: _ChoiceItemBase) -> Iterator[Finding]:
    correct = [index for index, option in enumerate(item.options) if option.correct]
    if not correct:
        yield (
            ("options",),
            "no option is marked 'correct: true': the answer must be among the options",
        )
    elif isinstance(item, SingleChoiceItem) and len(correct) > 1:
        yield (
            ("options", correct[1], "correct"),
            f"a single-choice item has exactly one correct option (found {len(correct)}); "
            "use 'type: multiple' for select-all-that-apply",
        )
    elif isinstance(item, MultipleChoiceItem) and len(correct) == len(item.options):
        yield (
            ("options",),
            "every option is correct, so the item tests nothing; add wrong options",
        )
    first_seen: dict[str, int] = {}
    for index, option in enumerate(item.options):
        key = " ".join(option.text.split()).casefold()
        if key in first_seen:
            yield (
                ("options", index, "text"),
                f"duplicate option: same text as option {first_seen[key] + 1}",
            )
        else:
            first_seen[key] = index


def _numeric_findings(item: NumericItem) -> Iterator[Finding]:
    if not math.isfinite(item.answer):
        yield (("answer",), "'answer' must be a finite number")
    tolerance = item.tolerance
    if tolerance is not None and (tolerance.absolute is None) == (tolerance.relative is None):
        yield (
            ("tolerance",),
            "give exactly one of 'absolute' or 'relative' in 'tolerance'",
        )


def _text_findings(item: TextItem) -> Iterator[Finding]:
    if not item.accept and item.pattern is None:
        yield (("accept",), "a text item needs 'accept' (answers) or 'pattern' (a regex)")
    for index, answer in enumerate(item.accept):
        if not answer.strip():
            yield (("accept", index), "accepted answer is empty")
    if item.pattern is not None:
        try:
            re.compile(item.pattern, re.IGNORECASE)
        except re.error as error:
            yield (
                ("pattern",),
                f"'pattern' is not a valid regular expression: {error.msg} at position {error.pos}",
            )


def _fence_findings(item: _ItemBase) -> Iterator[Finding]:
    texts: list[tuple[tuple[int | str, ...], str]] = [
        (("prompt",), item.prompt),
        (("explanation",), item.explanation),
    ]
    if isinstance(item, _ChoiceItemBase):
        texts += [
            (("options", index, "feedback"), option.feedback)
            for index, option in enumerate(item.options)
            if option.feedback
        ]
    for location, text in texts:
        opened_at = unclosed_fence_line(text)
        if opened_at is not None:
            yield (
                location,
                f"code fence opened on line {opened_at} of '{location[-1]}' is never closed; "
                "add a closing ``` line",
            )


def unclosed_fence_line(markdown: str) -> int | None:
    """The 1-based line of a fence that is opened and never closed, else None."""
    open_fence: str | None = None
    opened_at = 0
    for number, line in enumerate(markdown.split("\n"), start=1):
        match = _FENCE.match(line)
        if not match:
            continue
        marker = match.group(1)
        if open_fence is None:
            open_fence, opened_at = marker, number
        elif (
            marker[0] == open_fence[0]
            and len(marker) >= len(open_fence)
            and not match.group(2).strip()
        ):
            open_fence = None
    return opened_at if open_fence is not None else None


def _closes(marker: str, rest: str, open_fence: str) -> bool:
    """CommonMark: a closing fence uses the same character, is no shorter, and has no info."""
    return marker[0] == open_fence[0] and len(marker) >= len(open_fence) and not rest.strip()


def python_blocks(markdown: str) -> list[str]:
    """The contents of the ```python fenced blocks in `markdown`."""
    blocks: list[str] = []
    current: list[str] | None = None
    marker = ""
    for line in markdown.split("\n"):
        match = _FENCE.match(line)
        if current is None:
            if match and match.group(2).strip().lower() in ("python", "py", "python3"):
                current, marker = [], match.group(1)
        elif match and match.group(1)[0] == marker[0] and not match.group(2).strip():
            blocks.append("\n".join(current))
            current = None
        else:
            current.append(line)
    return blocks
