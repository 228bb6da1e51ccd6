"""Compare what a scenario expects with what the API returned, on the listed fields only.

Rules, in the words a scenario author needs:

- An object matches if every listed key matches; keys that are not listed are ignored.
- A list matches element by element and must have the same length.
- A string starting with `~` is a regular expression the whole value must match
  (`re.fullmatch`), e.g. `~[0-9a-f]{32}` for a generated id; other strings compare equal.
- `null` matches a missing key as well as `null`: Iterable drops a field set to null.
- Numbers compare by value (`100` equals `100.0`), but `true` is not `1`.

`align` reorders an actual list to pair it with the expected one, for lists whose order
the API does not promise (a user's events).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

PATTERN_PREFIX = "~"
_MISSING = object()
_SHOWN_CHARS = 120


@dataclass(frozen=True)
class Mismatch:
    """One listed field that differs, at a path like `user.dataFields.plan` or `events[1]`."""

    path: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        if self.expected is _MISSING:
            return f"{self.path}: unexpected {_show(self.actual)}"
        if self.actual is _MISSING:
            return f"{self.path}: expected {_show(self.expected)}, but it is missing"
        wanted = "absent (or null)" if self.expected is None else _show(self.expected)
        return f"{self.path}: expected {wanted}, got {_show(self.actual)}"


@dataclass(frozen=True)
class Comparison:
    mismatches: list[Mismatch] = field(default_factory=list)
    diff: str = ""

    @property
    def ok(self) -> bool:
        return not self.mismatches


def compare(expected: Any, actual: Any, path: str = "") -> Comparison:
    """The mismatches, and a unified diff of the expected fields against the actual ones."""
    mismatches = list(_mismatches(expected, actual, path))
    if not mismatches:
        return Comparison()
    diff = difflib.unified_diff(
        _yaml(expected).splitlines(),
        _yaml(_view(expected, actual)).splitlines(),
        "expected",
        "actual",
        n=10_000,
        lineterm="",
    )
    return Comparison(mismatches, "\n".join(diff))


def matches(expected: Any, actual: Any) -> bool:
    return next(_mismatches(expected, actual, ""), None) is None


def align(expected: list[Any], actual: list[Any]) -> list[Any]:
    """`actual` reordered so that each expected item sits opposite an item it matches.

    A maximum bipartite matching (Kuhn's augmenting paths), so one greedy pick cannot
    steal the only partner of a later item. An expected item without a partner faces the
    next unpaired actual item (so the diff compares them field by field) or, if none is
    left, a hole that `compare` reports as missing. Other unpaired items go at the end.
    """
    candidates = [[j for j, item in enumerate(actual) if matches(want, item)] for want in expected]
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or assign(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(expected)):
        assign(i, set())
    paired = {i: j for j, i in owner.items()}
    spare = iter([j for j in range(len(actual)) if j not in owner])
    order = [paired[i] if i in paired else next(spare, None) for i in range(len(expected))]
    placed = set(order)
    extras = [actual[j] for j in range(len(actual)) if j not in placed]
    return [_MISSING if j is None else actual[j] for j in order] + extras


def _mismatches(expected: Any, actual: Any, path: str):
    if expected is None:
        if actual is not None and actual is not _MISSING:
            yield Mismatch(path or "value", None, actual)
    elif actual is _MISSING:
        yield Mismatch(path or "value", expected, _MISSING)
    elif isinstance(expected, dict):
        if not isinstance(actual, dict):
            yield Mismatch(path or "value", expected, actual)
            return
        for key, want in expected.items():
            yield from _mismatches(want, actual.get(key, _MISSING), _join(path, key))
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            yield Mismatch(path or "value", expected, actual)
            return
        for index in range(max(len(expected), len(actual))):
            want = expected[index] if index < len(expected) else _MISSING
            got = actual[index] if index < len(actual) else _MISSING
            if want is _MISSING:
                yield Mismatch(f"{path}[{index}]", _MISSING, got)
            else:
                yield from _mismatches(want, got, f"{path}[{index}]")
    elif not _scalar_matches(expected, actual):
        yield Mismatch(path or "value", expected, actual)


def _scalar_matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and expected.startswith(PATTERN_PREFIX):
        return isinstance(actual, str) and re.fullmatch(expected[1:], actual) is not None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return expected == actual


def _view(expected: Any, actual: Any) -> Any:
    """`actual` cut down to the listed fields, showing matched patterns as written.

    So the diff has a line for every difference and none for what matched.
    """
    if actual is _MISSING or (expected is None and actual is None):
        return None
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {
            key: _view(want, actual.get(key, _MISSING))
            for key, want in expected.items()
            if key in actual or want is None
        }
    if isinstance(expected, list) and isinstance(actual, list):
        listed = {key for item in expected if isinstance(item, dict) for key in item}
        paired = [
            _view(want, got)
            for want, got in zip(expected, actual, strict=False)
            if got is not _MISSING
        ]
        extras = [_trim(item, listed) for item in actual[len(expected) :]]
        return paired + extras
    if not isinstance(expected, dict | list) and _scalar_matches(expected, actual):
        return expected
    return actual


def _trim(item: Any, keys: set[str]) -> Any:
    """An unexpected list item, shown with the keys its neighbours list (all, if none do)."""
    if not keys or not isinstance(item, dict):
        return item
    return {key: value for key, value in item.items() if key in keys}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else str(key)


def _show(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= _SHOWN_CHARS else shown[: _SHOWN_CHARS - 1] + "…"


def _yaml(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100)
