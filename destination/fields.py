"""Typed reads from untrusted event dicts: bad input becomes a ValidationError naming the field."""

from __future__ import annotations

import math
from typing import Any

from destination.errors import ValidationError

# bool before int/float: in Python a bool is an int.
_JSON_TYPES = (
    (bool, "boolean"),
    (int | float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def object_field(container: dict[str, Any], key: str, label: str) -> dict[str, Any]:
    """An optional nested object: absent or null reads as empty, anything else must be a dict."""
    value = container.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(f"{label} must be an object, got {type_name(value)}")
    return value


def text(value: Any, label: str) -> str:
    """A string field; numbers are accepted because ids and SKUs are often numeric."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and _finite(value):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    raise ValidationError(f"{label} must be a string, got {type_name(value)}")


def integer(value: Any, label: str) -> int:
    """An integer field; integral floats and digit strings are converted, Iterable wants int64."""
    if isinstance(value, bool):
        raise ValidationError(f"{label} must be an integer, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ValidationError(f"{label} must be an integer, got {value!r}")


def number(value: Any, label: str) -> int | float:
    """A numeric field; numeric strings are converted because Iterable rejects JSON strings here."""
    if isinstance(value, bool):
        raise ValidationError(f"{label} must be a number, got a boolean")
    if isinstance(value, int | float) and _finite(value):
        return value
    if isinstance(value, str):
        try:
            converted = float(value.strip())
        except ValueError:
            converted = math.nan
        if math.isfinite(converted):
            return converted
    raise ValidationError(f"{label} must be a number, got {value!r}")


def _finite(value: int | float) -> bool:
    """math.isfinite, but an int too large for a float counts as not finite, not an error."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def present(value: Any) -> bool:
    """Null and empty strings count as missing, as Segment libraries send both for 'unset'."""
    return value is not None and value != ""


def type_name(value: Any) -> str:
    """JSON's name for what was found, since users wrote JSON, not Python."""
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return "null" if value is None else type(value).__name__
