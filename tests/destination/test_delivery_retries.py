"""Delivery: which failures are retried, how long the destination waits, what it reports."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from destination import IterableDestination, Settings
from destination.client import IterableClient
from destination.errors import SettingsError

from .conftest import SUCCESS, settings_for

TRACK = {"type": "track", "event": "Signed Up", "userId": "u-1", "messageId": "m-1"}
RATE_LIMITED = {"msg": "Exceeded rate limit.", "code": "RateLimitExceeded"}


def respond_in_turn(httpserver, *responses):
    for body, status, headers in responses:
        httpserver.expect_oneshot_request("/api/events/track").respond_with_json(
            body, status=status, headers=headers
        )


def test_429_waits_for_retry_after_then_succeeds(httpserver, make_destination, sleeps):
    respond_in_turn(httpserver, (RATE_LIMITED, 429, {"Retry-After": "7"}), (SUCCESS, 200, {}))

    result = make_destination().send(TRACK)

    assert result.status == "sent"
    assert len(httpserver.log) == 2
    assert sleeps == [7.0]


def test_retry_after_as_http_date_is_honoured(httpserver, make_destination, sleeps):
    retry_at = formatdate(time.time() + 30, usegmt=True)
    respond_in_turn(httpserver, (RATE_LIMITED, 429, {"Retry-After": retry_at}), (SUCCESS, 200, {}))

    make_destination().send(TRACK)

    assert len(sleeps) == 1
    assert 20.0 < sleeps[0] <= 30.0


def test_two_500s_then_200_is_sent_after_three_attempts(httpserver, make_destination, sleeps):
    error = {"msg": "boom", "code": "GenericError", "params": None}
    respond_in_turn(httpserver, (error, 500, {}), (error, 500, {}), (SUCCESS, 200, {}))

    result = make_destination().send(TRACK)

    assert result.status == "sent"
    assert len(httpserver.log) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("status", [408, 502, 503])
def test_timeouts_and_server_errors_are_retried(httpserver, make_destination, status):
    respond_in_turn(httpserver, ({"msg": "later", "code": "GenericError"}, status, {}))
    respond_in_turn(httpserver, (SUCCESS, 200, {}))

    assert make_destination().send(TRACK).status == "sent"
    assert len(httpserver.log) == 2


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, {"msg": "Invalid email: sayan", "code": "InvalidEmailAddressError", "params": None}),
        (401, {"msg": "Invalid API key", "code": "BadApiKey", "params": {"ip": "127.0.0.1"}}),
        (409, {"msg": "Email/userId conflict", "code": "ExternalKeyConflict", "params": None}),
    ],
)
def test_other_4xx_fail_at_once_with_iterables_code_and_msg(
    httpserver, make_destination, sleeps, status, body
):
    httpserver.expect_request("/api/events/track").respond_with_json(body, status=status)

    result = make_destination().send(TRACK)

    assert result.status == "failed"
    assert (result.http_status, result.code, result.message) == (status, body["code"], body["msg"])
    assert result.path == "/api/events/track"
    assert len(httpserver.log) == 1
    assert sleeps == []


def test_gives_up_after_max_retries_with_the_last_error(httpserver, make_destination, sleeps):
    httpserver.expect_request("/api/events/track").respond_with_json(RATE_LIMITED, status=429)

    result = make_destination(max_retries=2).send(TRACK)

    assert result.status == "failed"
    assert (result.http_status, result.code) == (429, "RateLimitExceeded")
    assert len(httpserver.log) == 3
    assert len(sleeps) == 2


def test_connection_errors_are_retried_then_reported(sleeps):
    settings = Settings(api_key="k", endpoint="http://127.0.0.1:9", max_retries=2, timeout=2)
    with IterableDestination(settings, sleep=sleeps.append) as destination:
        result = destination.send(TRACK)

    assert result.status == "failed"
    assert result.http_status is None
    assert "ConnectionError" in result.message
    assert result.failure_kind == "no response"
    assert len(sleeps) == 2


@pytest.mark.parametrize(("jitter", "expected"), [(1.0, [1.0, 2.0, 4.0]), (0.0, [0.5, 1.0, 2.0])])
def test_backoff_doubles_with_jitter_between_half_and_full(httpserver, jitter, expected):
    httpserver.expect_request("/api/events/track").respond_with_json({}, status=503)
    sleeps = []
    settings = settings_for(httpserver, backoff_base=1.0, max_retries=3)
    client = IterableClient(settings, sleep=sleeps.append, jitter=lambda: jitter)

    reply = client.post("/api/events/track", {"eventName": "x"})

    assert reply.status == 503
    assert len(httpserver.log) == 4
    assert sleeps == expected


def test_retry_after_is_a_minimum_not_a_cap(httpserver):
    headers = {"Retry-After": "0"}
    httpserver.expect_request("/api/events/track").respond_with_json(
        {}, status=503, headers=headers
    )
    sleeps = []
    settings = settings_for(httpserver, backoff_base=2.0, max_retries=1)

    IterableClient(settings, sleep=sleeps.append, jitter=lambda: 1.0).post("/api/events/track", {})

    assert sleeps == [2.0]


def test_missing_api_key_is_a_clear_error_at_start_up():
    with pytest.raises(SettingsError, match="API key"):
        IterableDestination(Settings(api_key=""))
