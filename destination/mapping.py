"""Segment events to Iterable requests: one pure function per call type, plus the dispatcher."""

from __future__ import annotations

from typing import Any

from destination.dates import convert_dates, unix_seconds
from destination.errors import SkipEvent, ValidationError
from destination.fields import integer, number, object_field, present, text, type_name
from destination.identity import (
    EVENT_EMAIL_SOURCES,
    IDENTIFY_EMAIL_SOURCES,
    identifiers,
    valid_email,
    valid_user_id,
)
from destination.items import to_items
from destination.settings import Settings
from destination.translation import Request, Translation
from destination.wire import encode

CALL_TYPES = ("identify", "track", "page", "screen", "group", "alias")
# Iterable stores at most 512 bytes of event / purchase id.
MAX_ID_BYTES = 512
ORDER_COMPLETED = "order completed"
# Events whose `products` list is the whole cart, which updateCart replaces.
CART_EVENTS = frozenset({"product added", "product removed", "cart updated"})
# Properties lifted out of a purchase's dataFields into the request itself.
PURCHASE_LIFTED = frozenset({"products", "total", "campaignId", "templateId"})
UNSUPPORTED = {
    "group": "unsupported: Iterable has no group or account object to send a group call to",
    "alias": (
        "unsupported: Iterable cannot link identities from an alias; to change a user's "
        "email use update_email (CLI: update-email)"
    ),
}


def translate(event: Any, settings: Settings) -> Translation:
    """Never raises for bad input: problems become an error or skip reason on the Translation."""
    try:
        if not isinstance(event, dict):
            raise ValidationError(f"event must be a JSON object, got {type_name(event)}")
        kind = event.get("type")
        if kind == "identify":
            request = identify_request(event)
        elif kind == "track":
            request = track_request(event)
        elif kind in ("page", "screen"):
            request = view_request(event, settings)
        elif isinstance(kind, str) and kind in UNSUPPORTED:
            raise SkipEvent(UNSUPPORTED[kind])
        else:
            raise ValidationError(f"type must be one of {', '.join(CALL_TYPES)}, got {kind!r}")
    except ValidationError as error:
        return Translation(error=str(error))
    except SkipEvent as skip:
        return Translation(skipped=str(skip))
    except RecursionError:
        return Translation(error="event is nested too deeply to send")
    try:
        encode(request["body"])
    except ValueError as error:
        # NaN / Infinity (or an integer too long to print) cannot be sent as JSON.
        return Translation(error=f"event holds a value JSON cannot carry: {error}")
    return Translation(requests=[request])


def call_type(event: Any) -> str:
    """The Segment call type used to group results; anything unrecognised is "invalid"."""
    kind = event.get("type") if isinstance(event, dict) else None
    return kind if kind in CALL_TYPES else "invalid"


def identify_request(event: dict[str, Any]) -> Request:
    traits = object_field(event, "traits", "traits")
    data_fields = convert_dates(traits)
    if "phone" in data_fields and "phoneNumber" not in data_fields:
        data_fields["phoneNumber"] = data_fields["phone"]
    body = {**identifiers(event, IDENTIFY_EMAIL_SOURCES), "dataFields": data_fields}
    body.update(merge_option(event))
    return _post("/api/users/update", body)


def track_request(event: dict[str, Any]) -> Request:
    """Routes commerce events by name, case-insensitively, as Segment's spec names them."""
    name = event.get("event")
    if not present(name):
        raise ValidationError("track event has no event name (field event)")
    name = text(name, "event")
    properties = object_field(event, "properties", "properties")
    route = name.strip().casefold()
    if route == ORDER_COMPLETED:
        return purchase_request(event, properties)
    if route in CART_EVENTS and properties.get("products") is not None:
        return cart_request(event, properties)
    return event_request(event, name, properties)


def event_request(event: dict[str, Any], event_name: str, properties: dict[str, Any]) -> Request:
    """A custom event; track, page and screen all end up here."""
    body: dict[str, Any] = {**identifiers(event, EVENT_EMAIL_SOURCES), "eventName": event_name}
    body.update(_message_id(event))
    body.update(_created_at(event))
    body["dataFields"] = convert_dates(properties)
    body.update(_attribution(properties))
    return _post("/api/events/track", body)


def purchase_request(event: dict[str, Any], properties: dict[str, Any]) -> Request:
    if not present(properties.get("total")):
        raise ValidationError(
            "Order Completed needs properties.total (Iterable requires a total; "
            "revenue is not used in its place)"
        )
    body: dict[str, Any] = {}
    if present(properties.get("order_id")):
        body["id"] = _event_id(properties["order_id"], "properties.order_id")
    body["user"] = commerce_user(event)
    body["items"] = to_items(properties.get("products"))
    body["total"] = number(properties["total"], "properties.total")
    body.update(_created_at(event))
    kept = {key: value for key, value in properties.items() if key not in PURCHASE_LIFTED}
    body["dataFields"] = convert_dates(kept)
    body.update(_attribution(properties))
    return _post("/api/commerce/trackPurchase", body)


def cart_request(event: dict[str, Any], properties: dict[str, Any]) -> Request:
    """updateCart replaces the stored cart, so `products` must be the whole cart."""
    body = {"user": commerce_user(event), "items": to_items(properties["products"])}
    return _post("/api/commerce/updateCart", body)


def view_request(event: dict[str, Any], settings: Settings) -> Request:
    """A page or screen as a custom event, if the page settings let it through."""
    kind = event["type"]
    properties = object_field(event, "properties", "properties")
    name = _view_attribute(event, properties, "name")
    category = _view_attribute(event, properties, "category")
    allowed = (
        settings.track_all_pages
        or (settings.track_categorized_pages and category is not None)
        or (settings.track_named_pages and name is not None)
    )
    if not allowed:
        reasons = [
            "track_all_pages is off",
            "it has no category"
            if settings.track_categorized_pages
            else "track_categorized_pages is off",
            "it has no name" if settings.track_named_pages else "track_named_pages is off",
        ]
        raise SkipEvent(f"{kind} not tracked: {'; '.join(reasons)}")
    label = name if name is not None else category
    event_name = f"{label} {kind}" if label is not None else f"Loaded a {kind.capitalize()}"
    return event_request(event, event_name, properties)


def update_email_request(
    new_email: str, current_email: str | None = None, current_user_id: str | None = None
) -> Request:
    """Segment has no email-change call, so this is offered directly (as the seed advises)."""
    if (current_email is None) == (current_user_id is None):
        raise ValidationError("give exactly one of current_email or current_user_id")
    if current_email is not None:
        body = {"currentEmail": valid_email(current_email, "current_email")}
    else:
        body = {"currentUserId": valid_user_id(current_user_id, "current_user_id")}
    body["newEmail"] = valid_email(new_email, "new_email")
    return _post("/api/users/updateEmail", body)


def commerce_user(event: dict[str, Any]) -> dict[str, Any]:
    """The `user` object of updateCart / trackPurchase, identified like a track call."""
    return {**identifiers(event, EVENT_EMAIL_SOURCES), **merge_option(event)}


def merge_option(event: dict[str, Any]) -> dict[str, bool]:
    """`mergeNestedObjects` only when the event asks for it, so Iterable's default otherwise."""
    integrations = object_field(event, "integrations", "integrations")
    for key in ("Iterable", "iterable"):
        options = integrations.get(key)
        if isinstance(options, dict) and "mergeNestedObjects" in options:
            value = options["mergeNestedObjects"]
            if not isinstance(value, bool):
                raise ValidationError(
                    f"integrations.{key}.mergeNestedObjects must be true or false, got {value!r}"
                )
            return {"mergeNestedObjects": value}
    return {}


def _view_attribute(event: dict[str, Any], properties: dict[str, Any], key: str) -> str | None:
    if present(event.get(key)):
        return text(event[key], key)
    if present(properties.get(key)):
        return text(properties[key], f"properties.{key}")
    return None


def _message_id(event: dict[str, Any]) -> dict[str, str]:
    """Iterable upserts events by `id`, so a retried Segment message is stored once."""
    raw = event.get("messageId")
    return {"id": _event_id(raw, "messageId")} if present(raw) else {}


def _event_id(value: Any, label: str) -> str:
    converted = text(value, label)
    if len(converted.encode()) > MAX_ID_BYTES:
        raise ValidationError(f"{label} is longer than Iterable's {MAX_ID_BYTES}-byte id limit")
    return converted


def _created_at(event: dict[str, Any]) -> dict[str, int]:
    """From `timestamp` only: traits.createdAt is a signup date, not the event time."""
    raw = event.get("timestamp")
    return {"createdAt": unix_seconds(raw, "timestamp")} if present(raw) else {}


def _attribution(properties: dict[str, Any]) -> dict[str, int]:
    return {
        key: integer(properties[key], f"properties.{key}")
        for key in ("campaignId", "templateId")
        if present(properties.get(key))
    }


def _post(path: str, body: dict[str, Any]) -> Request:
    return {"method": "POST", "path": path, "body": body}
