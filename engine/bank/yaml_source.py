"""Reading YAML with the position of every node.

The file is parsed once into PyYAML's node graph (safe loader: no tags that
build Python objects), and plain data is constructed from that graph, so any
path into the data (as pydantic reports it) can be mapped back to a line and
column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from engine.bank.diagnostics import BankError, Position

try:  # libyaml is several times faster; the pure-Python loader gives the same result.
    _SafeLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeLoader = yaml.SafeLoader

LocationPath = Sequence[int | str]

# Characters that would reach the terminal as control sequences (ESC starts ANSI codes).
_ALLOWED_CONTROL = {"\n", "\t", "\r"}


@dataclass(frozen=True)
class YamlDocument:
    """Parsed content of one YAML file and the node graph it came from."""

    path: Path
    data: Any
    root: yaml.Node | None

    def position_of(self, location: LocationPath, *, key: bool = False) -> Position:
        """Where the value at `location` starts; the key's position with ``key=True``.

        Path elements that do not exist (a missing field, the union tag pydantic
        inserts) are skipped, so the answer is the deepest node that does exist.
        """
        node = self.root
        key_node: yaml.Node | None = None
        for element in location:
            child, child_key = _child(node, element)
            if child is None:
                continue
            node, key_node = child, child_key
        chosen = key_node if key and key_node is not None else node
        if chosen is None:
            return Position()
        return Position(chosen.start_mark.line + 1, chosen.start_mark.column + 1)

    def node_at(self, location: LocationPath) -> yaml.Node | None:
        node = self.root
        for element in location:
            node, _ = _child(node, element)
            if node is None:
                return None
        return node


def _child(node: yaml.Node | None, element: int | str) -> tuple[yaml.Node | None, yaml.Node | None]:
    if isinstance(node, yaml.SequenceNode) and isinstance(element, int):
        if 0 <= element < len(node.value):
            return node.value[element], None
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(element):
                return value_node, key_node
    return None, None


def read_yaml(path: Path, text: str | None = None) -> tuple[YamlDocument | None, list[BankError]]:
    """Parse one YAML file; return the document, or the problems that stop parsing."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            return None, [_error(path, 1, 1, f"file is not UTF-8 text ({error.reason})")]
        except OSError as error:
            return None, [_error(path, 1, 1, f"cannot read file: {error.strerror}")]
    errors = _control_character_errors(path, text)
    if errors:
        return None, errors
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        return None, [_yaml_error(path, error)]
    except yaml.YAMLError as error:
        return None, [_error(path, 1, 1, f"YAML error: {error}")]
    except (ValueError, TypeError, RecursionError) as error:
        # e.g. an unhashable mapping key, or a document nested beyond reason.
        return None, [_error(path, 1, 1, f"YAML cannot be read as data: {error}")]
    finally:
        loader.dispose()
    return YamlDocument(path, data, root), _duplicate_key_errors(path, root)


def _yaml_error(path: Path, error: yaml.MarkedYAMLError) -> BankError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "invalid YAML"
    if "could not determine a constructor" in problem:
        problem = (
            "tags such as '!!python/...' are not allowed; write plain strings, numbers, "
            "lists and mappings"
        )
    elif error.context:
        problem = f"{problem} ({error.context})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return _error(path, line, column, f"YAML syntax error: {problem}")


def _duplicate_key_errors(path: Path, root: yaml.Node | None) -> list[BankError]:
    """PyYAML keeps the last of two equal keys silently; an author never means that."""
    errors: list[BankError] = []
    stack = [root] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # anchors and aliases share nodes
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    name = key_node.value
                    line = key_node.start_mark.line + 1
                    if name in first_line:
                        errors.append(
                            _error(
                                path,
                                line,
                                key_node.start_mark.column + 1,
                                f"field '{name}' appears twice (first on line "
                                f"{first_line[name]}); keep one",
                            )
                        )
                    else:
                        first_line[name] = line
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return errors


def _control_character_errors(path: Path, text: str) -> list[BankError]:
    errors: list[BankError] = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        for column, character in enumerate(line, start=1):
            if character in _ALLOWED_CONTROL or unicodedata.category(character) != "Cc":
                continue
            errors.append(
                _error(
                    path,
                    line_number,
                    column,
                    f"control character U+{ord(character):04X} is not allowed (it would reach "
                    "the terminal as an escape sequence); remove it",
                )
            )
            break
    return errors


def _error(path: Path, line: int, column: int, message: str) -> BankError:
    return BankError(path, Position(line, column), message)
