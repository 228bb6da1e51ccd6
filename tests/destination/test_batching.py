"""Batch mode: bulk endpoints, chunking by count and bytes, per-record failures."""

from __future__ import annotations

import json

import pytest
from werkzeug import Response

from destination.batching import MAX_BULK_BYTES, plan, record_failures
from destination.mapping import event_request, translate
from destination.settings import Settings
from destination.wire import encode

from .conftest import SUCCESS

BULK_OK = {"successCount": 0, "failCount": 0, "invalidEmails": [], "invalidUserIds": []}


def identify(n, **traits):
    return {"type": "identify", "userId": f"u-{n}", "traits": traits}


def track(n, email=None, event="Clicked", **properties):
    if email:
        properties["email"] = email
    return {
        "type": "track",
        "event": event,
        "userId": f"u-{n}",
        "messageId": f"m-{n}",
        "properties": properties,
    }


def pending(count, size=10):
    return [
        (n, event_request({"userId": f"u-{n}"}, "E", {"blob": "x" * size})) for n in range(count)
    ]


def test_batches_hold_at_most_batch_size_records_in_order():
    batches, oversize = plan(pending(2500), batch_size=1000)

    assert [len(batch.events) for batch in batches] == [1000, 1000, 500]
    assert [n for batch in batches for n in batch.events] == list(range(2500))
    assert {batch.path for batch in batches} == {"/api/events/trackBulk"}
    assert oversize == []


def test_batches_stay_under_4_mb():
    batches, _ = plan(pending(7, size=1_500_000), batch_size=1000)

    sizes = [len(encode(batch.body)) for batch in batches]
    assert [len(batch.events) for batch in batches] == [2, 2, 2, 1]
    assert all(size < MAX_BULK_BYTES for size in sizes)
    assert MAX_BULK_BYTES <= 4 * 1024 * 1024


def test_record_too_big_for_any_batch_is_sent_single():
    batches, oversize = plan(pending(3, size=4_100_000)[:1] + pending(2)[1:], batch_size=1000)

    assert [index for index, _ in oversize] == [0]
    assert [batch.events for batch in batches] == [[1]]


@pytest.fixture
def bulk_iterable(httpserver):
    """Iterable accepting everything; bulk endpoints answer with an all-clear count."""
    httpserver.expect_request("/api/users/bulkUpdate").respond_with_json(BULK_OK)
    httpserver.expect_request("/api/events/trackBulk").respond_with_json(BULK_OK)
    httpserver.expect_request("/api/commerce/trackPurchase").respond_with_json(SUCCESS)
    return httpserver


def test_batch_mode_uses_bulk_endpoints_and_sends_them_before_a_commerce_call(
    bulk_iterable, make_destination, received
):
    events = [
        identify(1, plan="pro"),
        track(2),
        {"type": "page", "userId": "u-3", "name": "Home"},
        {"type": "screen", "userId": "u-4", "name": "Cart"},
        identify(5),
        {"type": "track", "event": "Order Completed", "userId": "u-1", "properties": {"total": 1}},
        track(7),
    ]
    single = [translate(event, Settings()).requests[0]["body"] for event in events]

    results = make_destination(batch=True).send_many(events)

    assert [result.status for result in results] == ["sent"] * 7
    assert received() == [
        (
            "/api/users/bulkUpdate",
            {
                "users": [
                    {"userId": "u-1", "dataFields": {"plan": "pro"}},
                    {"userId": "u-5", "dataFields": {}},
                ]
            },
        ),
        ("/api/events/trackBulk", {"events": [single[1], single[2], single[3]]}),
        ("/api/commerce/trackPurchase", single[5]),
        ("/api/events/trackBulk", {"events": [single[6]]}),
    ]
    assert [result.path for result in results] == [
        "/api/users/bulkUpdate",
        "/api/events/trackBulk",
        "/api/events/trackBulk",
        "/api/events/trackBulk",
        "/api/users/bulkUpdate",
        "/api/commerce/trackPurchase",
        "/api/events/trackBulk",
    ]


def test_batch_mode_splits_by_batch_size(bulk_iterable, make_destination, received):
    results = make_destination(batch=True, batch_size=2).send_many(track(n) for n in range(5))

    assert [len(body["events"]) for _, body in received()] == [2, 2, 1]
    assert [result.event for result in results] == [0, 1, 2, 3, 4]


def test_batch_mode_splits_by_bytes(bulk_iterable, make_destination, httpserver):
    events = [track(n, blob="x" * 1_500_000) for n in range(3)]

    results = make_destination(batch=True).send_many(events)

    lengths = [int(request.headers["Content-Length"]) for request, _ in httpserver.log]
    assert len(lengths) == 2
    assert all(length < MAX_BULK_BYTES for length in lengths)
    assert [result.status for result in results] == ["sent"] * 3


def test_identifier_check_still_applies_in_batch_mode(bulk_iterable, make_destination, received):
    anonymous = {"type": "track", "event": "Clicked", "anonymousId": "a-1"}

    results = make_destination(batch=True).send_many([track(1), anonymous])

    assert results[1].status == "failed"
    assert "userId" in results[1].message and "email" in results[1].message
    assert [len(body["events"]) for _, body in received()] == [1]


TRACK_BULK_PARTIAL = {
    "successCount": 2,
    "failCount": 1,
    "invalidEmails": ["sayan"],
    "invalidUserIds": [],
    "disallowedEventNames": [],
    "filteredOutFields": [],
    "createdFields": [],
    "failedUpdates": {
        "invalidEmails": ["sayan"],
        "invalidUserIds": [],
        "notFoundEmails": [],
        "notFoundUserIds": [],
        "forgottenEmails": [],
        "forgottenUserIds": [],
    },
}


def test_bulk_failure_lists_fail_only_their_own_events():
    records = [{"email": "ada@example.com"}, {"email": "sayan"}, {"userId": "u-3"}]

    assert record_failures(TRACK_BULK_PARTIAL, records) == {
        1: (
            "failedUpdates.invalidEmails",
            "email 'sayan' listed in failedUpdates.invalidEmails, invalidEmails",
        )
    }


def bulk_response(success, failed, failed_updates=None, **top_level):
    """A realistic bulk response: every list present, the given ones filled in."""
    names = ["invalid", "notFound", "forgotten"]
    updates = {f"{name}{kind}": [] for name in names for kind in ("Emails", "UserIds")}
    body = {
        "successCount": success,
        "failCount": failed,
        "invalidEmails": [],
        "invalidUserIds": [],
        "filteredOutFields": [],
        "createdFields": [],
        "failedUpdates": {**updates, **(failed_updates or {})},
    }
    return {**body, **top_level}


def test_partial_track_bulk_failure_maps_back_to_the_event(httpserver, make_destination):
    # Well-formed for us, but Iterable may still call an address invalid (e.g. a bad domain).
    response = bulk_response(
        2,
        1,
        {"invalidEmails": ["sayan@bad.example"]},
        invalidEmails=["sayan@bad.example"],
        disallowedEventNames=[],
    )
    httpserver.expect_request("/api/events/trackBulk").respond_with_json(response)
    events = [
        track(1, email="ada@example.com"),
        track(2, email="Sayan@Bad.Example"),
        track(3, email="bob@example.com"),
    ]

    results = make_destination(batch=True).send_many(events)

    assert [result.status for result in results] == ["sent", "failed", "sent"]
    assert results[1].code == "failedUpdates.invalidEmails"
    assert "Sayan@Bad.Example" in results[1].message
    assert results[1].http_status == 200


def test_disallowed_event_names_fail_every_event_with_that_name(httpserver, make_destination):
    response = bulk_response(1, 2, disallowedEventNames=["Blocked"])
    httpserver.expect_request("/api/events/trackBulk").respond_with_json(response)
    events = [track(1, event="Blocked"), track(2), track(3, event="Blocked")]

    results = make_destination(batch=True).send_many(events)

    assert [result.status for result in results] == ["failed", "sent", "failed"]
    assert results[0].code == "disallowedEventNames"


def test_partial_bulk_update_failure_maps_back_by_user_id(httpserver, make_destination):
    response = bulk_response(
        2,
        1,
        {"notFoundUserIds": ["u-2"]},
        noOpEmails=[],
        noOpUserIds=["u-3"],
    )
    httpserver.expect_request("/api/users/bulkUpdate").respond_with_json(response)

    results = make_destination(batch=True).send_many([identify(1), identify(2), identify(3)])

    assert [result.status for result in results] == ["sent", "failed", "sent"]
    assert results[1].code == "failedUpdates.notFoundUserIds"
    assert results[1].message == "userId 'u-2' listed in failedUpdates.notFoundUserIds"


@pytest.mark.parametrize("bulk_status", [400, 413])
def test_whole_batch_rejection_is_resent_singly_so_only_the_bad_event_fails(
    httpserver, make_destination, received, bulk_status
):
    mismatch = {
        "msg": "The request does not have the same data types as the data previously submitted.",
        "code": "RequestFieldsTypesMismatched",
        "params": None,
    }
    httpserver.expect_request("/api/events/trackBulk").respond_with_json(
        mismatch, status=bulk_status
    )

    def single(request):
        bad = request.get_json()["userId"] == "u-2"
        body, status = (mismatch, 400) if bad else (SUCCESS, 200)
        return Response(json.dumps(body), status=status, content_type="application/json")

    httpserver.expect_request("/api/events/track").respond_with_handler(single)

    results = make_destination(batch=True).send_many([track(1), track(2), track(3)])

    assert [result.status for result in results] == ["sent", "failed", "sent"]
    assert results[1].code == "RequestFieldsTypesMismatched"
    assert [path for path, _ in received()] == ["/api/events/trackBulk"] + ["/api/events/track"] * 3


def test_whole_batch_auth_failure_fails_every_event_in_it(httpserver, make_destination):
    bad_key = {"msg": "Invalid API key", "code": "BadApiKey", "params": None}
    httpserver.expect_request("/api/users/bulkUpdate").respond_with_json(bad_key, status=401)

    results = make_destination(batch=True).send_many([identify(1), identify(2)])

    assert [(r.status, r.http_status, r.code) for r in results] == [
        ("failed", 401, "BadApiKey")
    ] * 2


def test_a_commerce_call_for_another_user_does_not_split_the_batch(
    bulk_iterable, make_destination, received
):
    events = [
        identify(1, plan="pro"),
        {"type": "track", "event": "Order Completed", "userId": "u-9", "properties": {"total": 1}},
        identify(2),
    ]
    results = make_destination(batch=True).send_many(events)
    assert [result.status for result in results] == ["sent"] * 3
    assert [path for path, _ in received()] == [
        "/api/commerce/trackPurchase",
        "/api/users/bulkUpdate",
    ]
    assert len(received()[1][1]["users"]) == 2
