"""Reference §7 items 33-37: POST /api/users/updateEmail."""

from __future__ import annotations

import pytest

from .helpers import (
    SUCCESS,
    assert_error,
    events_of,
    freeze_clock,
    get_user,
    get_user_by_id,
    make_client,
    track,
    update_user,
)

PATH = "/api/users/updateEmail"


def _update_email(client, **body):
    response = client.post(PATH, json=body)
    assert (response.status_code, response.get_json()) == (200, SUCCESS)


def test_update_email_moves_the_profile_and_its_events(client):
    update_user(client, email="a@b.com", userId="u1", dataFields={"name": "Caio", "n": 1})
    track(client, email="a@b.com", eventName="opened", dataFields={"k": 1})
    _update_email(client, currentEmail="a@b.com", newEmail="z@y.com")

    assert client.get("/api/users/a@b.com").get_json() == {}
    user = get_user(client, "z@y.com")
    assert user["email"] == "z@y.com"
    assert user["userId"] == "u1"
    fields = user["dataFields"]
    assert (fields["name"], fields["n"], fields["userId"]) == ("Caio", 1, "u1")
    assert fields["email"] == "z@y.com"
    assert fields["itblInternal"]["emailDomain"] == "y.com"
    assert get_user_by_id(client, "u1")["email"] == "z@y.com"

    events = events_of(client, "z@y.com")
    assert [(e["eventName"], e["email"], e["dataFields"]) for e in events] == [
        ("opened", "z@y.com", {"k": 1})
    ]
    assert events_of(client, "a@b.com") == []


def test_update_email_keeps_list_memberships(client):
    list_id = client.post("/api/lists", json={"name": "Newsletter"}).get_json()["listId"]
    subscribed = client.post(
        "/api/lists/subscribe", json={"listId": list_id, "subscribers": [{"email": "a@b.com"}]}
    )
    assert subscribed.get_json()["successCount"] == 1
    _update_email(client, currentEmail="a@b.com", newEmail="z@y.com")
    assert get_user(client, "z@y.com")["dataFields"]["emailListIds"] == [list_id]


def test_the_moved_profile_is_a_new_document(client):
    clock = freeze_clock(client, 1_700_000_000)
    update_user(client, email="a@b.com")
    clock.now = 1_700_000_060
    _update_email(client, currentEmail="a@b.com", newEmail="z@y.com")
    fields = get_user(client, "z@y.com")["dataFields"]
    moved = "2023-11-14 22:14:20 +00:00"
    assert fields["signupDate"] == fields["profileUpdatedAt"] == moved
    assert fields["itblInternal"]["documentCreatedAt"] == moved


def test_current_user_id_identifies_the_user(client):
    update_user(client, email="a@b.com", userId="u1", dataFields={"n": 1})
    _update_email(client, currentUserId="u1", newEmail="z@y.com")
    assert get_user(client, "z@y.com")["dataFields"]["n"] == 1
    assert get_user(client, "a@b.com") == {}


def test_current_email_wins_over_current_user_id(client):
    update_user(client, email="a@b.com", userId="ua", dataFields={"who": "a"})
    update_user(client, email="b@b.com", userId="ub", dataFields={"who": "b"})
    _update_email(client, currentEmail="a@b.com", currentUserId="ub", newEmail="z@y.com")
    assert get_user(client, "z@y.com")["dataFields"]["who"] == "a"
    assert get_user(client, "b@b.com")["dataFields"]["who"] == "b"


def test_current_email_wins_even_when_it_is_unknown(client):
    update_user(client, email="b@b.com", userId="ub")
    response = client.post(
        PATH, json={"currentEmail": "x@y.com", "currentUserId": "ub", "newEmail": "z@y.com"}
    )
    assert_error(
        response,
        400,
        "BadParams",
        "Cannot change user Some(x@y.com) to z@y.com. User does not exist",
        None,
    )
    assert get_user(client, "b@b.com")["userId"] == "ub"


def test_an_unknown_current_user_id_is_bad_params(client):
    response = client.post(PATH, json={"currentUserId": "nobody", "newEmail": "z@y.com"})
    assert_error(
        response,
        400,
        "BadParams",
        "Cannot change user Some(nobody) to z@y.com. User does not exist",
        None,
    )
    assert get_user(client, "z@y.com") == {}


def test_a_new_email_that_exists_is_email_already_exists(client):
    update_user(client, email="a@b.com", dataFields={"who": "a"})
    update_user(client, email="b@b.com", dataFields={"who": "b"})
    response = client.post(PATH, json={"currentEmail": "a@b.com", "newEmail": "b@b.com"})
    assert_error(
        response,
        400,
        "EmailAlreadyExists",
        "Cannot change user Some(a@b.com) to b@b.com. New email already exists",
        None,
    )
    assert get_user(client, "a@b.com")["dataFields"]["who"] == "a"
    assert get_user(client, "b@b.com")["dataFields"]["who"] == "b"


def test_a_forgotten_new_email_is_email_already_exists(client):
    update_user(client, email="a@b.com")
    update_user(client, email="gone@b.com")
    assert client.post("/api/users/forget", json={"email": "gone@b.com"}).status_code == 200
    response = client.post(PATH, json={"currentEmail": "a@b.com", "newEmail": "gone@b.com"})
    assert_error(
        response,
        400,
        "EmailAlreadyExists",
        "Cannot change user Some(a@b.com) to gone@b.com. New email is on the forgotten list",
        None,
    )
    assert get_user(client, "a@b.com")["email"] == "a@b.com"


@pytest.mark.parametrize("status", [400, 409])
def test_the_email_already_exists_status_is_a_project_setting(status):
    client = make_client(email_already_exists_status=status)
    update_user(client, email="a@b.com")
    update_user(client, email="b@b.com")
    response = client.post(PATH, json={"currentEmail": "a@b.com", "newEmail": "b@b.com"})
    assert_error(
        response,
        status,
        "EmailAlreadyExists",
        "Cannot change user Some(a@b.com) to b@b.com. New email already exists",
    )


def test_an_invalid_new_email_is_rejected(client):
    update_user(client, email="a@b.com")
    response = client.post(PATH, json={"currentEmail": "a@b.com", "newEmail": "user @x.com"})
    assert_error(response, 400, "InvalidEmailAddressError", "Invalid email: user @x.com", None)
    assert get_user(client, "a@b.com")["email"] == "a@b.com"


def test_a_placeholder_user_becomes_a_real_address_keeping_its_data(client):
    update_user(client, userId="anon1", preferUserId=True, dataFields={"plan": "pro"})
    track(client, userId="anon1", eventName="viewed")
    placeholder = get_user_by_id(client, "anon1")["email"]
    assert placeholder.endswith("@placeholder.email")

    _update_email(client, currentEmail=placeholder, newEmail="real@b.com")

    user = get_user(client, "real@b.com")
    assert user["userId"] == "anon1"
    assert user["dataFields"]["plan"] == "pro"
    assert user["dataFields"]["itblInternal"]["emailDomain"] == "b.com"
    assert [e["eventName"] for e in events_of(client, "real@b.com")] == ["viewed"]
    assert get_user(client, placeholder) == {}


def test_update_email_needs_a_current_identifier(client):
    response = client.post("/api/users/updateEmail", json={"newEmail": "n@example.com"})
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Either currentEmail or currentUserId must be provided.",
        "code": "BadParams",
        "params": None,
    }
