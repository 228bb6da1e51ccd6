"""Settings of the fake: per project (one API key each) and for the whole server.

Where Iterable's sources disagree (reference §6) the best-supported behaviour is
the default and the other is a project setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .validation import MAX_JSON_DEPTH

PROJECT_TYPES = ("email", "userId", "hybrid")
SEGMENT_NAMINGS = ("current", "legacy")


@dataclass
class ProjectSettings:
    project_type: str = "email"
    # §6.1: older docs and Segment say track creates an unknown email user.
    track_creates_unknown_email_user: bool = True
    # §6.2: newer traffic answers 400 BadParams for deleting an unknown user.
    delete_unknown_user_errors: bool = True
    # §6.3: the code table says 400 for EmailAlreadyExists; the spec hints 409.
    email_already_exists_status: int = 400
    # Project default for `createNewFields`: accept unknown fields.
    create_new_fields: bool = True
    # §6.5: RudderStack sends up to 8000 events per trackBulk.
    max_bulk_events: int = 8000
    max_bulk_users: int = 1000
    # §6.4: RudderStack sends createdAt in milliseconds; when on, values past 1e11 are taken
    # as milliseconds instead of being refused.
    created_at_millis: bool = False
    # §6.6: the spec caps GET events at 200; Iterable's TypeScript client allows 1000.
    max_events_limit: int = 200
    # §6.9: "current" Segment names (Subscribed, Unsubscribed) or the older "legacy" ones
    # (Email Subscribed, Email Unsubscribed).
    segment_event_names: str = "current"
    # Data Schema Management: event names that Iterable drops.
    disallowed_event_names: list[str] = field(default_factory=list)
    # Iterable -> Segment: system events go to <segment_url>/v1/batch with this write key.
    segment_url: str | None = None
    segment_write_key: str | None = None
    # System webhooks: [{"url", "events": [eventName, ...] (empty: all), "authorization"?}].
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    # Opt-in enforcement of Iterable's per-endpoint limits; overrides by endpoint name.
    rate_limits: bool = False
    rate_limit_overrides: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.segment_event_names not in SEGMENT_NAMINGS:
            raise ValueError(
                f"segment_event_names must be one of {', '.join(SEGMENT_NAMINGS)}, "
                f"not {self.segment_event_names!r}"
            )
        if self.project_type not in PROJECT_TYPES:
            raise ValueError(
                f"project_type must be one of {', '.join(PROJECT_TYPES)}, not {self.project_type!r}"
            )

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ProjectSettings:
        """Accept snake_case or camelCase keys; reject unknown ones by name."""
        known = {f.name: f.name for f in fields(cls)}
        known.update({_camel(name): name for name in list(known)})
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ValueError(f"unknown project setting(s): {', '.join(unknown)}")
        return cls(**{known[key]: value for key, value in raw.items()})

    def to_dict(self) -> dict[str, Any]:
        return {_camel(f.name): getattr(self, f.name) for f in fields(self)}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass
class ServerConfig:
    """What `create_app` needs: the projects to start with and server-wide limits."""

    projects: dict[str, ProjectSettings] = field(default_factory=dict)
    journal_size: int = 1000
    max_body_bytes: int = 4 * 1024 * 1024
    max_json_depth: int = MAX_JSON_DEPTH
    # Required for the admin API when the server binds to a non-loopback address.
    admin_token: str | None = None
    # A directory for durable state (snapshot + write log); None keeps state in memory.
    state_dir: str | None = None
    # Iterable -> Segment and webhooks: calls waiting while a receiver is down, beyond
    # which they are dropped (and counted); how long shutdown waits to flush them.
    forward_queue_size: int = 10_000
    forward_backoff_cap: float = 2.0
    flush_timeout: float = 5.0
