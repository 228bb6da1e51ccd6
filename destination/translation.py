"""The outcome of translating one event, shared by translate, send and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict


class Request(TypedDict):
    """One Iterable API call; `path` is relative to the endpoint, e.g. `/api/users/update`."""

    method: str
    path: str
    body: dict[str, Any]


@dataclass(frozen=True)
class Translation:
    """Exactly one of: requests to send, an error (event rejected) or a skip reason."""

    requests: list[Request] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None

    def outcomes(self) -> list[dict[str, Any]]:
        """JSON-ready lines for the CLI: one per request, or one error / skip line."""
        if self.error is not None:
            return [{"error": self.error}]
        if self.skipped is not None:
            return [{"skipped": self.skipped}]
        return [dict(request) for request in self.requests]
