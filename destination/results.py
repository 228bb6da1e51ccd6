"""Per-event delivery results: sent, skipped or failed, with enough detail to act on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from destination.client import Reply

Status = Literal["sent", "skipped", "failed"]


@dataclass(frozen=True)
class Result:
    """`code`/`message` are Iterable's on an HTTP failure; on a skip or rejection only `message`."""

    event: int
    call: str
    status: Status
    path: str | None = None
    http_status: int | None = None
    code: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}

    @property
    def failure_kind(self) -> str:
        """How a failure is grouped in the summary: Iterable's code, else what went wrong."""
        if self.code:
            return self.code
        if self.path is None:
            return "invalid event"
        return "no response" if self.http_status is None else f"HTTP {self.http_status}"


def from_reply(event: int, call: str, path: str, reply: Reply) -> Result:
    """Sent on 2xx; otherwise failed with Iterable's `code`/`msg` when the body has them."""
    body = reply.body if isinstance(reply.body, dict) else {}
    code = body.get("code") if isinstance(body.get("code"), str) else None
    message = body.get("msg") if isinstance(body.get("msg"), str) else reply.error
    if reply.ok:
        return Result(event, call, "sent", path, reply.status)
    return Result(event, call, "failed", path, reply.status, code, message)
