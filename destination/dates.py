"""Dates in Iterable's format: data fields are typed `date` only in forms Iterable recognises."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from destination.errors import ValidationError
from iterable_rules.dates import DATE_FORMAT

# ISO-8601 date, optionally with a "T" time and a zone. Only strings with a time are rewritten:
# date-only strings are left alone, Iterable already reads them as dates.
_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


def convert_dates(value: Any) -> Any:
    """Rewrite ISO-8601 date-times anywhere in a JSON value to `YYYY-MM-DD HH:mm:ss +00:00` UTC."""
    if isinstance(value, dict):
        return {key: convert_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [convert_dates(item) for item in value]
    if isinstance(value, str):
        match = _ISO.match(value)
        parsed = _parse(match) if match and match["hour"] else None
        if parsed is not None:
            return parsed.strftime(DATE_FORMAT)
    return value


def unix_seconds(timestamp: Any, label: str = "timestamp") -> int:
    """Whole Unix seconds (floored), the unit Iterable's `createdAt` expects."""
    match = _ISO.match(timestamp) if isinstance(timestamp, str) else None
    parsed = _parse(match) if match else None
    if parsed is None:
        raise ValidationError(f"{label} must be an ISO-8601 date-time string, got {timestamp!r}")
    return int(parsed.timestamp() // 1)


def _parse(match: re.Match[str]) -> datetime | None:
    """UTC datetime, or None for impossible dates like 2024-02-30; naive times are taken as UTC.

    Rebuilt in the one layout every supported Python's fromisoformat reads; sub-second
    digits beyond microseconds are dropped, as Iterable drops sub-seconds anyway.
    """
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    zone = match["zone"] or "Z"
    offset = "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[-2:] if len(zone) > 3 else '00'}"
    layout = (
        f"{match['date']}T{match['hour'] or '00'}:{match['minute'] or '00'}:"
        f"{match['second'] or '00'}.{fraction}{offset}"
    )
    try:
        return datetime.fromisoformat(layout).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None
