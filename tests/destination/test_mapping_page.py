"""page / screen -> POST /api/events/track, gated by the page settings."""

from __future__ import annotations

import pytest

from destination.mapping import translate
from destination.settings import Settings


def view(kind="page", **fields):
    return {"type": kind, "userId": "u-1", "messageId": "m-1", **fields}


def test_named_page_is_sent_as_name_page_event(deliver):
    event = view(
        name="shoppingCart",
        timestamp="2024-03-01T12:00:00Z",
        properties={"url": "https://shop.example/cart", "email": "ada@example.com"},
    )

    result, sent = deliver(event)

    assert result.status == "sent"
    assert sent == [
        (
            "/api/events/track",
            {
                "email": "ada@example.com",
                "userId": "u-1",
                "eventName": "shoppingCart page",
                "id": "m-1",
                "createdAt": 1709294400,
                "dataFields": {"url": "https://shop.example/cart", "email": "ada@example.com"},
            },
        )
    ]


def test_name_and_category_can_come_from_properties(deliver):
    _, sent = deliver(view(properties={"name": "Pricing"}))

    assert sent[0][1]["eventName"] == "Pricing page"


def test_categorized_page_without_name_uses_the_category(deliver):
    _, sent = deliver(view(category="Docs", properties={"path": "/docs"}))

    assert sent[0][1]["eventName"] == "Docs page"
    assert sent[0][1]["dataFields"] == {"path": "/docs"}


def test_page_with_name_and_category_sends_one_request_named_for_the_name(deliver):
    _, sent = deliver(view(name="Pricing", category="Marketing"), track_all_pages=True)

    assert [body["eventName"] for _, body in sent] == ["Pricing page"]


def test_track_all_pages_sends_anonymous_pages_as_loaded_a_page(deliver):
    _, sent = deliver(view(), track_all_pages=True)

    assert sent[0][1]["eventName"] == "Loaded a Page"


def test_page_without_name_or_category_is_skipped_by_default(deliver):
    result, sent = deliver(view(properties={"path": "/"}))

    assert result.status == "skipped"
    assert "track_all_pages is off" in result.message
    assert sent == []


@pytest.mark.parametrize(
    ("fields", "settings", "reason"),
    [
        ({"name": "Home"}, {"track_named_pages": False}, "track_named_pages is off"),
        (
            {"category": "Docs"},
            {"track_categorized_pages": False},
            "track_categorized_pages is off",
        ),
        ({"name": "Home"}, {"track_named_pages": False}, "it has no category"),
    ],
)
def test_page_no_setting_lets_through_is_skipped_with_reason(fields, settings, reason):
    translation = translate(view(**fields), Settings(**settings))

    assert reason in translation.skipped
    assert translation.requests == []


@pytest.mark.parametrize(
    "settings", [{"track_named_pages": False}, {"track_categorized_pages": False}]
)
def test_either_setting_alone_lets_a_named_categorized_page_through(settings):
    translation = translate(view(name="Home", category="Docs"), Settings(**settings))

    assert [request["body"]["eventName"] for request in translation.requests] == ["Home page"]


def test_named_screen_is_sent_as_name_screen_event(deliver):
    _, sent = deliver(view("screen", name="Checkout", properties={"step": 2}))

    assert sent[0][1]["eventName"] == "Checkout screen"
    assert sent[0][1]["dataFields"] == {"step": 2}


def test_categorized_screen_and_all_screens(deliver):
    _, categorized = deliver(view("screen", category="Store"))
    _, anonymous = deliver(view("screen"), track_all_pages=True)

    assert categorized[0][1]["eventName"] == "Store screen"
    assert anonymous[0][1]["eventName"] == "Loaded a Screen"


def test_unnamed_screen_is_skipped_by_default(deliver):
    result, sent = deliver(view("screen"))

    assert result.status == "skipped"
    assert result.message.startswith("screen not tracked")
    assert sent == []


def test_sent_page_still_needs_an_identifier(deliver):
    result, sent = deliver({"type": "page", "name": "Home", "anonymousId": "a-1"})

    assert result.status == "failed"
    assert "userId" in result.message and "email" in result.message
    assert sent == []


def test_non_string_page_name_is_an_error_naming_it(deliver):
    result, _ = deliver(view(properties={"name": ["Home"]}))

    assert result.status == "failed"
    assert "properties.name" in result.message
