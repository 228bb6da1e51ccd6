"""Iterable -> Segment: system events reach Segment's HTTP API as `track` calls."""

from __future__ import annotations

import threading

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from mock_iterable.server import running_fake

from .reverse_helpers import API_KEY, WRITE_KEY, Client, basic_auth, config_for


@pytest.fixture
def loop(httpserver: HTTPServer):
    httpserver.expect_request("/v1/batch", method="POST").respond_with_json({"success": True})
    with running_fake(config_for(httpserver.url_for("/"))) as fake:
        yield Client(fake.url), httpserver


def received_calls(httpserver: HTTPServer) -> list[dict]:
    return [call for request, _ in httpserver.log for call in request.get_json()["batch"]]


def test_send_and_open_arrive_as_named_track_calls_with_identity(loop):
    client, httpserver = loop
    client.identify("ann@example.com", "ann-1")
    message_id = client.email_send("ann@example.com", campaign_id=7)
    assert client.engage(message_id, "emailOpen", userAgent="Mail/1.0").status_code == 201
    assert client.flush()["idle"] is True

    calls = received_calls(httpserver)
    assert [c["event"] for c in calls] == ["Email Delivered", "Email Opened"]
    for call in calls:
        assert call["type"] == "track"
        assert call["userId"] == "ann-1"
        assert "anonymousId" not in call
        assert call["properties"]["campaignId"] == 7
        assert call["properties"]["templateId"] == 7
        assert call["properties"]["messageId"] == message_id
        assert call["messageId"] and call["timestamp"].endswith("Z")
    assert calls[1]["properties"]["userAgent"] == "Mail/1.0"
    assert calls[0]["messageId"] != calls[1]["messageId"]


def test_user_without_user_id_is_sent_as_anonymous_id(loop):
    client, httpserver = loop
    message_id = client.email_send("noid@example.com")
    client.engage(message_id, "emailClick", url="https://shop.example/sale")
    client.flush()
    calls = received_calls(httpserver)
    assert [c["event"] for c in calls] == ["Email Delivered", "Email Link Clicked"]
    assert all(c["anonymousId"] == "noid@example.com" and "userId" not in c for c in calls)
    assert calls[1]["properties"]["url"] == "https://shop.example/sale"


def test_calls_use_basic_auth_with_the_write_key_as_user_name(loop):
    client, httpserver = loop
    client.email_send("auth@example.com")
    client.flush()
    request, _ = httpserver.log[0]
    assert request.headers["Authorization"] == basic_auth(WRITE_KEY)
    assert request.path == "/v1/batch"


@pytest.mark.parametrize(
    ("event", "segment_name"),
    [
        ("emailOpen", "Email Opened"),
        ("emailClick", "Email Link Clicked"),
        ("emailBounce", "Email Bounced"),
        ("emailComplaint", "Email Marked as Spam"),
        ("emailUnSubscribe", "Unsubscribed"),
    ],
)
def test_every_email_engagement_has_its_segment_name(loop, event, segment_name):
    client, httpserver = loop
    message_id = client.email_send("names@example.com")
    assert client.engage(message_id, event).status_code == 201
    client.flush()
    assert [c["event"] for c in received_calls(httpserver)] == ["Email Delivered", segment_name]


def test_push_events_have_their_segment_names(loop):
    client, httpserver = loop
    client.identify("phone@example.com", "phone-1")
    device = {"token": "tok-1", "platform": "APNS", "applicationName": "shop-app"}
    registered = client.post(
        "/api/users/registerDeviceToken", {"email": "phone@example.com", "device": device}
    )
    assert registered.status_code == 200
    sent = client.post("/api/push/target", {"campaignId": 9, "recipientEmail": "phone@example.com"})
    message_id = sent.json()["params"]["messageId"]
    for event in ("pushOpen", "pushBounce", "pushUninstall"):
        assert client.engage(message_id, event).status_code == 201
    client.flush()
    assert [c["event"] for c in received_calls(httpserver)] == [
        "Push Delivered",
        "Push Opened",
        "Push Bounced",
        "Mobile App Uninstalled",
    ]


def test_calls_made_close_together_are_batched(httpserver: HTTPServer):
    gate = threading.Event()
    batches: list[list[dict]] = []

    def slow_segment(request):
        gate.wait(5)  # hold the first delivery so the next events queue up behind it
        batches.append(request.get_json()["batch"])
        return Response("{}", status=200, content_type="application/json")

    httpserver.expect_request("/v1/batch").respond_with_handler(slow_segment)
    with running_fake(config_for(httpserver.url_for("/"))) as fake:
        client = Client(fake.url)
        message_id = client.email_send("batch@example.com")
        for _ in range(20):
            assert client.engage(message_id, "emailOpen").status_code == 201
        gate.set()
        client.flush()
    assert sum(len(batch) for batch in batches) == 21
    assert len(batches) <= 2  # 21 calls in at most two requests: they were batched


def test_outage_503_three_times_then_every_event_arrives_once(httpserver: HTTPServer):
    outcomes = iter([503, 503, 503])
    delivered: list[dict] = []

    def segment(request):
        status = next(outcomes, 200)
        if status == 200:
            delivered.extend(request.get_json()["batch"])
        return Response("{}", status=status, content_type="application/json")

    httpserver.expect_request("/v1/batch").respond_with_handler(segment)
    with running_fake(config_for(httpserver.url_for("/"))) as fake:
        client = Client(fake.url)
        message_id = client.email_send("outage@example.com")
        for _ in range(4):
            client.engage(message_id, "emailOpen")
        assert client.flush()["idle"] is True
        health = client.session.get(f"{fake.url}/_mock/health").json()["forwarding"]
    ids = [call["messageId"] for call in delivered]
    assert len(ids) == 5 and len(set(ids)) == 5
    assert health["destinations"][0]["retries"] >= 3
    assert health["dropped"] == 0


def test_forwarding_never_blocks_the_api_while_segment_is_down():
    # Nothing listens on this port: every attempt fails to connect, and is retried.
    config = config_for("http://127.0.0.1:9", forward_queue_size=3, flush_timeout=0.2)
    with running_fake(config) as fake:
        client = Client(fake.url)
        message_id = client.email_send("down@example.com")
        # More than one batch (100) plus the queue (3) can hold: some must be dropped.
        responses = [client.engage(message_id, "emailOpen") for _ in range(120)]
        assert all(r.status_code == 201 for r in responses)
        health = client.session.get(f"{fake.url}/_mock/health").json()["forwarding"]
    [destination] = health["destinations"]
    assert destination["delivered"] == 0
    assert health["dropped"] >= 121 - 100 - 3
    assert destination["queued"] + health["dropped"] == 121


def test_clean_shutdown_flushes_the_queue(httpserver: HTTPServer):
    httpserver.expect_request("/v1/batch").respond_with_json({"success": True})
    with running_fake(config_for(httpserver.url_for("/"))) as fake:
        client = Client(fake.url)
        message_id = client.email_send("flush@example.com")
        for _ in range(10):
            client.engage(message_id, "emailClick")
    # No explicit flush: leaving the context stops the server, which flushes.
    assert len(received_calls(httpserver)) == 11


def test_no_forwarding_without_segment_settings(httpserver: HTTPServer):
    with running_fake() as fake:
        client = Client(fake.url)
        client.session.headers["Api-Key"] = fake.api_key
        response = client.post(
            "/api/email/target", {"campaignId": 1, "recipientEmail": "quiet@example.com"}
        )
        assert response.status_code == 200
        assert client.flush()["destinations"] == []
    assert httpserver.log == []


def test_segment_settings_can_be_set_through_the_admin_api(httpserver: HTTPServer):
    httpserver.expect_request("/v1/batch").respond_with_json({"success": True})
    with running_fake() as fake:
        client = Client(fake.url)
        client.session.headers["Api-Key"] = fake.api_key
        answer = client.session.put(
            f"{fake.url}/_mock/projects/{fake.api_key}/segment",
            json={"url": httpserver.url_for("/"), "writeKey": "wk2"},
        )
        assert answer.json()["settings"]["segmentWriteKey"] == "wk2"
        client.post("/api/email/target", {"campaignId": 1, "recipientEmail": "late@example.com"})
        client.flush()
    request, _ = httpserver.log[0]
    assert request.headers["Authorization"] == basic_auth("wk2")


def test_legacy_segment_names_are_a_project_setting(httpserver: HTTPServer):
    httpserver.expect_request("/v1/batch").respond_with_json({"success": True})
    config = config_for(httpserver.url_for("/"))
    config.projects[API_KEY].segment_event_names = "legacy"
    with running_fake(config) as fake:
        client = Client(fake.url)
        message_id = client.email_send("legacy@example.com")
        client.engage(message_id, "emailUnSubscribe")
        client.flush()
    assert [c["event"] for c in received_calls(httpserver)] == [
        "Email Delivered",
        "Email Unsubscribed",
    ]
