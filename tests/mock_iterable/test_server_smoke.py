"""The fake started from the command line answers over real HTTP and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests


@pytest.fixture
def served():
    env = {**os.environ, "MOCK_ITERABLE_API_KEYS": "env-key"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mock_iterable", "serve", "--port", "0", "--api-key", "cli-key"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    line = proc.stdout.readline()
    assert "listening on http://127.0.0.1:" in line, line
    url = line.split("listening on ")[1].split()[0]
    yield proc, url
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_reference_examples_over_real_http(served):
    _, url = served
    key = {"Api-Key": "cli-key"}
    created = requests.post(
        f"{url}/api/users/update",
        headers=key,
        json={"email": "a@b.com", "dataFields": {"name": "Caio"}},
    )
    assert (created.status_code, created.json()) == (
        200,
        {"msg": "", "code": "Success", "params": None},
    )
    missing = requests.get(f"{url}/api/users/nobody@b.com", headers=key)
    assert (missing.status_code, missing.json()) == (200, {})
    mismatch = requests.post(
        f"{url}/api/users/update",
        headers=key,
        json={"email": "a@b.com", "dataFields": {"signupDate": "GGG"}},
    )
    assert mismatch.status_code == 400
    assert mismatch.json()["code"] == "RequestFieldsTypesMismatched"
    bad_key = requests.get(f"{url}/api/users/a@b.com", headers={"Api-Key": "wrong"})
    assert bad_key.status_code == 401
    assert bad_key.json() == {
        "msg": "Invalid API key",
        "code": "BadApiKey",
        "params": {"ip": "127.0.0.1", "endpoint": "/api/users/a@b.com"},
    }


def test_every_key_form_works_over_real_http(served):
    _, url = served
    # Underscore headers survive the WSGI server (waitress would drop them).
    for headers, params in (
        ({"Api-Key": "cli-key"}, {}),
        ({"Api_Key": "cli-key"}, {}),
        ({"api_key": "cli-key"}, {}),
        ({}, {"api_key": "cli-key"}),
    ):
        response = requests.get(f"{url}/api/users/getFields", headers=headers, params=params)
        assert response.status_code == 200, (headers, params)


def test_flags_win_over_environment(served):
    _, url = served
    response = requests.get(f"{url}/api/users/getFields", headers={"Api-Key": "env-key"})
    assert response.status_code == 401


def test_stops_cleanly_on_sigterm(served):
    proc, url = served
    assert requests.get(f"{url}/_mock/health").json()["status"] == "ok"
    proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.returncode == 0
    assert "mock_iterable stopped" in proc.stdout.read()


def test_reference_section_8_pairs_over_real_http(served):
    """Every request/response pair in reference §8, against the server the CLI started."""
    _, url = served
    session = requests.Session()
    session.headers["Api-Key"] = "cli-key"

    def post(path: str, body: dict) -> tuple[int, dict]:
        response = session.post(f"{url}{path}", json=body)
        return response.status_code, response.json()

    assert post("/api/users/update", {"email": "a@b.com", "dataFields": {"name": "Caio"}}) == (
        200,
        {"msg": "", "code": "Success", "params": None},
    )
    assert session.get(f"{url}/api/users/missing@b.com").json() == {}

    status, body = post(
        "/api/users/update", {"email": "a@b.com", "dataFields": {"signupDate": "GGG"}}
    )
    assert status == 400
    assert body["msg"].endswith(
        "Field 'signupDate' already exists for type 'user' and has a data type of 'date' but "
        "possible types 'string, keyword' in the request."
    )
    assert body["params"] == {
        "validationErrors": {
            "signupDate": {
                "incomingTypes": ["string", "keyword"],
                "expectedType": "date",
                "_type": "UnexpectedType",
                "offendingValue": "GGG",
                "category": "user",
            }
        }
    }

    assert post(
        "/api/users/updateEmail",
        {"currentEmail": "x@y.com", "currentUserId": "u1", "newEmail": "z@y.com"},
    ) == (
        400,
        {
            "msg": "Cannot change user Some(x@y.com) to z@y.com. User does not exist",
            "code": "BadParams",
            "params": None,
        },
    )

    status, created = post("/api/lists", {"name": "List One"})
    list_id = created["listId"]
    assert (status, list(created)) == (200, ["listId"])
    assert post("/api/lists/subscribe", {"listId": list_id, "subscribers": [{"email": "a@b.com"}]})[
        1
    ] | {"failedUpdates": None} == {
        "successCount": 1,
        "failCount": 0,
        "invalidEmails": [],
        "invalidUserIds": [],
        "failedUpdates": None,
    }
    deleted = session.delete(f"{url}/api/lists/{list_id}")
    project_id = deleted.json()["msg"].split("in Project ")[1].split()[0]
    assert deleted.json() == {
        "msg": f"List {list_id} in Project {project_id} was successfully deleted.",
        "code": "Success",
        "params": None,
    }

    assert post(
        "/api/events/trackBulk",
        {"events": [{"email": "sayan", "eventName": "e"}, {"email": "a@b.com", "eventName": "e"}]},
    ) == (
        200,
        {
            "successCount": 1,
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
        },
    )

    session.post(f"{url}/_mock/faults", json={"effect": "status", "status": 429, "times": 1})
    assert post("/api/events/track", {"email": "a@b.com", "eventName": "e"}) == (
        429,
        {"msg": "Exceeded rate limit.", "code": "RateLimitExceeded"},
    )

    unknown = requests.get(f"{url}/api/experiments/metrics", headers={"Api-Key": "nope"})
    assert (unknown.status_code, unknown.json()) == (
        401,
        {
            "msg": "Invalid API key",
            "code": "BadApiKey",
            "params": {"ip": "127.0.0.1", "endpoint": "/api/experiments/metrics"},
        },
    )

    purchase = {
        "id": "order-1",
        "user": {"email": "a@b.com", "dataFields": {"tier": "gold"}, "mergeNestedObjects": False},
        "items": [
            {
                "id": "TOY1",
                "sku": "RR123",
                "name": "Red Racecar",
                "description": "A car",
                "categories": ["Toy"],
                "price": 4.99,
                "quantity": 1,
                "imageUrl": "https://x.example/i.png",
                "url": "https://x.example/p",
                "dataFields": {"color": "red"},
            }
        ],
        "total": 4.99,
        "createdAt": 1700000000,
        "dataFields": {"coupon": "X"},
        "campaignId": 123,
        "templateId": 456,
    }
    status, body = post("/api/commerce/trackPurchase", purchase)
    assert (status, body["code"]) == (200, "Success")
