"""Iterable's date formats: which strings are dates, and how dates read back.

A string in one of the accepted formats makes a field `date`-typed; every date is
returned as `yyyy-MM-dd HH:mm:ss +00:00` in UTC. A space-separated time with
fractional seconds (`2020-04-13 14:04:09.000`) is *not* a date, as in Iterable.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from iterable_rules.dates import DATE_FORMAT

_DATE = r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
_HMS = r"(?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
_OFFSET = r"(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})"
_PATTERNS = [
    re.compile(rf"^{_DATE}$"),
    re.compile(rf"^{_DATE} {_HMS}$"),
    re.compile(rf"^{_DATE} {_HMS} {_OFFSET}$"),
    re.compile(rf"^{_DATE}T{_HMS}(?:\.\d{{1,9}})?(?:Z|{_OFFSET})$"),
]


def parse_date(value: str) -> datetime | None:
    """Return the UTC datetime for an Iterable date string, or None if it is not one."""
    if len(value) < 10 or len(value) > 40 or not value[:4].isdigit():
        return None
    for pattern in _PATTERNS:
        match = pattern.match(value)
        if match:
            return _to_datetime(match.groupdict())
    return None


def _to_datetime(parts: dict[str, str | None]) -> datetime | None:
    try:
        moment = datetime(
            int(parts["y"]),
            int(parts["mo"]),
            int(parts["d"]),
            int(parts.get("h") or 0),
            int(parts.get("mi") or 0),
            int(parts.get("s") or 0),
            tzinfo=timezone.utc,
        )
    except ValueError:
        return None
    if parts.get("sign"):
        offset = timedelta(hours=int(parts["oh"]), minutes=int(parts["om"]))
        moment = moment - offset if parts["sign"] == "+" else moment + offset
    return moment


def format_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(DATE_FORMAT)


def format_epoch(seconds: float) -> str:
    return format_date(datetime.fromtimestamp(seconds, tz=timezone.utc))


def normalize_date(value: str) -> str | None:
    """The canonical read-back form of a date string, or None if it is not a date."""
    moment = parse_date(value)
    return format_date(moment) if moment is not None else None
