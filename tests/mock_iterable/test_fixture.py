"""The `mock_iterable` pytest fixture, registered through the package's pytest11 entry point."""

from __future__ import annotations

from importlib.metadata import entry_points

import requests

from mock_iterable.server import RunningFake, running_fake

SUCCESS = {"msg": "", "code": "Success", "params": None}


def test_the_plugin_is_registered_as_a_pytest11_entry_point():
    plugins = {e.name: e.value for e in entry_points(group="pytest11")}
    assert plugins.get("mock_iterable") == "mock_iterable.testing"


def test_the_fixture_yields_a_running_fake_over_real_http(mock_iterable):
    assert isinstance(mock_iterable, RunningFake)
    assert mock_iterable.url.startswith("http://127.0.0.1:")
    key = {"Api-Key": mock_iterable.api_key}
    created = requests.post(
        f"{mock_iterable.url}/api/users/update",
        json={"email": "a@b.com", "dataFields": {"name": "Caio"}},
        headers=key,
    )
    assert (created.status_code, created.json()) == (200, SUCCESS)
    tracked = requests.post(
        f"{mock_iterable.url}/api/events/track",
        json={"email": "a@b.com", "eventName": "opened"},
        headers=key,
    )
    assert tracked.status_code == 200

    dump = mock_iterable.dump()
    assert [u["dataFields"]["name"] for u in dump["users"]] == ["Caio"]
    assert [e["eventName"] for e in dump["events"]] == ["opened"]
    assert (
        dump
        == requests.get(f"{mock_iterable.url}/_mock/projects/{mock_iterable.api_key}/state").json()
    )


def test_the_fixture_rejects_other_keys(mock_iterable):
    response = requests.get(
        f"{mock_iterable.url}/api/users/a@b.com",
        headers={"Api-Key": "not-" + mock_iterable.api_key},
    )
    assert response.status_code == 401
    assert response.json()["code"] == "BadApiKey"


def test_the_fixture_is_an_email_based_project(mock_iterable):
    assert mock_iterable.dump()["settings"]["projectType"] == "email"


def test_each_test_gets_a_fresh_fake(mock_iterable):
    # Runs after the test above that created a@b.com: nothing carried over.
    assert mock_iterable.dump()["users"] == []
    assert (
        requests.get(
            f"{mock_iterable.url}/api/users/a@b.com", headers={"Api-Key": mock_iterable.api_key}
        ).json()
        == {}
    )


def test_reset_empties_the_fake(mock_iterable):
    requests.post(
        f"{mock_iterable.url}/api/users/update",
        json={"email": "a@b.com"},
        headers={"Api-Key": mock_iterable.api_key},
    )
    mock_iterable.reset()
    assert mock_iterable.dump()["users"] == []


def test_the_fixtures_context_manager_stops_the_fake_on_exit():
    with running_fake() as fake:
        url = fake.url
        assert requests.get(f"{url}/_mock/health", timeout=5).status_code == 200
    try:
        requests.get(f"{url}/_mock/health", timeout=2)
    except requests.ConnectionError:
        return
    raise AssertionError("the fake still answers after its context ended")
