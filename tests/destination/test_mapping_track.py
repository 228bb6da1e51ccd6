"""track -> POST /api/events/track, checked on the request Iterable receives."""

from __future__ import annotations

import pytest

from destination.mapping import track_request


def track(**fields):
    return {"type": "track", "event": "Video Played", "messageId": "msg-1", **fields}


def test_track_sends_events_track_with_every_field(deliver):
    event = track(
        userId="u-1",
        timestamp="2024-03-01T12:00:00.750Z",
        properties={"email": "ada@example.com", "title": "Intro", "seconds": 42},
    )

    result, sent = deliver(event)

    assert result.status == "sent"
    assert sent == [
        (
            "/api/events/track",
            {
                "email": "ada@example.com",
                "userId": "u-1",
                "eventName": "Video Played",
                "id": "msg-1",
                "createdAt": 1709294400,
                "dataFields": {"email": "ada@example.com", "title": "Intro", "seconds": 42},
            },
        )
    ]


def test_email_falls_back_to_context_traits(deliver):
    _, sent = deliver(track(userId="u-1", context={"traits": {"email": "ctx@example.com"}}))

    assert sent[0][1]["email"] == "ctx@example.com"


def test_properties_email_wins_over_context_traits(deliver):
    event = track(
        properties={"email": "props@example.com"},
        context={"traits": {"email": "ctx@example.com"}},
    )

    _, sent = deliver(event)

    assert sent[0][1]["email"] == "props@example.com"


def test_traits_email_is_not_used_for_track():
    event = track(userId="u-1", traits={"email": "traits@example.com"})

    assert "email" not in track_request(event)["body"]


def test_email_shaped_user_id_is_the_email(deliver):
    _, sent = deliver(track(userId="ada@example.com"))

    assert sent[0][1]["email"] == "ada@example.com"


def test_track_without_identifiers_is_rejected_and_not_sent(deliver):
    result, sent = deliver(track(anonymousId="anon-1"))

    assert result.status == "failed"
    assert "userId" in result.message and "email" in result.message
    assert sent == []


def test_message_id_is_the_event_id_so_retries_are_stored_once(deliver):
    _, sent = deliver(track(userId="u-1", messageId="abc-123"))

    assert sent[0][1]["id"] == "abc-123"


def test_created_at_is_floored_unix_seconds_of_the_timestamp():
    event = track(userId="u", timestamp="2024-03-01T13:59:59.999+02:00")

    assert track_request(event)["body"]["createdAt"] == 1709294399


def test_created_at_never_comes_from_traits(deliver):
    event = track(
        userId="u-1",
        timestamp="2024-03-01T12:00:00Z",
        context={"traits": {"createdAt": "2014-05-21T15:54:20Z"}},
    )

    _, sent = deliver(event)

    assert sent[0][1]["createdAt"] == 1709294400


def test_created_at_left_out_without_timestamp(deliver):
    _, sent = deliver(track(userId="u-1", originalTimestamp="2024-03-01T12:00:00Z"))

    assert "createdAt" not in sent[0][1]


def test_campaign_and_template_ids_also_go_top_level_as_integers(deliver):
    properties = {"campaignId": "1234", "templateId": 5678.0}

    _, sent = deliver(track(userId="u-1", properties=properties))

    body = sent[0][1]
    assert body["campaignId"] == 1234
    assert body["templateId"] == 5678
    assert body["dataFields"] == properties


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"event": None}, "event"),
        ({"event": ""}, "event"),
        ({"event": {"name": "x"}}, "event"),
        ({"properties": ["a"]}, "properties"),
        ({"properties": {"campaignId": "summer"}}, "properties.campaignId"),
        ({"properties": {"templateId": True}}, "properties.templateId"),
        ({"properties": {"email": "nope"}}, "properties.email"),
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"messageId": "x" * 513}, "messageId"),
    ],
)
def test_bad_track_fields_are_errors_naming_the_field(deliver, fields, named):
    result, sent = deliver(track(userId="u-1", **fields))

    assert result.status == "failed"
    assert named in result.message
    assert sent == []
