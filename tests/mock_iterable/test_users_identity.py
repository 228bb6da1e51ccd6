"""Reference §7 items 8-21: who a request is about, per project type, and who gets created."""

from __future__ import annotations

import re

import pytest

from .helpers import (
    SUCCESS,
    assert_error,
    field_types,
    get_user,
    get_user_by_id,
    make_client,
    state,
    update_user,
)

# ------------------------------------------------------------------ 8-10. create and read


def test_update_creates_an_unknown_email_user_readable_by_both_get_forms(client):
    update_user(client, email="a@b.com", dataFields={"name": "Caio"})
    by_path = client.get("/api/users/a@b.com")
    by_query = client.get("/api/users/getByEmail", query_string={"email": "a@b.com"})
    assert by_path.status_code == by_query.status_code == 200
    assert by_path.get_json() == by_query.get_json()
    user = by_path.get_json()["user"]
    assert user["email"] == "a@b.com"
    assert "userId" not in user
    assert user["dataFields"]["name"] == "Caio"


@pytest.mark.parametrize("form", ["path", "query"])
def test_an_unknown_email_reads_as_200_with_an_empty_object(client, form):
    update_user(client, email="someone@b.com")
    if form == "path":
        response = client.get("/api/users/nobody@b.com")
    else:
        response = client.get("/api/users/getByEmail", query_string={"email": "nobody@b.com"})
    assert (response.status_code, response.get_json()) == (200, {})


def test_get_by_email_without_the_parameter_is_bad_params(client):
    response = client.get("/api/users/getByEmail")
    assert_error(
        response,
        400,
        "BadParams",
        "Missing required query parameter: email",
        {"email": "error.path.missing"},
    )


@pytest.mark.parametrize("form", ["path", "query"])
def test_an_unknown_user_id_is_no_user_with_id_exists(client, form):
    if form == "path":
        response = client.get("/api/users/byUserId/nobody")
    else:
        response = client.get("/api/users/byUserId", query_string={"userId": "nobody"})
    assert_error(
        response,
        404,
        "error.users.noUserWithIdExists",
        "No user exists with userId nobody",
        {"userId": "nobody"},
    )


def test_a_known_user_id_reads_by_both_forms(client):
    update_user(client, email="a@b.com", userId="u1")
    by_path = client.get("/api/users/byUserId/u1").get_json()
    by_query = client.get("/api/users/byUserId", query_string={"userId": "u1"}).get_json()
    assert by_path == by_query
    assert by_path["user"]["email"] == "a@b.com"
    assert by_path["user"]["userId"] == "u1"


# ------------------------------------------------------------------ 11-13. invalid identifiers


@pytest.mark.parametrize(
    "email", ["000", "user @example.com", "no-at-sign.com", "a@b", "a@@b.com", "", " a@b.com"]
)
def test_an_invalid_email_is_rejected_and_creates_nothing(client, email):
    response = client.post("/api/users/update", json={"email": email, "dataFields": {"x": 1}})
    assert_error(response, 400, "InvalidEmailAddressError", f"Invalid email: {email}", None)
    assert state(client)["users"] == []
    assert "x" not in field_types(client)


@pytest.mark.parametrize(
    "user_id",
    ["", "x" * 53, "trailing ", "tab\tinside", "bell\x07", "caf\u00e9"],
    ids=["empty", "53 chars", "trailing space", "tab", "non-printable", "non-ascii"],
)
def test_an_invalid_user_id_is_rejected(hybrid_client, user_id):
    response = hybrid_client.post("/api/users/update", json={"userId": user_id})
    assert_error(response, 400, "InvalidUserIdError", f"Invalid userId: {user_id}", None)


def test_a_user_id_of_52_printable_ascii_characters_is_accepted(hybrid_client):
    user_id = "A-z_0.9@" + "x" * 44
    update_user(hybrid_client, userId=user_id)
    assert get_user_by_id(hybrid_client, user_id)["userId"] == user_id


def test_user_ids_are_case_sensitive(hybrid_client):
    update_user(hybrid_client, userId="Abc", dataFields={"n": 1})
    update_user(hybrid_client, userId="abc", dataFields={"n": 2})
    assert get_user_by_id(hybrid_client, "Abc")["dataFields"]["n"] == 1
    assert get_user_by_id(hybrid_client, "abc")["dataFields"]["n"] == 2


@pytest.mark.parametrize("project_type", ["email", "userId", "hybrid"])
def test_a_request_with_neither_email_nor_user_id_is_rejected(project_type):
    client = make_client(project_type=project_type)
    response = client.post("/api/users/update", json={"dataFields": {"x": 1}})
    assert_error(response, 400, "BadParams", "Either email or userId must be provided.", None)


# ------------------------------------------------------------------ 14-18. email-based projects


@pytest.mark.parametrize("body", [{"userId": "u1"}, {"userId": "u1", "preferUserId": False}])
def test_email_project_rejects_an_unknown_user_id_without_prefer_user_id(client, body):
    response = client.post("/api/users/update", json={**body, "dataFields": {"x": 1}})
    assert_error(response, 400, "UnknownUserIdError", "No user exists with userId u1.", None)
    assert client.get("/api/users/byUserId/u1").status_code == 404


def test_prefer_user_id_creates_a_placeholder_email_user(client):
    update_user(client, userId="user123", preferUserId=True, dataFields={"plan": "pro"})
    user = get_user_by_id(client, "user123")
    assert re.fullmatch(r"user123\+\d+@placeholder\.email", user["email"])
    assert user["userId"] == "user123"
    assert user["dataFields"]["plan"] == "pro"
    assert user["dataFields"]["itblInternal"]["emailDomain"] == "placeholder.email"
    # The placeholder address works as an email too.
    assert get_user(client, user["email"])["userId"] == "user123"


def test_prefer_user_id_updates_the_existing_user_instead_of_making_another(client):
    update_user(client, userId="u1", preferUserId=True, dataFields={"n": 1})
    first = get_user_by_id(client, "u1")["email"]
    update_user(client, userId="u1", preferUserId=True, dataFields={"n": 2})
    again = get_user_by_id(client, "u1")
    assert again["email"] == first
    assert again["dataFields"]["n"] == 2


def test_a_known_user_id_alone_updates_that_user_in_an_email_project(client):
    update_user(client, email="a@b.com", userId="u1")
    update_user(client, userId="u1", dataFields={"n": 1})
    assert get_user(client, "a@b.com")["dataFields"]["n"] == 1


def test_email_and_user_id_identify_by_email_and_set_the_user_id(client):
    update_user(client, email="a@b.com", dataFields={"n": 1})
    update_user(client, email="a@b.com", userId="u1")
    user = get_user(client, "a@b.com")
    assert user["userId"] == user["dataFields"]["userId"] == "u1"
    assert user["dataFields"]["n"] == 1
    update_user(client, email="a@b.com", userId="u2")
    user = get_user(client, "a@b.com")
    assert user["userId"] == user["dataFields"]["userId"] == "u2"
    assert client.get("/api/users/byUserId/u1").status_code == 404
    assert get_user_by_id(client, "u2")["email"] == "a@b.com"


def test_data_fields_user_id_sets_the_user_id(client):
    update_user(client, email="a@b.com", dataFields={"userId": "testuser123"})
    user = get_user(client, "a@b.com")
    assert user["userId"] == user["dataFields"]["userId"] == "testuser123"


def test_email_project_allows_duplicate_user_ids(client):
    update_user(client, email="a@b.com", userId="shared")
    response = client.post("/api/users/update", json={"email": "b@b.com", "userId": "shared"})
    assert (response.status_code, response.get_json()) == (200, SUCCESS)
    assert get_user(client, "a@b.com")["userId"] == "shared"
    assert get_user(client, "b@b.com")["userId"] == "shared"


def test_delete_by_user_id_deletes_every_user_with_it(client):
    update_user(client, email="a@b.com", userId="shared")
    update_user(client, email="b@b.com", dataFields={"userId": "shared"})
    update_user(client, email="c@b.com", userId="other")
    response = client.delete("/api/users/byUserId/shared")
    assert response.status_code == 200
    assert get_user(client, "a@b.com") == {}
    assert get_user(client, "b@b.com") == {}
    assert get_user(client, "c@b.com")["userId"] == "other"


# ------------------------------------------------------------------ 19-20. userId and hybrid


def test_hybrid_conflicting_email_and_user_id_is_409_and_changes_nothing(hybrid_client):
    update_user(hybrid_client, email="a@b.com", dataFields={"n": 1})
    update_user(hybrid_client, userId="u9", dataFields={"n": 2})
    response = hybrid_client.post(
        "/api/users/update", json={"email": "a@b.com", "userId": "u9", "dataFields": {"n": 3}}
    )
    assert_error(
        response,
        409,
        "ExternalKeyConflict",
        "Email a@b.com and userId u9 belong to different users.",
        None,
    )
    assert get_user(hybrid_client, "a@b.com")["dataFields"]["n"] == 1
    assert "userId" not in get_user(hybrid_client, "a@b.com")
    assert get_user_by_id(hybrid_client, "u9")["dataFields"]["n"] == 2


def test_hybrid_taking_another_users_email_in_data_fields_is_409(hybrid_client):
    update_user(hybrid_client, email="a@b.com")
    update_user(hybrid_client, userId="u9")
    response = hybrid_client.post(
        "/api/users/update", json={"userId": "u9", "dataFields": {"email": "a@b.com"}}
    )
    assert_error(response, 409, "ExternalKeyConflict", "Email a@b.com belongs to another user.")
    assert get_user_by_id(hybrid_client, "u9")["email"] is None


def test_hybrid_taking_another_users_user_id_in_data_fields_is_409(hybrid_client):
    update_user(hybrid_client, email="a@b.com", userId="u1")
    update_user(hybrid_client, email="b@b.com")
    response = hybrid_client.post(
        "/api/users/update", json={"email": "b@b.com", "dataFields": {"userId": "u1"}}
    )
    assert_error(response, 409, "ExternalKeyConflict", "userId u1 belongs to another user.")
    assert "userId" not in get_user(hybrid_client, "b@b.com")


def test_hybrid_changes_email_through_data_fields(hybrid_client):
    update_user(hybrid_client, email="old@b.com", userId="u1", dataFields={"n": 1})
    update_user(hybrid_client, userId="u1", dataFields={"email": "new@b.com"})
    assert get_user(hybrid_client, "old@b.com") == {}
    user = get_user(hybrid_client, "new@b.com")
    assert user["userId"] == "u1"
    assert user["dataFields"]["email"] == "new@b.com"
    assert user["dataFields"]["n"] == 1


def test_hybrid_email_and_user_id_of_one_user_is_fine(hybrid_client):
    update_user(hybrid_client, email="a@b.com", userId="u1")
    update_user(hybrid_client, email="a@b.com", userId="u1", dataFields={"n": 1})
    assert get_user_by_id(hybrid_client, "u1")["dataFields"]["n"] == 1


@pytest.mark.parametrize("prefer", [None, False, True])
@pytest.mark.parametrize("project_type", ["userId", "hybrid"])
def test_user_id_projects_create_by_user_id_and_ignore_prefer_user_id(project_type, prefer):
    client = make_client(project_type=project_type)
    body = {"userId": "u1", "dataFields": {"n": 1}}
    if prefer is not None:
        body["preferUserId"] = prefer
    update_user(client, **body)
    user = get_user_by_id(client, "u1")
    assert user["email"] is None
    assert user["dataFields"]["n"] == 1


def test_user_id_project_requires_a_known_email_to_identify_by_email(userid_client):
    # The fake's choice: in a userID-based project an email alone never creates a user.
    response = userid_client.post("/api/users/update", json={"email": "a@b.com"})
    assert_error(response, 400, "UnknownEmailError", "No user exists with email a@b.com.", None)
    update_user(userid_client, userId="u1", email="a@b.com")
    update_user(userid_client, email="a@b.com", dataFields={"n": 1})
    assert get_user_by_id(userid_client, "u1")["dataFields"]["n"] == 1


def test_user_id_project_allows_one_email_on_several_users(userid_client):
    update_user(userid_client, userId="u1", email="shared@b.com")
    update_user(userid_client, userId="u2", email="shared@b.com")
    assert get_user_by_id(userid_client, "u1")["email"] == "shared@b.com"
    assert get_user_by_id(userid_client, "u2")["email"] == "shared@b.com"


# ------------------------------------------------------------------ 21. GDPR forget


def _forget(client, **identifier):
    response = client.post("/api/users/forget", json=identifier)
    assert (response.status_code, response.get_json()) == (200, SUCCESS)


def test_forget_removes_the_user(client):
    update_user(client, email="a@b.com", dataFields={"n": 1})
    _forget(client, email="a@b.com")
    assert get_user(client, "a@b.com") == {}


def test_a_forgotten_email_cannot_be_updated_or_tracked(client):
    update_user(client, email="a@b.com")
    _forget(client, email="a@b.com")
    message = "User with email a@b.com has been forgotten."
    update = client.post("/api/users/update", json={"email": "a@b.com"})
    assert_error(update, 409, "ForgottenUserError", message, None)
    tracked = client.post("/api/events/track", json={"email": "a@b.com", "eventName": "e"})
    assert_error(tracked, 409, "ForgottenUserError", message, None)
    assert get_user(client, "a@b.com") == {}


def test_forgetting_by_user_id_blocks_the_user_id_and_the_email(client):
    update_user(client, email="a@b.com", userId="u1")
    _forget(client, userId="u1")
    by_id = client.post("/api/users/update", json={"userId": "u1", "preferUserId": True})
    assert_error(by_id, 409, "ForgottenUserError", "User with userId u1 has been forgotten.")
    by_email = client.post("/api/users/update", json={"email": "a@b.com"})
    assert_error(by_email, 409, "ForgottenUserError", "User with email a@b.com has been forgotten.")


def test_a_never_seen_email_can_be_forgotten_in_advance(hybrid_client):
    _forget(hybrid_client, email="future@b.com")
    response = hybrid_client.post("/api/users/update", json={"email": "future@b.com"})
    assert_error(
        response, 409, "ForgottenUserError", "User with email future@b.com has been forgotten."
    )


def test_unforget_lets_the_user_be_created_again(hybrid_client):
    update_user(hybrid_client, userId="u1", dataFields={"n": 1})
    _forget(hybrid_client, userId="u1")
    response = hybrid_client.post("/api/users/unforget", json={"userId": "u1"})
    assert (response.status_code, response.get_json()) == (200, SUCCESS)
    update_user(hybrid_client, userId="u1")
    # The forgotten profile's data is gone for good.
    assert "n" not in get_user_by_id(hybrid_client, "u1")["dataFields"]


def test_an_email_with_a_trailing_newline_is_invalid(client):
    response = client.post("/api/users/update", json={"email": "a@b.co\n"})
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Invalid email: a@b.co\n",
        "code": "InvalidEmailAddressError",
        "params": None,
    }
