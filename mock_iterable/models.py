"""The records a project holds (users, events), and `Located`: who a request is about."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .dates import format_epoch


@dataclass(slots=True)
class User:
    uid: int
    email: str | None
    user_id: str | None
    created_at: float
    updated_at: float
    data_fields: dict[str, Any] = field(default_factory=dict)

    def render(self) -> dict[str, Any]:
        """The profile exactly as `GET /api/users/...` shows it."""
        body: dict[str, Any] = {"email": self.email}
        if self.user_id is not None:
            body["userId"] = self.user_id
        body["dataFields"] = dict(self.data_fields)
        return body


@dataclass(slots=True)
class Event:
    """One stored event. `extra` holds top-level fields a type carries (total, items, ids)."""

    id: str
    uid: int
    event_type: str
    event_name: str
    created_at: float
    updated_at: float
    data_fields: dict[str, Any] | None
    extra: dict[str, Any] | None = None

    def render(self, user: User) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "eventName": self.event_name,
            "eventType": self.event_type,
            "email": user.email,
        }
        if user.user_id is not None:
            body["userId"] = user.user_id
        created, updated = format_epoch(self.created_at), format_epoch(self.updated_at)
        body["createdAt"] = created
        body["eventUpdatedAt"] = updated
        if self.extra:
            body.update(self.extra)
        body["dataFields"] = dict(self.data_fields or {})
        body["itblInternal"] = {"documentCreatedAt": created, "documentUpdatedAt": updated}
        return body


@dataclass
class Located:
    """Who a request is about: an existing user, or the identifiers of one to create."""

    user: User | None
    email: str | None
    user_id: str | None
