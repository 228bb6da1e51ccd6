"""Fault injection: deterministic and seeded failures that change no state."""

from __future__ import annotations

import pytest
import requests

from mock_iterable.server import running_fake

TRACK = {"email": "f@example.com", "eventName": "e"}


def add_fault(client, **rule):
    response = client.post("/_mock/faults", json=rule)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_fail_twice_then_succeed(client):
    add_fault(client, effect="status", status=500, path="/api/events/track", times=2)
    statuses = [client.post("/api/events/track", json=TRACK).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    events = client.get("/api/events/f@example.com").get_json()["events"]
    assert len(events) == 1


def test_injected_500_has_iterables_generic_error_body(client):
    add_fault(client, effect="status", status=500, times=1)
    response = client.post("/api/users/update", json={"email": "x@example.com"})
    assert response.status_code == 500
    assert response.get_json()["code"] == "GenericError"
    assert client.get("/api/users/x@example.com").get_json() == {}


def test_injected_429_carries_retry_after(client):
    add_fault(client, effect="status", status=429, retryAfter=3, times=1)
    response = client.post("/api/events/track", json=TRACK)
    assert response.status_code == 429
    assert response.get_json() == {
        "msg": "Exceeded rate limit.",
        "code": "RateLimitExceeded",
    }
    assert response.headers["Retry-After"] == "3"


def test_injected_503(client):
    add_fault(client, effect="status", status=503, times=1)
    response = client.get("/api/users/getFields")
    assert response.status_code == 503


def test_rules_match_method_path_and_project(client):
    add_fault(
        client, effect="status", status=500, method="GET", path="/api/users/*", project="other-key"
    )
    assert client.get("/api/users/a@example.com").status_code == 200
    add_fault(client, effect="status", status=500, method="POST", path="/api/users/*", times=1)
    assert client.get("/api/users/a@example.com").status_code == 200
    assert client.post("/api/users/update", json={"email": "a@example.com"}).status_code == 500


def test_probability_under_a_seed_repeats_exactly(client):
    def run() -> list[int]:
        client.delete("/_mock/faults")
        add_fault(client, effect="status", status=500, probability=0.5, seed=7)
        return [client.get("/api/users/getFields").status_code for _ in range(30)]

    first, second = run(), run()
    assert first == second
    assert 0 < first.count(500) < 30


def test_rules_are_listed_with_how_often_they_fired_and_cleared(client):
    add_fault(client, effect="status", status=500, times=2)
    client.get("/api/users/getFields")
    [rule] = client.get("/_mock/faults").get_json()["faults"]
    assert (rule["fired"], rule["remaining"], rule["status"]) == (1, 1, 500)
    assert client.delete("/_mock/faults").get_json() == {"faults": []}
    assert client.get("/api/users/getFields").status_code == 200


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"effect": "explode"}, "effect must be one of"),
        ({"effect": "status", "status": 404}, "status must be one of"),
        ({"effect": "status", "times": "2"}, "times has the wrong type"),
        ({"effect": "status", "times": 1, "probability": 0.5}, "not both"),
        ({"effect": "latency", "latencyMs": -1}, "latencyMs"),
        ({"effect": "drop", "colour": "red"}, "unknown field(s) colour"),
    ],
)
def test_bad_rules_get_a_clear_error(client, rule, message):
    response = client.post("/_mock/faults", json=rule)
    assert response.status_code == 400
    assert response.get_json()["code"] == "BadParams"
    assert message in response.get_json()["msg"]


def test_admin_paths_are_never_faulted(client):
    add_fault(client, effect="status", status=500, path="*")
    assert client.get("/_mock/health").status_code == 200


def test_dropped_connection_and_latency_over_real_http():
    with running_fake() as fake:
        session = requests.Session()
        session.headers["Api-Key"] = fake.api_key
        session.post(
            f"{fake.url}/_mock/faults",
            json={"effect": "drop", "times": 1, "path": "/api/events/track"},
        )
        with pytest.raises(requests.ConnectionError):
            session.post(f"{fake.url}/api/events/track", json=TRACK)
        assert session.post(f"{fake.url}/api/events/track", json=TRACK).status_code == 200
        assert len(fake.dump()["events"]) == 1

        session.post(
            f"{fake.url}/_mock/faults", json={"effect": "latency", "latencyMs": 50, "times": 1}
        )
        slow = session.get(f"{fake.url}/api/users/getFields")
        assert slow.status_code == 200
        assert slow.elapsed.total_seconds() >= 0.05
