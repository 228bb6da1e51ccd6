"""Reference §7 item 56 and bulkUpdate's per-record failures."""

from __future__ import annotations

import pytest

from mock_iterable import ProjectSettings, ServerConfig

from .helpers import (
    API_KEY,
    assert_error,
    data_fields,
    get_user,
    get_user_by_id,
    make_app_client,
    make_client,
    mismatch_msg,
    project_of,
    update_user,
)

PATH = "/api/users/bulkUpdate"
NO_FAILURES = {
    "invalidEmails": [],
    "invalidUserIds": [],
    "notFoundEmails": [],
    "notFoundUserIds": [],
    "invalidDataEmails": [],
    "invalidDataUserIds": [],
    "conflictEmails": [],
    "conflictUserIds": [],
    "forgottenEmails": [],
    "forgottenUserIds": [],
}


def _bulk(client, users, **extra) -> dict:
    response = client.post(PATH, json={"users": users, **extra})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_bulk_update_applies_each_user_and_answers_the_count_object(client):
    update_user(client, email="a@b.com", dataFields={"name": "Caio", "n": 1})
    body = _bulk(
        client,
        [
            {"email": "a@b.com", "dataFields": {"n": 2}},
            {"email": "b@b.com", "userId": "ub", "dataFields": {"n": 3}},
        ],
    )
    assert body == {
        "successCount": 2,
        "failCount": 0,
        "invalidEmails": [],
        "invalidUserIds": [],
        "filteredOutFields": [],
        "createdFields": [],
        "failedUpdates": NO_FAILURES,
    }
    assert data_fields(client, "a@b.com")["name"] == "Caio"
    assert data_fields(client, "a@b.com")["n"] == 2
    assert get_user_by_id(client, "ub")["dataFields"]["n"] == 3


def test_bulk_update_follows_the_single_update_rules(client):
    update_user(client, email="a@b.com", dataFields={"a": {"x": 1}, "gone": 1})
    _bulk(
        client,
        [
            {
                "email": "a@b.com",
                "mergeNestedObjects": True,
                "dataFields": {"a": {"y": 2}, "gone": None},
            },
            {"userId": "anon", "preferUserId": True},
        ],
    )
    fields = data_fields(client, "a@b.com")
    assert fields["a"] == {"x": 1, "y": 2}
    assert "gone" not in fields
    assert get_user_by_id(client, "anon")["email"].endswith("@placeholder.email")


def test_an_empty_bulk_update_succeeds_with_zero_counts(client):
    body = _bulk(client, [])
    assert (body["successCount"], body["failCount"]) == (0, 0)


def test_invalid_identifiers_fail_alone(client):
    body = _bulk(
        client,
        [
            {"email": "shrouti"},
            {"email": "ok@b.com"},
            {"email": "ok2@b.com", "userId": "bad id "},
        ],
    )
    assert (body["successCount"], body["failCount"]) == (1, 2)
    assert body["invalidEmails"] == body["failedUpdates"]["invalidEmails"] == ["shrouti"]
    assert body["invalidUserIds"] == body["failedUpdates"]["invalidUserIds"] == ["bad id "]
    assert get_user(client, "ok@b.com")["email"] == "ok@b.com"
    assert get_user(client, "ok2@b.com") == {}


def test_unknown_user_ids_without_prefer_user_id_are_not_found(client):
    body = _bulk(client, [{"userId": "ghost"}, {"userId": "made", "preferUserId": True}])
    assert (body["successCount"], body["failCount"]) == (1, 1)
    assert body["failedUpdates"] == {**NO_FAILURES, "notFoundUserIds": ["ghost"]}


def test_a_record_without_identifiers_counts_as_a_failure(client):
    body = _bulk(client, [{"dataFields": {"x": 1}}, {"email": "a@b.com"}])
    assert (body["successCount"], body["failCount"]) == (1, 1)
    assert body["failedUpdates"] == NO_FAILURES


def test_hybrid_conflicts_are_listed_and_the_rest_applied(hybrid_client):
    update_user(hybrid_client, email="a@b.com", dataFields={"n": 1})
    update_user(hybrid_client, userId="u9", dataFields={"n": 2})
    update_user(hybrid_client, email="c@b.com", userId="uc")
    body = _bulk(
        hybrid_client,
        [
            {"email": "a@b.com", "userId": "u9", "dataFields": {"n": 3}},
            {"userId": "uc", "dataFields": {"email": "a@b.com"}},
            {"email": "fine@b.com", "userId": "ufine"},
        ],
    )
    assert (body["successCount"], body["failCount"]) == (1, 2)
    # A conflict is listed by the record's email when it has one, else by its userId.
    assert body["failedUpdates"] == {
        **NO_FAILURES,
        "conflictEmails": ["a@b.com"],
        "conflictUserIds": ["uc"],
    }
    assert get_user(hybrid_client, "a@b.com")["dataFields"]["n"] == 1
    assert get_user_by_id(hybrid_client, "u9")["dataFields"]["n"] == 2
    assert get_user_by_id(hybrid_client, "uc")["email"] == "c@b.com"
    assert get_user_by_id(hybrid_client, "ufine")["email"] == "fine@b.com"


def test_forgotten_users_are_listed(hybrid_client):
    update_user(hybrid_client, email="gone@b.com")
    update_user(hybrid_client, userId="goneId")
    for identifier in ({"email": "gone@b.com"}, {"userId": "goneId"}):
        assert hybrid_client.post("/api/users/forget", json=identifier).status_code == 200
    body = _bulk(hybrid_client, [{"email": "gone@b.com"}, {"userId": "goneId"}, {"userId": "ok"}])
    assert (body["successCount"], body["failCount"]) == (1, 2)
    assert body["failedUpdates"] == {
        **NO_FAILURES,
        "forgottenEmails": ["gone@b.com"],
        "forgottenUserIds": ["goneId"],
    }
    assert get_user(hybrid_client, "gone@b.com") == {}


def test_a_type_mismatch_rejects_the_whole_bulk_update(client):
    update_user(client, email="a@b.com", dataFields={"age": 30})
    response = client.post(
        PATH,
        json={
            "users": [
                {"email": "new@b.com", "dataFields": {"age": 31}},
                {"email": "a@b.com", "dataFields": {"age": "old"}},
            ]
        },
    )
    assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(project_of(client).project_id, "age", "user", "long", "string, keyword"),
    )
    assert get_user(client, "new@b.com") == {}
    assert data_fields(client, "a@b.com")["age"] == 30


def test_a_type_set_earlier_in_the_same_batch_is_enforced(client):
    response = client.post(
        PATH,
        json={
            "users": [
                {"email": "a@b.com", "dataFields": {"fresh": 1}},
                {"email": "b@b.com", "dataFields": {"fresh": "x"}},
            ]
        },
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == "RequestFieldsTypesMismatched"
    assert get_user(client, "a@b.com") == {}


def test_more_users_than_allowed_is_batch_too_large():
    client = make_client(max_bulk_users=2)
    users = [{"email": f"u{n}@b.com"} for n in range(3)]
    response = client.post(PATH, json={"users": users})
    assert_error(response, 400, "BatchTooLarge", "At most 2 users may be sent per request.", None)
    assert get_user(client, "u0@b.com") == {}
    assert _bulk(client, users[:2])["successCount"] == 2


def test_the_default_user_limit_is_1000(client):
    users = [{"email": f"u{n}@b.com"} for n in range(1001)]
    response = client.post(PATH, json={"users": users})
    assert_error(
        response, 400, "BatchTooLarge", "At most 1000 users may be sent per request.", None
    )
    assert _bulk(client, users[:1000])["successCount"] == 1000


def _sized_body(size: int) -> str:
    prefix, suffix = '{"users": [{"email": "a@b.com", "dataFields": {"pad": "', '"}}]}'
    raw = prefix + "x" * (size - len(prefix) - len(suffix)) + suffix
    assert len(raw) == size
    return raw


def _client_with_body_limit(limit: int):
    return make_app_client(
        ServerConfig(projects={API_KEY: ProjectSettings()}, max_body_bytes=limit)
    )


def test_a_body_at_the_size_limit_is_accepted():
    client = _client_with_body_limit(2048)
    response = client.post(PATH, data=_sized_body(2048), content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["successCount"] == 1


@pytest.mark.parametrize("limit", [4 * 1024 * 1024, 2048], ids=["default 4 MB", "configured 2 KB"])
def test_a_body_over_the_size_limit_is_413(limit):
    client = _client_with_body_limit(limit)
    response = client.post(PATH, data=_sized_body(limit + 1), content_type="application/json")
    assert_error(
        response,
        413,
        "BatchTooLarge",
        f"[{PATH}] Request body is larger than the limit of {limit} bytes",
        None,
    )
    assert get_user(client, "a@b.com") == {}
