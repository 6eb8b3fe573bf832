"""Authored Markdown read aloud: words and structure kept, markers gone, code kept whole."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from engine.quiz.plain_markdown import first_line_plain, inline_plain, markdown_to_plain

PROMPT = """\
What does this print? Use **exactly** the `print` output.

```python
def accuracy(xs, ys):
    return sum(self.predict(x) == y for x, y in zip(xs, ys)) / len(ys)
```

- one [link](https://example.org)
- two
  1. nested

| a | b |
|---|---|
| 1 | 2 |
"""


def test_markers_go_code_stays_whole_and_indented() -> None:
    text = markdown_to_plain(PROMPT, width=40)
    assert "**" not in text and "`" not in text and "```" not in text
    assert "What does this print? Use exactly the" in text
    # Code lines are indented by four spaces and never wrapped, however narrow the width.
    assert "\n        return sum(self.predict(x) == y for x, y in zip(xs, ys)) / len(ys)\n" in text
    assert "- one link (https://example.org)\n- two\n  1. nested" in text
    assert "a | b\n1 | 2" in text
    prose = [line for line in text.splitlines() if not line.startswith("    ")]
    assert all(len(line) <= 40 for line in prose)


def test_one_line_forms() -> None:
    assert inline_plain("Use `np.dot` **always**") == "Use np.dot always"
    assert first_line_plain("\n\n**Probe** [bold red]RED[/] and more\n\nsecond") == (
        "Probe [bold red]RED[/] and more"
    )
    assert inline_plain("") == "" and markdown_to_plain("") == ""


@given(st.text(max_size=300))
def test_any_text_comes_out_printable(source: str) -> None:
    for text in (markdown_to_plain(source, 30), inline_plain(source), first_line_plain(source)):
        assert all(ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in text)
    assert "\n" not in inline_plain(source)
