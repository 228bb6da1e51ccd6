"""The fake's own admin API under /_mock: health, resets, projects, state dumps, the journal."""

from __future__ import annotations

import json

import pytest

from mock_iterable import ProjectSettings, ServerConfig

from .helpers import (
    API_KEY,
    SUCCESS,
    assert_error,
    get_user,
    item,
    make_app_client,
    state,
    track,
    update_user,
)


def _journal(client, **params) -> list[dict]:
    response = client.get("/_mock/journal", query_string=params)
    assert response.status_code == 200
    return response.get_json()["entries"]


# ------------------------------------------------------------------ health and reset


def test_health_reports_ok_with_counts(client):
    update_user(client, email="a@b.com")
    body = client.get("/_mock/health").get_json()
    assert body["status"] == "ok"
    assert body["projects"] == 1
    assert body["journalEntries"] == 1


def test_admin_routes_need_no_api_key(client):
    response = client.get("/_mock/health", headers={"Api-Key": "wrong"})
    assert response.status_code == 200


def test_reset_empties_every_project_and_the_journal_but_keeps_keys_and_settings():
    client = make_app_client(
        ServerConfig(
            projects={
                API_KEY: ProjectSettings(project_type="hybrid"),
                "other": ProjectSettings(disallowed_event_names=["x"]),
            }
        )
    )
    update_user(client, email="a@b.com", dataFields={"n": 1})
    other = client.post(
        "/api/users/update", json={"email": "o@b.com"}, headers={"Api-Key": "other"}
    )
    assert other.status_code == 200

    response = client.post("/_mock/reset")
    assert (response.status_code, response.get_json()) == (200, {"reset": "all"})

    assert _journal(client) == []
    assert get_user(client, "a@b.com") == {}
    assert state(client, "other")["users"] == []
    assert state(client)["settings"]["projectType"] == "hybrid"
    assert state(client, "other")["settings"]["disallowedEventNames"] == ["x"]
    # Field types are forgotten too: "n" may now be a string.
    update_user(client, email="a@b.com", dataFields={"n": "text"})


def test_reset_of_one_project_leaves_the_others_alone():
    client = make_app_client(
        ServerConfig(projects={API_KEY: ProjectSettings(), "other": ProjectSettings()})
    )
    update_user(client, email="a@b.com")
    client.post("/api/users/update", json={"email": "o@b.com"}, headers={"Api-Key": "other"})
    response = client.post(f"/_mock/projects/{API_KEY}/reset")
    assert (response.status_code, response.get_json()) == (200, {"reset": API_KEY})
    assert state(client)["users"] == []
    assert [u["email"] for u in state(client, "other")["users"]] == ["o@b.com"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/_mock/projects/nope"),
        ("post", "/_mock/projects/nope/reset"),
        ("get", "/_mock/projects/nope/state"),
    ],
)
def test_an_unknown_project_key_is_404(client, method, path):
    response = getattr(client, method)(path)
    assert_error(response, 404, "NotFound", "No project has the API key 'nope'", None)


# ------------------------------------------------------------------ projects


def test_projects_lists_each_key_with_its_settings_and_counts(client):
    update_user(client, email="a@b.com")
    track(client, email="a@b.com", eventName="e")
    (project,) = client.get("/_mock/projects").get_json()["projects"]
    assert project["apiKey"] == API_KEY
    assert isinstance(project["projectId"], int)
    assert project["settings"]["projectType"] == "email"
    assert project["counts"] == {"users": 1, "events": 1}


def test_creating_a_project_returns_201_and_the_key_works(client):
    response = client.post(
        "/_mock/projects",
        json={"apiKey": "new-key", "projectType": "hybrid", "disallowedEventNames": ["spam"]},
    )
    assert response.status_code == 201
    created = response.get_json()
    assert created["apiKey"] == "new-key"
    assert created["settings"]["projectType"] == "hybrid"
    assert created["settings"]["disallowedEventNames"] == ["spam"]
    assert created["counts"] == {"users": 0, "events": 0}
    assert client.get("/_mock/projects/new-key").get_json() == created

    key = {"Api-Key": "new-key"}
    hybrid = client.post("/api/users/update", json={"userId": "u1"}, headers=key)
    assert (hybrid.status_code, hybrid.get_json()) == (200, SUCCESS)
    spam = client.post("/api/events/track", json={"userId": "u1", "eventName": "spam"}, headers=key)
    assert "disallowed" in spam.get_json()["msg"]
    keys = [p["apiKey"] for p in client.get("/_mock/projects").get_json()["projects"]]
    assert sorted(keys) == sorted([API_KEY, "new-key"])


def test_a_project_accepts_snake_case_settings(client):
    response = client.post(
        "/_mock/projects", json={"apiKey": "k2", "delete_unknown_user_errors": False}
    )
    assert response.status_code == 201
    deleted = client.delete("/api/users/nobody@b.com", headers={"Api-Key": "k2"})
    assert (deleted.status_code, deleted.get_json()) == (200, SUCCESS)


def test_creating_an_existing_key_replaces_and_empties_that_project(client):
    update_user(client, email="a@b.com")
    response = client.post("/_mock/projects", json={"apiKey": API_KEY, "projectType": "userId"})
    assert response.status_code == 201
    assert response.get_json()["counts"] == {"users": 0, "events": 0}
    assert state(client)["settings"]["projectType"] == "userId"
    assert get_user(client, "a@b.com") == {}


@pytest.mark.parametrize(
    ("body", "msg"),
    [
        ({}, "Body must be an object with a non-empty string apiKey"),
        ({"apiKey": ""}, "Body must be an object with a non-empty string apiKey"),
        ({"apiKey": 5}, "Body must be an object with a non-empty string apiKey"),
        ([], "Body must be an object with a non-empty string apiKey"),
        ({"apiKey": "k", "colour": "red"}, "unknown project setting(s): colour"),
        (
            {"apiKey": "k", "projectType": "phone"},
            "project_type must be one of email, userId, hybrid, not 'phone'",
        ),
    ],
)
def test_creating_a_project_with_a_bad_body_is_bad_params(client, body, msg):
    response = client.post("/_mock/projects", json=body)
    assert_error(response, 400, "BadParams", msg)
    keys = [p["apiKey"] for p in client.get("/_mock/projects").get_json()["projects"]]
    assert keys == [API_KEY]


def test_creating_a_project_with_invalid_json_is_bad_json_body(client):
    response = client.post("/_mock/projects", data="{oops", content_type="application/json")
    body = assert_error(response, 400, "BadJsonBody", "[/_mock/projects] Invalid JSON body")
    assert body["params"]["obj"].startswith("Invalid Json")


# ------------------------------------------------------------------ state dump


def test_state_dump_shows_users_events_purchases_and_carts(client):
    update_user(client, email="a@b.com", dataFields={"n": 1})
    track(client, email="a@b.com", eventName="opened", id="ev1")
    cart = client.post(
        "/api/commerce/updateCart", json={"user": {"email": "b@b.com"}, "items": [item()]}
    )
    assert cart.status_code == 200
    bought = client.post(
        "/api/commerce/trackPurchase",
        json={"id": "order-1", "user": {"email": "a@b.com"}, "items": [item()], "total": 4.99},
    )
    assert bought.status_code == 200

    dump = state(client)
    assert isinstance(dump["projectId"], int)
    assert dump["settings"]["projectType"] == "email"
    assert sorted(u["email"] for u in dump["users"]) == ["a@b.com", "b@b.com"]
    (a_user,) = [u for u in dump["users"] if u["email"] == "a@b.com"]
    assert a_user == get_user(client, "a@b.com")
    assert sorted((e["eventName"], e["email"]) for e in dump["events"]) == [
        ("opened", "a@b.com"),
        ("updateCart", "b@b.com"),
    ]
    assert [(p["id"], p["total"], p["email"]) for p in dump["purchases"]] == [
        ("order-1", 4.99, "a@b.com")
    ]
    # The purchase emptied a@b.com's cart; only b@b.com still has one.
    assert dump["carts"] == {"b@b.com": [item()]}


def test_state_dump_of_an_empty_project(client):
    dump = state(client)
    assert (dump["users"], dump["events"], dump["purchases"], dump["carts"]) == ([], [], [], {})


# ------------------------------------------------------------------ journal


def test_the_journal_records_api_calls_newest_last(client):
    update_user(client, email="a@b.com", dataFields={"n": 1})
    client.get("/api/users/a@b.com")
    client.post("/api/users/update", json={"email": "000"})
    entries = _journal(client)
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/api/users/update", 200),
        ("GET", "/api/users/a@b.com", 200),
        ("POST", "/api/users/update", 400),
    ]
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(seqs)
    first, _, last = entries
    assert first["requestBody"] == {"email": "a@b.com", "dataFields": {"n": 1}}
    assert first["responseBody"] == SUCCESS
    assert first["projectId"] == state(client)["projectId"]
    assert last["responseBody"]["code"] == "InvalidEmailAddressError"


def test_the_journal_records_rejected_keys_without_a_project(client):
    client.get("/api/users/a@b.com", headers={"Api-Key": "wrong"})
    (entry,) = _journal(client)
    assert (entry["status"], entry["projectId"]) == (401, None)


def test_the_journal_skips_admin_calls(client):
    client.get("/_mock/health")
    client.get("/_mock/projects")
    assert _journal(client) == []


def test_the_journal_filters_by_path_prefix_and_limits_to_the_newest(client):
    for n in range(3):
        track(client, email="a@b.com", eventName=f"e{n}")
    update_user(client, email="a@b.com")
    events = _journal(client, path="/api/events")
    assert [e["requestBody"]["eventName"] for e in events] == ["e0", "e1", "e2"]
    newest = _journal(client, path="/api/events", limit=2)
    assert [e["requestBody"]["eventName"] for e in newest] == ["e1", "e2"]
    assert [e["path"] for e in _journal(client, limit=1)] == ["/api/users/update"]


def test_the_journal_keeps_only_journal_size_entries():
    client = make_app_client(ServerConfig(projects={API_KEY: ProjectSettings()}, journal_size=3))
    for n in range(5):
        track(client, email="a@b.com", eventName=f"e{n}")
    entries = _journal(client)
    assert [e["requestBody"]["eventName"] for e in entries] == ["e2", "e3", "e4"]
    assert client.get("/_mock/health").get_json()["journalEntries"] == 3


def test_the_journal_redacts_the_api_key_query_parameter():
    client = make_app_client(
        ServerConfig(projects={"sekrit-key-123": ProjectSettings()}), api_key=None
    )
    response = client.get(
        "/api/users/a@b.com", query_string={"api_key": "sekrit-key-123", "other": "kept"}
    )
    assert response.status_code == 200
    client.get("/api/users/a@b.com", headers={"Api-Key": "sekrit-key-123"})
    entries = _journal(client)
    assert entries[0]["query"] == {"api_key": "<redacted>", "other": "kept"}
    assert "sekrit-key-123" not in json.dumps(entries)


def test_clearing_the_journal(client):
    update_user(client, email="a@b.com")
    response = client.delete("/_mock/journal")
    assert (response.status_code, response.get_json()) == (200, {"cleared": True})
    assert _journal(client) == []
    assert get_user(client, "a@b.com")["email"] == "a@b.com"


def test_a_large_body_is_journaled_as_a_size_note(client):
    update_user(client, email="a@b.com", dataFields={"pad": "x" * 20000})
    (entry,) = _journal(client)
    size = entry["requestBody"]
    assert isinstance(size, str)
    assert size.startswith("<") and size.endswith(" bytes, not kept>")


def _strict(name):
    raise AssertionError(f"the journal answered the non-JSON literal {name}")


def test_the_journal_stays_strict_json_after_a_nan_body(client):
    raw = '{"email": "a@b.com", "dataFields": {"x": NaN}}'
    assert (
        client.post("/api/users/update", data=raw, content_type="application/json").status_code
        == 400
    )
    text = client.get("/_mock/journal").get_data(as_text=True)
    entries = json.loads(text, parse_constant=_strict)["entries"]
    assert entries[0]["status"] == 400


def test_journal_limit_must_be_positive(client):
    response = client.get("/_mock/journal?limit=-3")
    assert response.status_code == 400
    assert response.get_json()["msg"] == "limit must be a positive number of entries"


def test_a_deleted_project_loses_its_key(client):
    client.post("/_mock/projects", json={"apiKey": "temp"})
    assert client.get("/api/users/getFields", headers={"Api-Key": "temp"}).status_code == 200
    assert client.delete("/_mock/projects/temp").get_json() == {"deleted": "temp"}
    assert client.get("/api/users/getFields", headers={"Api-Key": "temp"}).status_code == 401
    assert client.delete("/_mock/projects/temp").status_code == 404
