"""The adapter delivering into the fake over real HTTP: what a user ends up with in Iterable."""

from __future__ import annotations

import pytest

from destination import IterableDestination, Settings

TS = "2026-03-01T12:00:00Z"


def mixed_events() -> list[dict]:
    user = {"userId": "u-1"}
    return [
        {
            "type": "identify",
            "messageId": "m1",
            "timestamp": TS,
            **user,
            "traits": {"email": "ann@example.com", "plan": "pro", "settings": {"mobile": True}},
        },
        {
            "type": "track",
            "event": "Signed Up",
            "messageId": "m2",
            "timestamp": TS,
            **user,
            "properties": {"source": "ad", "at": "2026-03-01T11:59:00.000Z"},
        },
        {
            "type": "page",
            "name": "shoppingCart",
            "messageId": "m3",
            "timestamp": TS,
            **user,
            "properties": {"url": "https://shop.example/cart"},
        },
        {
            "type": "track",
            "event": "Product Added",
            "messageId": "m4",
            "timestamp": TS,
            **user,
            "properties": {
                "email": "ann@example.com",
                "products": [{"product_id": "p1", "name": "Racer", "price": 4.99, "quantity": 2}],
            },
        },
        {
            "type": "track",
            "event": "Order Completed",
            "messageId": "m5",
            "timestamp": TS,
            **user,
            "properties": {
                "email": "ann@example.com",
                "order_id": "o-1",
                "total": 9.98,
                "products": [{"product_id": "p1", "name": "Racer", "price": 4.99, "quantity": 2}],
            },
        },
        {
            "type": "track",
            "event": "Signed Up",
            "messageId": "m2",
            "timestamp": TS,
            **user,
            "properties": {"source": "ad", "at": "2026-03-01T11:59:00.000Z"},
        },
        {"type": "identify", "messageId": "m6", "traits": {"plan": "free"}},
        {"type": "group", "messageId": "m7", "groupId": "g", **user},
    ]


@pytest.mark.parametrize("batch", [False, True])
def test_mixed_stream_lands_as_documented(mock_iterable, batch):
    settings = Settings(api_key=mock_iterable.api_key, endpoint=mock_iterable.url, batch=batch)
    with IterableDestination(settings) as destination:
        results = destination.send_many(mixed_events())
    assert [r.status for r in results] == ["sent"] * 6 + ["failed", "skipped"]
    assert "userId" in results[6].message and "email" in results[6].message

    state = mock_iterable.dump()
    [user] = state["users"]
    assert (user["email"], user["userId"]) == ("ann@example.com", "u-1")
    assert user["dataFields"]["plan"] == "pro"
    assert user["dataFields"]["shoppingCartItems"] == []
    names = sorted(e["eventName"] for e in state["events"])
    # The retried "Signed Up" (same messageId) is stored once.
    assert names == ["Signed Up", "shoppingCart page", "updateCart"]
    signed_up = next(e for e in state["events"] if e["eventName"] == "Signed Up")
    assert signed_up["dataFields"]["at"] == "2026-03-01 11:59:00 +00:00"
    assert signed_up["createdAt"] == "2026-03-01 12:00:00 +00:00"
    [purchase] = state["purchases"]
    assert purchase["id"] == "o-1"
    assert purchase["total"] == 9.98
    assert purchase["shoppingCartItems"][0]["id"] == "p1"


def test_fake_errors_come_back_as_failed_results(mock_iterable):
    settings = Settings(api_key=mock_iterable.api_key, endpoint=mock_iterable.url)
    with IterableDestination(settings) as destination:
        first = destination.send(
            {"type": "identify", "userId": "x", "traits": {"email": "t@example.com", "age": 30}}
        )
        clash = destination.send(
            {
                "type": "identify",
                "userId": "x",
                "traits": {"email": "t@example.com", "age": "thirty"},
            }
        )
    assert first.status == "sent"
    assert (clash.status, clash.http_status, clash.code) == (
        "failed",
        400,
        "RequestFieldsTypesMismatched",
    )
    assert mock_iterable.dump()["users"][0]["dataFields"]["age"] == 30


def test_update_email_moves_the_user(mock_iterable):
    settings = Settings(api_key=mock_iterable.api_key, endpoint=mock_iterable.url)
    with IterableDestination(settings) as destination:
        destination.send({"type": "identify", "traits": {"email": "old@example.com"}})
        result = destination.update_email("new@example.com", current_email="old@example.com")
    assert result.status == "sent"
    assert [u["email"] for u in mock_iterable.dump()["users"]] == ["new@example.com"]
