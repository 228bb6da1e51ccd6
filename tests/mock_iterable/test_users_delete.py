"""Reference §7 items 38-40: DELETE /api/users/{email} and /api/users/byUserId/{userId}."""

from __future__ import annotations

import pytest

from .helpers import SUCCESS, assert_error, events_of, get_user, make_client, track, update_user


def test_deleting_a_user_by_email_removes_it_and_its_events(client):
    update_user(client, email="a@b.com", dataFields={"n": 1})
    track(client, email="a@b.com", eventName="opened")
    response = client.delete("/api/users/a@b.com")
    assert (response.status_code, response.get_json()) == (200, SUCCESS)
    assert client.get("/api/users/a@b.com").get_json() == {}
    assert events_of(client, "a@b.com") == []


def test_deleting_leaves_other_users_alone(client):
    update_user(client, email="a@b.com")
    update_user(client, email="b@b.com", dataFields={"n": 2})
    assert client.delete("/api/users/a@b.com").status_code == 200
    assert get_user(client, "b@b.com")["dataFields"]["n"] == 2


def test_a_deleted_user_can_be_created_again_from_scratch(client):
    update_user(client, email="a@b.com", dataFields={"n": 1})
    assert client.delete("/api/users/a@b.com").status_code == 200
    update_user(client, email="a@b.com")
    assert "n" not in get_user(client, "a@b.com")["dataFields"]


def test_deleting_by_user_id_answers_iterables_message(client):
    update_user(client, email="a@b.com", userId="u1")
    response = client.delete("/api/users/byUserId/u1")
    assert response.status_code == 200
    assert response.get_json() == {
        "msg": "All users associated with u1 were successfully deleted",
        "code": "Success",
        "params": None,
    }
    assert client.get("/api/users/byUserId/u1").status_code == 404
    assert client.get("/api/users/a@b.com").get_json() == {}


def test_deleting_an_unknown_email_is_bad_params(client):
    response = client.delete("/api/users/nobody@b.com")
    assert_error(
        response, 400, "BadParams", "User does not exist. Email: nobody@b.com UserId: ", None
    )


def test_deleting_an_unknown_user_id_is_bad_params(client):
    response = client.delete("/api/users/byUserId/rudder2")
    assert_error(response, 400, "BadParams", "User does not exist. Email:  UserId: rudder2", None)


def test_deleting_twice_fails_the_second_time(client):
    update_user(client, email="a@b.com")
    assert client.delete("/api/users/a@b.com").status_code == 200
    assert client.delete("/api/users/a@b.com").status_code == 400


@pytest.mark.parametrize(
    ("path", "msg"),
    [
        ("/api/users/nobody@b.com", ""),
        (
            "/api/users/byUserId/nobody",
            "All users associated with nobody were successfully deleted",
        ),
    ],
)
def test_legacy_setting_answers_success_for_unknown_users(path, msg):
    client = make_client(delete_unknown_user_errors=False)
    response = client.delete(path)
    assert response.status_code == 200
    assert response.get_json() == {"msg": msg, "code": "Success", "params": None}


def test_deleting_does_not_forget(client):
    update_user(client, email="a@b.com")
    assert client.delete("/api/users/a@b.com").status_code == 200
    update_user(client, email="a@b.com")
    assert get_user(client, "a@b.com")["email"] == "a@b.com"


def test_identifiers_with_encoded_newlines_still_reach_the_endpoint(client):
    response = client.delete("/api/users/byUserId/a%0Ab")
    assert response.status_code == 400
    assert response.get_json()["msg"] == "User does not exist. Email:  UserId: a\nb"
