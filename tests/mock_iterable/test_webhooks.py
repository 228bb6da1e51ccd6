"""System webhooks: each event POSTed in Iterable's shape, filtered by type, with auth."""

from __future__ import annotations

from pytest_httpserver import HTTPServer
from werkzeug import Response

from mock_iterable import ProjectSettings, ServerConfig
from mock_iterable.server import running_fake

from .reverse_helpers import API_KEY, Client


def hook_config(url: str, **hook) -> ServerConfig:
    return ServerConfig(projects={API_KEY: ProjectSettings(webhooks=[{"url": url, **hook}])})


def test_each_event_is_posted_in_iterables_webhook_shape(httpserver: HTTPServer):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    with running_fake(hook_config(httpserver.url_for("/hook"), authorization="Basic abc")) as fake:
        client = Client(fake.url)
        client.identify("hook@example.com", "hook-1")
        message_id = client.email_send("hook@example.com", campaign_id=3)
        client.engage(message_id, "emailOpen")
        client.flush()
    bodies = [request.get_json() for request, _ in httpserver.log]
    assert [b["eventName"] for b in bodies] == ["emailSend", "emailOpen"]
    first = bodies[0]
    assert (first["email"], first["userId"]) == ("hook@example.com", "hook-1")
    assert first["dataFields"]["campaignId"] == 3
    assert first["dataFields"]["messageId"] == message_id
    assert first["dataFields"]["createdAt"].endswith(" +00:00")
    assert all(r.headers["Authorization"] == "Basic abc" for r, _ in httpserver.log)


def test_a_webhook_gets_only_the_event_types_it_registered_for(httpserver: HTTPServer):
    httpserver.expect_request("/opens").respond_with_data("ok")
    config = hook_config(httpserver.url_for("/opens"), events=["emailOpen"])
    with running_fake(config) as fake:
        client = Client(fake.url)
        message_id = client.email_send("filter@example.com")
        client.engage(message_id, "emailOpen")
        client.engage(message_id, "emailClick")
        client.flush()
    assert [r.get_json()["eventName"] for r, _ in httpserver.log] == ["emailOpen"]
    assert "userId" not in httpserver.log[0][0].get_json()
    assert "Authorization" not in httpserver.log[0][0].headers


def test_webhooks_are_retried_through_an_outage(httpserver: HTTPServer):
    statuses = iter([503, 503, 503])
    received: list[str] = []

    def receiver(request):
        status = next(statuses, 200)
        if status == 200:
            received.append(request.get_json()["eventName"])
        return Response("", status=status)

    httpserver.expect_request("/hook").respond_with_handler(receiver)
    with running_fake(hook_config(httpserver.url_for("/hook"))) as fake:
        client = Client(fake.url)
        message_id = client.email_send("retry@example.com")
        client.engage(message_id, "emailBounce")
        client.flush()
    assert received == ["emailSend", "emailBounce"]


def test_webhooks_are_managed_through_the_admin_api(httpserver: HTTPServer):
    httpserver.expect_request("/late").respond_with_data("ok")
    with running_fake() as fake:
        client = Client(fake.url)
        client.session.headers["Api-Key"] = fake.api_key
        admin = f"{fake.url}/_mock/projects/{fake.api_key}/webhooks"
        added = client.session.post(admin, json={"url": httpserver.url_for("/late")})
        assert added.status_code == 201
        assert client.session.get(admin).json()["webhooks"] == [
            {"url": httpserver.url_for("/late"), "events": []}
        ]
        bad = client.session.post(admin, json={"url": 5})
        assert (bad.status_code, bad.json()["code"]) == (400, "BadParams")
        client.post("/api/email/target", {"campaignId": 1, "recipientEmail": "w@example.com"})
        client.flush()
        assert client.session.delete(admin).json() == {"webhooks": []}
    assert len(httpserver.log) == 1
