"""group, alias, malformed events, and the direct update_email call."""

from __future__ import annotations

import pytest

from destination.mapping import translate
from destination.settings import Settings


@pytest.mark.parametrize("kind", ["group", "alias"])
def test_group_and_alias_are_skipped_as_unsupported(deliver, kind):
    event = {"type": kind, "userId": "u-1", "previousId": "old", "groupId": "g"}

    result, sent = deliver(event)

    assert result.status == "skipped"
    assert result.call == kind
    assert result.message.startswith("unsupported: ")
    assert sent == []


def test_alias_skip_points_to_update_email():
    translation = translate({"type": "alias", "userId": "a", "previousId": "b"}, Settings())

    assert "update_email" in translation.skipped


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ([{"type": "track"}], "event must be a JSON object, got array"),
        ("identify", "event must be a JSON object, got string"),
        (None, "event must be a JSON object, got null"),
        ({"userId": "u"}, "type must be one of"),
        ({"type": "Identify", "userId": "u"}, "got 'Identify'"),
    ],
)
def test_malformed_events_get_an_error_not_an_exception(event, message):
    translation = translate(event, Settings())

    assert message in translation.error
    assert translation.requests == []


def test_update_email_by_current_email(httpserver, make_destination, received):
    httpserver.expect_request("/api/users/updateEmail").respond_with_json({"code": "Success"})

    result = make_destination().update_email("new@example.com", current_email="old@example.com")

    assert result.status == "sent"
    assert received() == [
        (
            "/api/users/updateEmail",
            {"currentEmail": "old@example.com", "newEmail": "new@example.com"},
        )
    ]


def test_update_email_by_current_user_id(httpserver, make_destination, received):
    httpserver.expect_request("/api/users/updateEmail").respond_with_json({"code": "Success"})

    make_destination().update_email("new@example.com", current_user_id=77)

    assert received() == [
        ("/api/users/updateEmail", {"currentUserId": "77", "newEmail": "new@example.com"})
    ]


def test_update_email_reports_iterable_error(httpserver, make_destination):
    error = {
        "msg": "Cannot change user Some(old@example.com) to new@example.com. User does not exist",
        "code": "BadParams",
        "params": None,
    }
    httpserver.expect_request("/api/users/updateEmail").respond_with_json(error, status=400)

    result = make_destination().update_email("new@example.com", current_email="old@example.com")

    assert result.status == "failed"
    assert (result.http_status, result.code, result.message) == (400, "BadParams", error["msg"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"new_email": "bad", "current_email": "old@example.com"}, "new_email"),
        ({"new_email": "n@example.com", "current_email": "old"}, "current_email"),
        ({"new_email": "n@example.com"}, "exactly one of current_email or current_user_id"),
        (
            {
                "new_email": "n@example.com",
                "current_email": "o@example.com",
                "current_user_id": "u",
            },
            "exactly one of",
        ),
    ],
)
def test_update_email_validates_before_sending(make_destination, received, arguments, message):
    result = make_destination().update_email(**arguments)

    assert result.status == "failed"
    assert message in result.message
    assert received() == []


def test_destination_translate_is_pure_and_sends_nothing(make_destination, received):
    event = {"type": "track", "event": "Clicked", "userId": "u-1"}

    translation = make_destination().translate(event)

    assert translation.requests == [
        {
            "method": "POST",
            "path": "/api/events/track",
            "body": {"userId": "u-1", "eventName": "Clicked", "dataFields": {}},
        }
    ]
    assert (translation.error, translation.skipped) == (None, None)
    assert received() == []
