"""A bounded record of the requests the fake answered, newest last."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any


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
        return found[-limit:] if limit else found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
