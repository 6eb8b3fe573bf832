"""Turning pydantic's validation errors into messages an author can act on."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from engine.bank.schema import ITEM_MODELS, ITEM_TYPES


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def field_path(location: Sequence[int | str]) -> str:
    """``("options", 1, "text")`` -> ``options[1].text``."""
    text = ""
    for element in location:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            text += f".{element}" if text else element
    return text or "item"


def describe(
    error: Mapping[str, Any], location: Sequence[int | str], allowed: Iterable[str]
) -> str:
    """One sentence for one pydantic error at `location` (relative to its item or file)."""
    kind = error["type"]
    name = field_path(location)
    last = str(location[-1]) if location else ""
    context = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        hint = did_you_mean(last, allowed)
        if last == "answer" and not hint:
            hint = "; choice items mark the right option(s) with 'correct: true'"
        elif last in ("correct", "options") and not hint:
            hint = "; only single and multiple items have options"
        return f"unknown field '{last}'{hint}; allowed fields: {', '.join(sorted(allowed))}"
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "union_tag_invalid":
        tag = context.get("tag", value)
        return (
            f"unknown type '{tag}'{did_you_mean(str(tag), ITEM_TYPES)}; use one of: "
            + ", ".join(ITEM_TYPES)
        )
    if kind == "union_tag_not_found":
        return "missing field 'type'; use one of: " + ", ".join(ITEM_TYPES)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"'{name}' must be a mapping of fields (got {_describe_value(value)})"
    if kind == "list_type":
        return f"'{name}' must be a list (got {_describe_value(value)})"
    if kind == "string_type":
        return (
            f"'{name}' must be text (got {_describe_value(value)}); put it in quotes, "
            f'e.g. "{_plain(value)}"'
        )
    if kind == "bool_type":
        return f"'{name}' must be true or false (got {_describe_value(value)})"
    if kind in ("int_type", "int_from_float"):
        return f"'{name}' must be a whole number (got {_describe_value(value)})"
    if kind in ("float_type", "finite_number"):
        hint = ""
        if isinstance(value, str) and _looks_like_exponent(value):
            hint = f"; YAML reads {value} as text: write it with a decimal point, e.g. 1.0e-9"
        return f"'{name}' must be a finite number (got {_describe_value(value)}){hint}"
    if kind == "string_pattern_mismatch":
        return (
            f"'{name}' value '{value}' is not a valid id: use lowercase letters and digits "
            "separated by '-' or '.', e.g. 'probability-007'"
        )
    if kind == "string_too_short":
        return f"'{name}' is empty; write some text"
    if kind == "string_too_long":
        return f"'{name}' is too long (at most {context.get('max_length')} characters)"
    if kind == "too_short":
        if last == "options":
            needed, actual = context.get("min_length"), context.get("actual_length")
            return f"needs at least {needed} options (has {actual})"
        return f"'{name}' needs at least {context.get('min_length')} entries"
    if kind == "too_long":
        return f"'{name}' has too many entries (at most {context.get('max_length')})"
    bounds = {
        "greater_than": ">",
        "greater_than_equal": ">=",
        "less_than": "<",
        "less_than_equal": "<=",
    }
    if kind in bounds:
        limit = next(iter(context.values()), "?")
        extra = ""
        if last in ("absolute", "relative"):
            extra = "; a tolerance cannot be negative"
        elif last == "difficulty":
            extra = "; difficulty runs from 1 (easy) to 5 (hard)"
        return f"'{name}' must be {bounds[kind]} {limit} (got {value}){extra}"
    if kind == "literal_error":
        return f"'{name}' must be one of {context.get('expected')} (got {_describe_value(value)})"
    return f"'{name}': {error.get('msg', 'invalid value')}"


def allowed_fields(model_fields: Iterable[str]) -> list[str]:
    return [name for name in model_fields if name != "type"] + ["type"]


def fields_for_item_type(item_type: object) -> list[str]:
    model = ITEM_MODELS.get(str(item_type))
    if model is None:
        return sorted({name for m in ITEM_MODELS.values() for name in m.model_fields})
    return list(model.model_fields)


def _describe_value(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean: YAML reads yes/no/on/off as booleans)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _looks_like_exponent(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return "e" in text.lower()


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)[:40]
