"""How incoming `dataFields` combine with a stored profile.

Shallow by default: a top-level key replaces what was there, `null` deletes it.
With `mergeNestedObjects`, a top-level object merges one level deep; anything
deeper, and every array, is replaced.
"""

from __future__ import annotations

from typing import Any


def merge_fields(stored: dict[str, Any], incoming: dict[str, Any], merge_nested: bool) -> None:
    for key, value in incoming.items():
        current = stored.get(key)
        if value is None:
            stored.pop(key, None)
        elif merge_nested and isinstance(value, dict) and isinstance(current, dict):
            merged = dict(current)
            merge_fields(merged, value, merge_nested=False)
            stored[key] = merged
        else:
            stored[key] = value
