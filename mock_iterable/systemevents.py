"""Iterable's system events (sends and engagement) as Segment and webhook receivers get them.

Segment names follow the current Iterable-source table (reference §5.3); the
webhook body is Iterable's `{email, userId?, eventName, dataFields}`.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from .dates import parse_date

SEGMENT_EVENT_NAMES = {
    "emailSend": "Email Delivered",
    "emailOpen": "Email Opened",
    "emailClick": "Email Link Clicked",
    "emailBounce": "Email Bounced",
    "emailComplaint": "Email Marked as Spam",
    "emailUnSubscribe": "Unsubscribed",
    "emailSubscribe": "Subscribed",
    "emailSendSkip": "Email Send Skip",
    "pushSend": "Push Delivered",
    "pushOpen": "Push Opened",
    "pushBounce": "Push Bounced",
    "pushUninstall": "Mobile App Uninstalled",
    "pushSendSkip": "Push Send Skip",
}

# What can happen after a send, by the channel of the send.
ENGAGEMENTS = {
    "emailSend": ("emailOpen", "emailClick", "emailBounce", "emailComplaint", "emailUnSubscribe"),
    "pushSend": ("pushOpen", "pushBounce", "pushUninstall"),
}

# Fields Iterable adds to an engagement event's dataFields (reference §5.2).
ENGAGEMENT_DEFAULTS: dict[str, dict[str, Any]] = {
    "emailBounce": {"recipientState": "HardBounce"},
    "emailComplaint": {"recipientState": "Complaint"},
    "emailUnSubscribe": {"unsubSource": "EmailLink"},
    "pushUninstall": {"isGhostPush": False},
    "pushOpen": {"appAlreadyRunning": False},
}


def _iso(iterable_date: str) -> str:
    moment = parse_date(iterable_date) or datetime.now(timezone.utc)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


# The older Iterable-source doc (reference §6.9), for projects that still expect it.
LEGACY_SEGMENT_EVENT_NAMES = {
    **SEGMENT_EVENT_NAMES,
    "emailSubscribe": "Email Subscribed",
    "emailUnSubscribe": "Email Unsubscribed",
}


def segment_track(event: dict[str, Any], naming: str = "current") -> dict[str, Any]:
    """A Segment `track` call for one stored system event (as `GET /api/events` renders it)."""
    names = LEGACY_SEGMENT_EVENT_NAMES if naming == "legacy" else SEGMENT_EVENT_NAMES
    call: dict[str, Any] = {
        "type": "track",
        "event": names.get(event["eventType"], event["eventType"]),
        "properties": {**event["dataFields"], "email": event["email"]},
        "context": {"traits": {"email": event["email"]}, "library": {"name": "mock_iterable"}},
        "messageId": uuid.uuid4().hex,
        "timestamp": _iso(event["createdAt"]),
    }
    if event.get("userId"):
        call["userId"] = event["userId"]
    else:
        call["anonymousId"] = event["email"]
    return call


def webhook_payload(event: dict[str, Any]) -> dict[str, Any]:
    """Iterable's system-webhook body for one stored event."""
    payload: dict[str, Any] = {"email": event["email"]}
    if event.get("userId"):
        payload["userId"] = event["userId"]
    payload["eventName"] = event["eventType"]
    payload["dataFields"] = {
        **event["dataFields"],
        "email": event["email"],
        "createdAt": event["createdAt"],
    }
    return payload
