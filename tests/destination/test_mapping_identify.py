"""identify -> POST /api/users/update, checked on the request Iterable receives."""

from __future__ import annotations

import pytest

from destination.mapping import identify_request

from .conftest import API_KEY


def identify(**fields):
    return {"type": "identify", "messageId": "m-1", **fields}


def test_identify_sends_users_update_with_traits_as_data_fields(deliver):
    event = identify(userId="u-1", traits={"email": "ada@example.com", "plan": "pro"})

    result, sent = deliver(event)

    assert result.status == "sent"
    assert result.http_status == 200
    assert sent == [
        (
            "/api/users/update",
            {
                "email": "ada@example.com",
                "userId": "u-1",
                "dataFields": {"email": "ada@example.com", "plan": "pro"},
            },
        )
    ]


def test_request_carries_api_key_header_and_json(httpserver, deliver):
    deliver(identify(userId="u-1"))

    request, _ = httpserver.log[0]
    assert request.headers["Api-Key"] == API_KEY
    assert request.headers["Content-Type"] == "application/json"


def test_numeric_user_id_becomes_a_string(deliver):
    _, sent = deliver(identify(userId=12345, traits={}))

    assert sent[0][1]["userId"] == "12345"


def test_email_falls_back_to_context_traits(deliver):
    event = identify(userId="u-1", context={"traits": {"email": "ctx@example.com"}})

    _, sent = deliver(event)

    assert sent[0][1]["email"] == "ctx@example.com"


def test_traits_email_wins_over_context_traits(deliver):
    event = identify(
        traits={"email": "traits@example.com"}, context={"traits": {"email": "ctx@example.com"}}
    )

    _, sent = deliver(event)

    assert sent[0][1]["email"] == "traits@example.com"


def test_email_shaped_user_id_is_also_the_email(deliver):
    _, sent = deliver(identify(userId="ada@example.com"))

    assert sent[0][1]["email"] == "ada@example.com"
    assert sent[0][1]["userId"] == "ada@example.com"


@pytest.mark.parametrize("extra", [{}, {"anonymousId": "anon-1"}, {"userId": ""}])
def test_event_without_user_id_or_email_is_rejected_and_not_sent(deliver, extra):
    result, sent = deliver(identify(traits={"name": "Ada"}, **extra))

    assert result.status == "failed"
    assert "userId" in result.message
    assert "email" in result.message
    assert sent == []


def test_phone_also_fills_phone_number(deliver):
    _, sent = deliver(identify(userId="u-1", traits={"phone": "+15550100"}))

    assert sent[0][1]["dataFields"] == {"phone": "+15550100", "phoneNumber": "+15550100"}


def test_explicit_phone_number_trait_is_not_overwritten():
    request = identify_request(identify(userId="u", traits={"phone": "1", "phoneNumber": "2"}))

    assert request["body"]["dataFields"]["phoneNumber"] == "2"


def test_merge_nested_objects_absent_unless_given(deliver):
    _, sent = deliver(identify(userId="u-1", integrations={"Iterable": True}))

    assert "mergeNestedObjects" not in sent[0][1]


@pytest.mark.parametrize(
    ("integrations", "expected"),
    [
        ({"Iterable": {"mergeNestedObjects": True}}, True),
        ({"Iterable": {"mergeNestedObjects": False}}, False),
        ({"iterable": {"mergeNestedObjects": True}}, True),
    ],
)
def test_merge_nested_objects_passed_through_when_given(deliver, integrations, expected):
    _, sent = deliver(identify(userId="u-1", integrations=integrations))

    assert sent[0][1]["mergeNestedObjects"] is expected


def test_merge_nested_objects_must_be_boolean(deliver):
    event = identify(userId="u-1", integrations={"Iterable": {"mergeNestedObjects": "yes"}})

    result, sent = deliver(event)

    assert result.status == "failed"
    assert "integrations.Iterable.mergeNestedObjects" in result.message
    assert sent == []


def test_null_traits_are_kept_so_iterable_clears_the_field(deliver):
    _, sent = deliver(identify(userId="u-1", traits={"nickname": None, "phone": None}))

    assert sent[0][1]["dataFields"] == {"nickname": None, "phone": None, "phoneNumber": None}


def test_context_is_not_copied_into_data_fields(deliver):
    context = {"ip": "10.0.0.1", "userAgent": "Mozilla/5.0", "locale": "en-GB"}

    _, sent = deliver(identify(userId="u-1", traits={"plan": "pro"}, context=context))

    assert sent[0][1]["dataFields"] == {"plan": "pro"}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"userId": "u", "traits": {"email": "not-an-email"}}, "traits.email"),
        ({"userId": "u", "traits": {"email": "ada @example.com"}}, "traits.email"),
        ({"userId": "u", "context": {"traits": {"email": 7}}}, "context.traits.email"),
        ({"userId": "x" * 53}, "userId"),
        ({"userId": "trailing "}, "userId"),
        ({"userId": "héllo"}, "userId"),
        ({"userId": ["u"]}, "userId"),
        ({"userId": "u", "traits": ["plan"]}, "traits"),
        ({"userId": "u", "context": "web"}, "context"),
    ],
)
def test_invalid_identity_or_traits_is_an_error_naming_the_field(deliver, fields, named):
    result, sent = deliver(identify(**fields))

    assert result.status == "failed"
    assert named in result.message
    assert sent == []


def test_user_id_of_52_characters_is_accepted():
    request = identify_request(identify(userId="x" * 52))

    assert request["body"]["userId"] == "x" * 52
