"""Reference §7 items 41-50: events/track, events/trackBulk and each user's event history."""

from __future__ import annotations

import re

import pytest

from .helpers import (
    DATE_PATTERN,
    assert_error,
    events_of,
    field_types,
    freeze_clock,
    get_user,
    make_client,
    mismatch_msg,
    project_of,
    track,
    update_user,
)

T0 = 1_700_000_000
T0_TEXT = "2023-11-14 22:13:20 +00:00"


# ------------------------------------------------------------------ 41-42. track


def test_track_stores_a_custom_event_with_everything_sent(client):
    freeze_clock(client, T0 + 500)
    response = client.post(
        "/api/events/track",
        json={
            "email": "a@b.com",
            "eventName": "completedOnboarding",
            "id": "ev-1",
            "createdAt": T0,
            "dataFields": {"step": 3, "source": "app"},
            "campaignId": 123,
            "templateId": 456,
        },
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "msg": "Event with id: ev-1 tracked.",
        "code": "Success",
        "params": {"id": "ev-1"},
    }
    received = "2023-11-14 22:21:40 +00:00"
    assert events_of(client, "a@b.com") == [
        {
            "id": "ev-1",
            "eventName": "completedOnboarding",
            "eventType": "customEvent",
            "email": "a@b.com",
            "createdAt": T0_TEXT,
            "eventUpdatedAt": received,
            "campaignId": 123,
            "templateId": 456,
            "dataFields": {"step": 3, "source": "app"},
            "itblInternal": {"documentCreatedAt": T0_TEXT, "documentUpdatedAt": received},
        }
    ]


def test_an_event_of_a_user_with_a_user_id_carries_it(client):
    update_user(client, email="a@b.com", userId="u1")
    track(client, userId="u1", eventName="opened")
    (event,) = events_of(client, "a@b.com")
    assert (event["email"], event["userId"]) == ("a@b.com", "u1")
    by_id = client.get("/api/events/byUserId/u1").get_json()["events"]
    assert by_id == [event]


def test_an_event_without_a_user_id_has_no_user_id_key(client):
    track(client, email="a@b.com", eventName="opened")
    assert "userId" not in events_of(client, "a@b.com")[0]


@pytest.mark.parametrize(
    ("created_at", "shown"),
    [
        (0, "1970-01-01 00:00:00 +00:00"),
        (T0, T0_TEXT),
        (253402300799, "9999-12-31 23:59:59 +00:00"),
    ],
)
def test_created_at_is_unix_seconds(client, created_at, shown):
    track(client, email="a@b.com", eventName="e", createdAt=created_at)
    assert events_of(client, "a@b.com")[0]["createdAt"] == shown


def test_without_created_at_the_receipt_time_is_used(client):
    freeze_clock(client, T0)
    track(client, email="a@b.com", eventName="e")
    (event,) = events_of(client, "a@b.com")
    assert event["createdAt"] == event["eventUpdatedAt"] == T0_TEXT


@pytest.mark.parametrize("created_at", [-1, 253402300800, 1_700_000_000_000_000])
def test_created_at_out_of_range_is_bad_params(client, created_at):
    response = client.post(
        "/api/events/track", json={"email": "a@b.com", "eventName": "e", "createdAt": created_at}
    )
    assert_error(
        response,
        400,
        "BadParams",
        "createdAt must be a Unix timestamp in seconds",
        {"createdAt": created_at},
    )
    assert events_of(client, "a@b.com") == []


def test_event_timestamps_match_iterables_date_format(client):
    track(client, email="a@b.com", eventName="e")
    event = events_of(client, "a@b.com")[0]
    for stamp in (event["createdAt"], event["eventUpdatedAt"]):
        assert re.fullmatch(DATE_PATTERN, stamp)


# ------------------------------------------------------------------ 43-44. event ids


def test_tracking_the_same_id_twice_keeps_one_event_updated(client):
    clock = freeze_clock(client, T0)
    track(client, email="a@b.com", eventName="e", id="same", dataFields={"v": 1})
    clock.now = T0 + 60
    track(client, email="a@b.com", eventName="e", id="same", dataFields={"v": 2})
    (event,) = events_of(client, "a@b.com")
    assert event["id"] == "same"
    assert event["dataFields"] == {"v": 2}
    assert event["eventUpdatedAt"] == "2023-11-14 22:14:20 +00:00"


def test_an_event_id_moves_with_the_event_to_another_user(client):
    track(client, email="a@b.com", eventName="e", id="same")
    track(client, email="b@b.com", eventName="e", id="same")
    assert events_of(client, "a@b.com") == []
    assert [e["id"] for e in events_of(client, "b@b.com")] == ["same"]


@pytest.mark.parametrize("body", [{}, {"id": ""}])
def test_without_an_id_each_call_makes_a_new_event(client, body):
    first = track(client, email="a@b.com", eventName="e", **body)
    second = track(client, email="a@b.com", eventName="e", **body)
    assert first != second
    assert first and second
    assert {e["id"] for e in events_of(client, "a@b.com")} == {first, second}


@pytest.mark.parametrize(
    "event_id", ["x" * 512, "\u00e9" * 256], ids=["512 ascii bytes", "512 utf-8 bytes"]
)
def test_an_id_of_512_bytes_is_accepted(client, event_id):
    assert track(client, email="a@b.com", eventName="e", id=event_id) == event_id


@pytest.mark.parametrize(
    "event_id", ["x" * 513, "\u00e9" * 257], ids=["513 ascii bytes", "257 chars of 514 bytes"]
)
def test_an_id_over_512_bytes_is_rejected(client, event_id):
    response = client.post(
        "/api/events/track", json={"email": "a@b.com", "eventName": "e", "id": event_id}
    )
    assert_error(
        response,
        400,
        "BadParams",
        "id cannot be longer than 512 bytes",
        {"id": event_id[:64] + "..."},
    )
    assert get_user(client, "a@b.com") == {}


# ------------------------------------------------------------------ 45. event field types


def test_event_field_types_are_fixed_per_event_name(client):
    track(client, email="a@b.com", eventName="viewed", dataFields={"count": 1})
    response = client.post(
        "/api/events/track",
        json={"email": "a@b.com", "eventName": "viewed", "dataFields": {"count": "many"}},
    )
    pid = project_of(client).project_id
    assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(pid, "count", "event", "long", "string, keyword"),
        {
            "validationErrors": {
                "count": {
                    "incomingTypes": ["string", "keyword"],
                    "expectedType": "long",
                    "_type": "UnexpectedType",
                    "offendingValue": "many",
                    "category": "event",
                }
            }
        },
    )
    assert len(events_of(client, "a@b.com")) == 1


def test_another_event_name_may_use_another_type(client):
    track(client, email="a@b.com", eventName="viewed", dataFields={"count": 1})
    track(client, email="a@b.com", eventName="clicked", dataFields={"count": "many"})
    assert len(events_of(client, "a@b.com")) == 2


def test_event_fields_do_not_collide_with_user_fields(client):
    update_user(client, email="a@b.com", dataFields={"count": 1})
    track(client, email="a@b.com", eventName="viewed", dataFields={"count": "many"})
    assert field_types(client)["count"] == "long"


def test_a_rejected_event_creates_no_user(client):
    track(client, email="a@b.com", eventName="viewed", dataFields={"count": 1})
    response = client.post(
        "/api/events/track",
        json={"email": "new@b.com", "eventName": "viewed", "dataFields": {"count": "x"}},
    )
    assert response.status_code == 400
    assert get_user(client, "new@b.com") == {}


# ------------------------------------------------------------------ 46. reading events


def _track_many(client, email, count):
    for n in range(count):
        track(client, email=email, eventName="e", createdAt=T0 + n, dataFields={"n": n})


def test_events_are_newest_first_and_default_to_30(client):
    _track_many(client, "a@b.com", 31)
    events = events_of(client, "a@b.com")
    assert [e["dataFields"]["n"] for e in events] == list(range(30, 0, -1))


def test_events_limit_is_honoured_up_to_200(client):
    _track_many(client, "a@b.com", 201)
    assert len(events_of(client, "a@b.com", limit=1)) == 1
    assert len(events_of(client, "a@b.com", limit=200)) == 200


@pytest.mark.parametrize("limit", [0, -1, 201, 1000])
@pytest.mark.parametrize("path", ["/api/events/a@b.com", "/api/events/byUserId/u1"])
def test_events_limit_outside_1_to_200_is_bad_params(client, path, limit):
    update_user(client, email="a@b.com", userId="u1")
    response = client.get(path, query_string={"limit": limit})
    assert_error(response, 400, "BadParams", "limit must be between 1 and 200", {"limit": limit})


def test_events_limit_that_is_not_a_number_is_bad_params(client):
    response = client.get("/api/events/a@b.com", query_string={"limit": "ten"})
    assert_error(response, 400, "BadParams", "limit must be an integer", {"limit": "ten"})


@pytest.mark.parametrize("path", ["/api/events/nobody@b.com", "/api/events/byUserId/nobody"])
def test_events_of_an_unknown_user_are_empty(client, path):
    response = client.get(path)
    assert (response.status_code, response.get_json()) == (200, {"events": []})


# ------------------------------------------------------------------ 47. unknown users


def test_track_creates_an_unknown_email_user_by_default(client):
    track(client, email="new@b.com", eventName="e")
    assert get_user(client, "new@b.com")["email"] == "new@b.com"
    assert len(events_of(client, "new@b.com")) == 1


def test_track_can_be_set_to_refuse_unknown_emails():
    client = make_client(track_creates_unknown_email_user=False)
    response = client.post("/api/events/track", json={"email": "new@b.com", "eventName": "e"})
    assert_error(response, 400, "UnknownEmailError", "No user exists with email new@b.com.", None)
    assert get_user(client, "new@b.com") == {}
    update_user(client, email="new@b.com")
    track(client, email="new@b.com", eventName="e")
    assert len(events_of(client, "new@b.com")) == 1


@pytest.mark.parametrize("creates", [True, False])
def test_track_with_an_unknown_user_id_fails_in_an_email_project(creates):
    client = make_client(track_creates_unknown_email_user=creates)
    response = client.post("/api/events/track", json={"userId": "ghost", "eventName": "e"})
    assert_error(response, 400, "UnknownUserIdError", "No user exists with userId ghost.", None)


def test_track_bulk_reports_unknown_users_when_set_to_refuse():
    client = make_client(track_creates_unknown_email_user=False)
    update_user(client, email="known@b.com")
    body = client.post(
        "/api/events/trackBulk",
        json={
            "events": [
                {"email": "known@b.com", "eventName": "e"},
                {"email": "new@b.com", "eventName": "e"},
                {"userId": "ghost", "eventName": "e"},
            ]
        },
    ).get_json()
    assert (body["successCount"], body["failCount"]) == (1, 2)
    assert body["failedUpdates"]["notFoundEmails"] == ["new@b.com"]
    assert body["failedUpdates"]["notFoundUserIds"] == ["ghost"]


# ------------------------------------------------------------------ 48-49. trackBulk


def test_track_bulk_answers_the_count_object_and_stores_the_valid_events(client):
    response = client.post(
        "/api/events/trackBulk",
        json={
            "events": [
                {"email": "sayan", "eventName": "e"},
                {"email": "a@b.com", "eventName": "e", "dataFields": {"k": 1}},
            ]
        },
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "successCount": 1,
        "failCount": 1,
        "invalidEmails": ["sayan"],
        "invalidUserIds": [],
        "disallowedEventNames": [],
        "filteredOutFields": [],
        "createdFields": ["k"],
        "failedUpdates": {
            "invalidEmails": ["sayan"],
            "invalidUserIds": [],
            "notFoundEmails": [],
            "notFoundUserIds": [],
            "forgottenEmails": [],
            "forgottenUserIds": [],
        },
    }
    assert [e["dataFields"] for e in events_of(client, "a@b.com")] == [{"k": 1}]


def test_track_bulk_lists_every_kind_of_per_event_failure(client):
    update_user(client, email="gone@b.com", userId="goneId")
    assert client.post("/api/users/forget", json={"email": "gone@b.com"}).status_code == 200
    body = client.post(
        "/api/events/trackBulk",
        json={
            "events": [
                {"email": "ok@b.com", "eventName": "e"},
                {"email": "bad email", "eventName": "e"},
                {"userId": "bad id ", "eventName": "e"},
                {"userId": "ghost", "eventName": "e"},
                {"email": "gone@b.com", "eventName": "e"},
                {"userId": "goneId", "eventName": "e"},
                {"eventName": "e"},
                {"email": "ok@b.com", "eventName": "e", "id": "x" * 600},
            ]
        },
    ).get_json()
    assert (body["successCount"], body["failCount"]) == (1, 7)
    assert body["invalidEmails"] == ["bad email", "ok@b.com"]
    assert body["invalidUserIds"] == ["bad id "]
    assert body["failedUpdates"] == {
        "invalidEmails": ["bad email", "ok@b.com"],
        "invalidUserIds": ["bad id "],
        "notFoundEmails": [],
        "notFoundUserIds": ["ghost"],
        "forgottenEmails": ["gone@b.com"],
        "forgottenUserIds": ["goneId"],
    }
    assert len(events_of(client, "ok@b.com")) == 1


def test_track_bulk_type_mismatch_rejects_the_whole_batch(client):
    track(client, email="a@b.com", eventName="viewed", dataFields={"count": 1})
    response = client.post(
        "/api/events/trackBulk",
        json={
            "events": [
                {"email": "a@b.com", "eventName": "viewed", "dataFields": {"count": 2}},
                {"email": "b@b.com", "eventName": "viewed", "dataFields": {"count": "x"}},
            ]
        },
    )
    pid = project_of(client).project_id
    assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(pid, "count", "event", "long", "string, keyword"),
    )
    assert len(events_of(client, "a@b.com")) == 1
    assert get_user(client, "b@b.com") == {}


def test_track_bulk_type_mismatch_within_one_batch_rejects_it(client):
    response = client.post(
        "/api/events/trackBulk",
        json={
            "events": [
                {"email": "a@b.com", "eventName": "fresh", "dataFields": {"q": 1}},
                {"email": "a@b.com", "eventName": "fresh", "dataFields": {"q": "abc"}},
            ]
        },
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == "RequestFieldsTypesMismatched"
    assert get_user(client, "a@b.com") == {}
    # The rejected batch taught the project no type: "abc" is fine on its own.
    track(client, email="a@b.com", eventName="fresh", dataFields={"q": "abc"})


def test_track_bulk_upserts_by_id_like_track(client):
    body = client.post(
        "/api/events/trackBulk",
        json={
            "events": [
                {"email": "a@b.com", "eventName": "e", "id": "same", "dataFields": {"v": 1}},
                {"email": "a@b.com", "eventName": "e", "id": "same", "dataFields": {"v": 2}},
            ]
        },
    ).get_json()
    assert body["successCount"] == 2
    assert [e["dataFields"] for e in events_of(client, "a@b.com")] == [{"v": 2}]


def test_track_bulk_over_the_event_limit_is_batch_too_large():
    client = make_client(max_bulk_events=2)
    events = [{"email": "a@b.com", "eventName": "e"}] * 3
    response = client.post("/api/events/trackBulk", json={"events": events})
    assert_error(response, 400, "BatchTooLarge", "At most 2 events may be sent per request.", None)
    assert get_user(client, "a@b.com") == {}
    ok = client.post("/api/events/trackBulk", json={"events": events[:2]})
    assert ok.get_json()["successCount"] == 2


def test_track_bulk_accepts_8000_events_by_default(client):
    events = [{"email": "a@b.com", "eventName": "e"}] * 8000
    body = client.post("/api/events/trackBulk", json={"events": events}).get_json()
    assert body["successCount"] == 8000
    too_many = client.post("/api/events/trackBulk", json={"events": [*events, events[0]]})
    assert_error(
        too_many, 400, "BatchTooLarge", "At most 8000 events may be sent per request.", None
    )


# ------------------------------------------------------------------ 50. disallowed names


def test_a_disallowed_event_is_acknowledged_and_dropped():
    client = make_client(disallowed_event_names=["spam"])
    response = client.post("/api/events/track", json={"email": "a@b.com", "eventName": "spam"})
    assert response.status_code == 200
    assert response.get_json() == {
        "msg": "Event spam is disallowed from tracking.",
        "code": "Success",
        "params": None,
    }
    assert get_user(client, "a@b.com") == {}
    track(client, email="a@b.com", eventName="fine")
    assert [e["eventName"] for e in events_of(client, "a@b.com")] == ["fine"]


def test_track_bulk_lists_disallowed_event_names():
    client = make_client(disallowed_event_names=["spam", "junk"])
    body = client.post(
        "/api/events/trackBulk",
        json={
            "events": [
                {"email": "a@b.com", "eventName": "spam"},
                {"email": "a@b.com", "eventName": "fine"},
                {"email": "a@b.com", "eventName": "junk"},
            ]
        },
    ).get_json()
    assert (body["successCount"], body["failCount"]) == (1, 2)
    assert body["disallowedEventNames"] == ["spam", "junk"]
    assert [e["eventName"] for e in events_of(client, "a@b.com")] == ["fine"]


def test_no_event_name_is_disallowed_by_default(client):
    track(client, email="a@b.com", eventName="spam")
    assert len(events_of(client, "a@b.com")) == 1


def test_millisecond_created_at_is_refused_by_default(client):
    response = client.post(
        "/api/events/track",
        json={"email": "ms@example.com", "eventName": "e", "createdAt": 1_700_000_000_000},
    )
    assert response.status_code == 400
    assert response.get_json()["msg"] == "createdAt must be a Unix timestamp in seconds"


def test_millisecond_created_at_is_read_as_milliseconds_when_the_project_allows_it():
    client = make_client(created_at_millis=True)
    client.post(
        "/api/events/track",
        json={"email": "ms@example.com", "eventName": "e", "createdAt": 1_700_000_000_000},
    )
    [event] = client.get("/api/events/ms@example.com").get_json()["events"]
    assert event["createdAt"] == "2023-11-14 22:13:20 +00:00"


def test_the_events_limit_cap_is_a_project_setting():
    client = make_client(max_events_limit=1000)
    assert client.get("/api/events/x@example.com?limit=1000").status_code == 200
    assert client.get("/api/events/x@example.com?limit=1001").status_code == 400
