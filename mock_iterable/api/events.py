"""`/api/events/...`: custom events, singly and in bulk, and each user's history."""

from __future__ import annotations

from flask import Blueprint

from ..project import DEFAULT_EVENTS_LIMIT
from .common import body, project, query_int, success

events = Blueprint("events", __name__, url_prefix="/events")


@events.post("/track")
def track():
    record = body("TrackRequest")
    if project().is_disallowed(record["eventName"]):
        return success(f"Event {record['eventName']} is disallowed from tracking.")
    event = project().track(record)
    return success(f"Event with id: {event.id} tracked.", {"id": event.id})


@events.post("/trackBulk")
def track_bulk():
    return project().track_bulk(body("BulkTrackRequest")["events"])


@events.get("/byUserId/<identifier:user_id>")
def events_by_user_id(user_id: str):
    limit = query_int("limit", DEFAULT_EVENTS_LIMIT)
    return {"events": project().get_events(user_id=user_id, limit=limit)}


@events.get("/<identifier:email>")
def events_by_email(email: str):
    limit = query_int("limit", DEFAULT_EVENTS_LIMIT)
    return {"events": project().get_events(email=email, limit=limit)}
