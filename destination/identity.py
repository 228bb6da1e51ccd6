"""Who an event is about: Iterable keys users by email and/or userId."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from destination.errors import ValidationError
from destination.fields import object_field, present, text
from iterable_rules.identifiers import MAX_USER_ID_LENGTH, is_valid_email, is_valid_user_id

IDENTIFY_EMAIL_SOURCES = (("traits", "email"), ("context", "traits", "email"))
EVENT_EMAIL_SOURCES = (("properties", "email"), ("context", "traits", "email"))


def valid_email(value: Any, label: str) -> str:
    """The value if it is an address Iterable accepts; otherwise an error naming `label`."""
    if not is_valid_email(value):
        raise ValidationError(f"{label} {value!r} is not a valid email address")
    return value


def valid_user_id(value: Any, label: str = "userId") -> str:
    """The userId as a string, checked against Iterable's userId rules."""
    converted = text(value, label)
    if not converted or len(converted) > MAX_USER_ID_LENGTH:
        raise ValidationError(
            f"{label} must be 1 to {MAX_USER_ID_LENGTH} characters long (Iterable rule), "
            f"got {len(converted)}"
        )
    if not is_valid_user_id(converted):
        raise ValidationError(
            f"{label} {converted!r} must be printable ASCII without trailing spaces (Iterable rule)"
        )
    return converted


def user_id(event: dict[str, Any]) -> str | None:
    """The event's userId as a string; anonymousId is deliberately not a fallback."""
    raw = event.get("userId")
    return valid_user_id(raw) if present(raw) else None


def email(event: dict[str, Any], sources: Sequence[tuple[str, ...]]) -> str | None:
    """The first email found along `sources`, else an email-shaped userId.

    The first present value wins even if invalid: silently falling back to another address
    would update the wrong profile.
    """
    for path in sources:
        container = event
        for depth, key in enumerate(path[:-1]):
            container = object_field(container, key, ".".join(path[: depth + 1]))
        value = container.get(path[-1])
        if present(value):
            return valid_email(value, ".".join(path))
    fallback = event.get("userId")
    return fallback if is_valid_email(fallback) else None


def identifiers(event: dict[str, Any], sources: Sequence[tuple[str, ...]]) -> dict[str, str]:
    """`{email?, userId?}` for a request body; an event with neither cannot be routed."""
    ids = {}
    found_email = email(event, sources)
    if found_email is not None:
        ids["email"] = found_email
    found_user_id = user_id(event)
    if found_user_id is not None:
        ids["userId"] = found_user_id
    if not ids:
        raise ValidationError(
            "event has neither a userId nor an email; Iterable needs one of them "
            "(anonymousId is not used)"
        )
    return ids
