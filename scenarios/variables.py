"""`{name}` placeholders in scenario data: `{run}` (the run token) and values saved by steps.

`{{name}}` (Iterable's Handlebars) is left alone, and so is anything that is not an
identifier in braces, such as the `\\d{4}` of a pattern.
"""

from __future__ import annotations

import re
from typing import Any

PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_]\w*)\}(?!\})")


class UnknownVariable(KeyError):
    """A placeholder with no value: a typo, or a value no earlier step saved."""

    def __str__(self) -> str:
        return f"no value for placeholder {{{self.args[0]}}}"


def names(value: Any) -> set[str]:
    """Every placeholder name used anywhere in `value` (keys and strings, at any depth)."""
    found: set[str] = set()
    for text in _strings(value):
        found.update(PLACEHOLDER.findall(text))
    return found


def substitute(value: Any, variables: dict[str, Any]) -> Any:
    """A copy of `value` with placeholders filled in.

    A string that is exactly one placeholder takes the variable's own value, so a saved
    list id stays an integer; elsewhere the value is formatted into the text.
    """
    if isinstance(value, dict):
        return {
            substitute(key, variables): substitute(item, variables) for key, item in value.items()
        }
    if isinstance(value, list):
        return [substitute(item, variables) for item in value]
    if not isinstance(value, str):
        return value
    whole = PLACEHOLDER.fullmatch(value)
    if whole:
        return _lookup(whole.group(1), variables)
    return PLACEHOLDER.sub(lambda match: str(_lookup(match.group(1), variables)), value)


def _lookup(name: str, variables: dict[str, Any]) -> Any:
    if name not in variables:
        raise UnknownVariable(name)
    return variables[name]


def _strings(value: Any):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value
