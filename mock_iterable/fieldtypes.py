"""Type locking: the first value sent for a field fixes its type for good.

User fields are typed project-wide; event fields are typed per `eventName`. A
request that sends an incompatible value is rejected whole, so checking happens
before anything is applied: `check_fields` returns the normalized data and the
types it would create, and the caller commits both only if nothing failed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from .dates import normalize_date
from .errors import RequestFieldsTypesMismatched

USER_BUILTIN_TYPES = {
    "email": "string",
    "userId": "string",
    "signupDate": "date",
    "signupSource": "string",
    "profileUpdatedAt": "date",
    "phoneNumber": "string",
    "itblInternal": "object",
    "itblInternal.documentCreatedAt": "date",
    "itblInternal.documentUpdatedAt": "date",
    "itblInternal.emailDomain": "string",
    "emailListIds": "long",
    "userListIds": "long",
    "shoppingCartItems": "object",
    "devices": "object",
}

_REJECT = object()
_INCOMING = {"string": ["string", "keyword"], "date": ["date"], "long": ["long"]}


def infer_type(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "date" if normalize_date(value) is not None else "string"
    if isinstance(value, dict):
        return "object"
    return None


def _is_number_text(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _accept(expected: str, value: Any) -> Any:
    """The value as stored under a field of type `expected`, or _REJECT."""
    if isinstance(value, dict):
        return value if expected == "object" else _REJECT
    if expected == "object":
        return _REJECT
    if expected == "string":
        return value
    if expected == "date":
        normalized = normalize_date(value) if isinstance(value, str) else None
        return _REJECT if normalized is None else normalized
    if expected in ("long", "double"):
        if isinstance(value, bool):
            return _REJECT
        if isinstance(value, (int, float)):
            return value
        return value if isinstance(value, str) and _is_number_text(value) else _REJECT
    if expected == "boolean":
        if isinstance(value, bool) or value in ("true", "false"):
            return value
        return _REJECT
    return value


@dataclass
class FieldCheck:
    """What applying a request's fields would do, computed before anything changes."""

    data: dict[str, Any]
    new_types: dict[str, str] = field(default_factory=dict)
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)


def check_fields(known: dict[str, str], data: dict[str, Any], category: str) -> FieldCheck:
    """Normalize `data` against the known types; collect new types and mismatches."""
    check = FieldCheck(data={})
    check.data = _walk(known, data, "", category, check)
    return check


def _walk(
    known: dict[str, str], data: dict[str, Any], prefix: str, category: str, check: FieldCheck
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        # Field names repeat across millions of stored events; share one copy of each.
        key = sys.intern(key)
        out[key] = _check_value(known, f"{prefix}{key}", value, category, check)
    return out


def _check_value(
    known: dict[str, str], path: str, value: Any, category: str, check: FieldCheck
) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [_check_value(known, path, item, category, check) for item in value]
    expected = known.get(path) or check.new_types.get(path)
    if expected is None:
        expected = infer_type(value)
        if expected is None:
            return value
        check.new_types[path] = expected
    accepted = _accept(expected, value)
    if accepted is _REJECT:
        incoming = infer_type(value) or "string"
        check.errors.setdefault(
            path,
            {
                "incomingTypes": _INCOMING.get(incoming, [incoming]),
                "expectedType": expected,
                "_type": "UnexpectedType",
                "offendingValue": value if not isinstance(value, dict) else "{...}",
                "category": category,
            },
        )
        return value
    if isinstance(accepted, dict):
        return _walk(known, accepted, f"{path}.", category, check)
    return accepted


def raise_mismatch(project_id: int, errors: dict[str, dict[str, Any]]) -> None:
    """Iterable's 400 for a type clash; its message names the first offending field."""
    name, first = next(iter(errors.items()))
    incoming = ", ".join(first["incomingTypes"])
    msg = (
        f"Project {project_id}: The request does not have the same data types as the data "
        f"previously submitted. Field '{name}' already exists for type '{first['category']}' "
        f"and has a data type of '{first['expectedType']}' but possible types '{incoming}' "
        "in the request."
    )
    raise RequestFieldsTypesMismatched(msg, {"validationErrors": errors})
