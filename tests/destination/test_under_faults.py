"""Delivery through a flaky Iterable: every event lands exactly once despite 429s, 5xx and drops.

The fake injects faults before a request touches its state, so a retried request is the only
copy that counts; any loss or duplicate shows up in the fake's stored users, events, purchases.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import requests

from destination import IterableDestination, Settings

USERS = 200
# One Segment call per slot, cycled: tracks dominate, as in real traffic.
KINDS = ("identify", "track", "page", "track", "screen", "order", "track", "cart")
PRODUCT = {"product_id": "p-1", "name": "Racer", "price": 4.99, "quantity": 2}
FAULTS = (
    {"effect": "status", "status": 429, "retryAfter": 1, "probability": 0.05, "seed": 1},
    {"effect": "status", "status": 500, "probability": 0.05, "seed": 2},
    {"effect": "drop", "probability": 0.05, "seed": 3},
    {"effect": "status", "status": 503, "probability": 0.02, "seed": 4},
)


pytestmark = pytest.mark.usefixtures("quick_thread_switches")


def mixed_events(count: int) -> list[dict[str, Any]]:
    """`count` events over USERS users, each naming its user by userId and email."""
    events = []
    for index in range(count):
        user = index * 7 % USERS
        event: dict[str, Any] = {
            "userId": f"user-{user}",
            "messageId": f"m-{index}",
            "timestamp": "2026-03-01T12:00:00Z",
            "context": {"traits": {"email": f"user{user}@example.com"}},
        }
        kind = KINDS[index % len(KINDS)]
        if kind == "identify":
            event.update(type="identify", traits={"plan": "pro", "seq": index})
        elif kind == "track":
            event.update(type="track", event=f"Clicked {index % 3}", properties={"seq": index})
        elif kind in ("page", "screen"):
            event.update(type=kind, name="Home", properties={"seq": index})
        elif kind == "order":
            properties = {"order_id": f"o-{index}", "total": 9.98, "products": [PRODUCT]}
            event.update(type="track", event="Order Completed", properties=properties)
        else:
            event.update(type="track", event="Product Added", properties={"products": [PRODUCT]})
        events.append(event)
    return events


def inject_faults(url: str) -> None:
    for rule in FAULTS:
        reply = requests.post(
            f"{url}/_mock/faults", json={**rule, "path": "/api/*", "method": "POST"}, timeout=10
        )
        assert reply.status_code == 201, reply.text


def fired(url: str) -> dict[str, int]:
    rules = requests.get(f"{url}/_mock/faults", timeout=10).json()["faults"]
    return {f"{rule['effect']} {rule.get('status', '')}".strip(): rule["fired"] for rule in rules}


def assert_delivered_exactly_once(fake, events: list[dict[str, Any]], results) -> None:
    statuses = Counter(result.status for result in results)
    failures = [result for result in results if result.status != "sent"][:5]
    assert statuses == {"sent": len(events)}, failures

    state = fake.dump()
    by_kind: dict[str, set[str]] = {}
    for event in events:
        name = event.get("event")
        kind = {"Order Completed": "order", "Product Added": "cart"}.get(name, event["type"])
        by_kind.setdefault(kind, set()).add(event["messageId"])

    custom = [event for event in state["events"] if event["eventName"] != "updateCart"]
    carts = [event for event in state["events"] if event["eventName"] == "updateCart"]
    # Custom events are stored under their messageId: each one once, none missing or extra.
    assert Counter(event["id"] for event in custom) == Counter(
        by_kind["track"] | by_kind["page"] | by_kind["screen"]
    )
    # updateCart events get a fresh id per request: a duplicate delivery would show here.
    assert len(carts) == len(by_kind["cart"])
    order_ids = {f"o-{message_id.removeprefix('m-')}" for message_id in by_kind["order"]}
    assert Counter(purchase["id"] for purchase in state["purchases"]) == Counter(order_ids)

    users = {user["email"]: user for user in state["users"]}
    assert set(users) == {f"user{user}@example.com" for user in range(USERS)}
    for email, user in users.items():
        assert user["userId"] == "user-" + email.removeprefix("user").removesuffix("@example.com")
    # Identifies arrive in order: each user holds its last identify's traits.
    last_seq = {}
    for event in events:
        if event["type"] == "identify":
            last_seq[event["context"]["traits"]["email"]] = event["traits"]["seq"]
    assert {email: users[email]["dataFields"]["seq"] for email in last_seq} == last_seq


@pytest.mark.parametrize(("batch", "count"), [(False, 10_000), (True, 5_000)])
def test_every_event_lands_exactly_once_through_faults(mock_iterable, batch, count):
    events = mixed_events(count)
    inject_faults(mock_iterable.url)
    waits: list[float] = []
    settings = Settings(
        api_key=mock_iterable.api_key,
        endpoint=mock_iterable.url,
        batch=batch,
        max_retries=10,
        backoff_base=0.001,
    )

    with IterableDestination(settings, sleep=waits.append) as destination:
        results = destination.send_many(events)

    assert_delivered_exactly_once(mock_iterable, events, results)
    faults = fired(mock_iterable.url)
    assert all(count > 0 for count in faults.values()), faults
    # Every fault was retried, and a 429's Retry-After (1 s) was the least wait asked for.
    assert len(waits) >= sum(faults.values())
    assert sum(wait >= 1 for wait in waits) == faults["status 429"]
