"""A bounded record of the requests the fake answered, newest last.

Recording is on every request's path, so it keeps raw bytes; parsing them for
display happens only when someone reads the journal.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timezone
from typing import Any

from .errors import BadJsonBody
from .validation import parse_json

BODY_LIMIT = 16 * 1024


class Journal:
    def __init__(self, size: int):
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._lock = threading.Lock()
        self._sequence = 0

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._sequence += 1
            self._entries.append({"seq": self._sequence, **entry})

    def entries(self, path: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Entries whose path starts with `path`, the newest `limit` of them, oldest first."""
        with self._lock:
            found = [e for e in self._entries if path is None or e["path"].startswith(path)]
        return [_render(entry) for entry in (found[-limit:] if limit else found)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def keep(raw: bytes) -> bytes | str:
    """What the journal holds of a body: the bytes, unless they are too many to keep."""
    return raw if len(raw) <= BODY_LIMIT else f"<{len(raw)} bytes, not kept>"


def _render(entry: dict[str, Any]) -> dict[str, Any]:
    moment = datetime.fromtimestamp(entry["time"], tz=timezone.utc)
    return {
        **entry,
        "time": moment.isoformat(timespec="milliseconds"),
        "requestBody": _body(entry["requestBody"], entry["path"]),
        "responseBody": _body(entry["responseBody"], entry["path"]),
    }


def _body(raw: bytes | str, path: str) -> Any:
    """JSON when it parses under the request rules (no NaN, bounded depth), else text."""
    if isinstance(raw, str):
        return raw
    text = raw.decode("utf-8", errors="replace")
    if text.lstrip()[:1] in ("{", "["):
        try:
            return parse_json(raw, path)
        except BadJsonBody:
            return text
    return text
