"""The app's source keeps to the one way of showing text (tui/text.py).

Textual reads a plain string given to `Static`, `Label` or `OptionList` as
markup unless told otherwise. These checks read the source of `tui/` so that a
new widget cannot quietly bring markup parsing back: every `Static`, `Label`
and `OptionList` is made with ``markup=False`` (subclasses pass it on), and
nothing parses markup on purpose. tests/tui/test_hostile_text.py checks the
behaviour on screen.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT

TUI = REPO_ROOT / "tui"
TEXT_WIDGETS = {"Static", "Label", "OptionList"}
MARKUP_PARSERS = {"from_markup", "render_str", "render_markup"}


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in TUI.rglob("*.py")]


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _markup_off(call: ast.Call) -> bool:
    return any(
        keyword.arg == "markup"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is False
        for keyword in call.keywords
    )


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(REPO_ROOT)}:{getattr(node, 'lineno', 0)}"


def test_every_text_widget_is_made_with_markup_off() -> None:
    offenders = [
        _where(path, node)
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _name(node.func) in TEXT_WIDGETS and not _markup_off(node)
    ]
    assert not offenders, f"Static/Label/OptionList without markup=False: {offenders}"


def test_subclasses_of_text_widgets_turn_markup_off_in_their_constructor() -> None:
    offenders = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            if not {_name(base) for base in node.bases} & TEXT_WIDGETS:
                continue
            init = next(
                (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"),
                None,
            )
            calls = [n for n in ast.walk(init) if isinstance(n, ast.Call)] if init else []
            if not any(_name(c.func) == "__init__" and _markup_off(c) for c in calls):
                offenders.append(f"{_where(path, node)} {node.name}")
    assert not offenders, f"subclasses that keep markup on: {offenders}"


def test_nothing_parses_markup_or_sends_markup_notifications() -> None:
    offenders = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in MARKUP_PARSERS:
                offenders.append(f"{_where(path, node)} {node.attr}")
            if (
                isinstance(node, ast.Call)
                and _name(node.func) == "notify"
                and any(k.arg == "markup" for k in node.keywords)
                and path.name != "text.py"
            ):
                offenders.append(f"{_where(path, node)} notify(markup=...)")
    assert not offenders, f"markup parsed: {offenders}"


def test_both_apps_notify_literally() -> None:
    from tui.app import SkillprobeApp
    from tui.preview.app import PreviewApp
    from tui.text import LiteralNotifications

    assert issubclass(SkillprobeApp, LiteralNotifications)
    assert issubclass(PreviewApp, LiteralNotifications)
