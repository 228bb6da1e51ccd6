"""Static lists (reference §4.13): create, list, delete, subscribe, unsubscribe."""

from __future__ import annotations


def new_list(client, name: str = "Newsletter") -> int:
    response = client.post("/api/lists", json={"name": name})
    assert response.status_code == 200
    return response.get_json()["listId"]


def profile(client, email: str) -> dict:
    return client.get(f"/api/users/{email}").get_json()["user"]["dataFields"]


def test_created_lists_are_listed_newest_first_with_millisecond_created_at(client):
    first, second = new_list(client, "One"), new_list(client, "Two")
    lists = client.get("/api/lists").get_json()["lists"]
    assert {entry["id"] for entry in lists} == {first, second}
    assert all(entry["listType"] == "Standard" for entry in lists)
    assert all(entry["createdAt"] > 10**12 for entry in lists)


def test_subscribe_adds_the_list_to_email_list_ids_and_creates_unknown_users(client):
    list_id = new_list(client)
    response = client.post(
        "/api/lists/subscribe",
        json={
            "listId": list_id,
            "subscribers": [{"email": "sub@example.com", "dataFields": {"a": 1}}],
        },
    )
    # Reference §8: the four counts (plus failedUpdates), nothing else.
    assert response.get_json() | {"failedUpdates": None} == {
        "successCount": 1,
        "failCount": 0,
        "invalidEmails": [],
        "invalidUserIds": [],
        "failedUpdates": None,
    }
    fields = profile(client, "sub@example.com")
    assert fields["emailListIds"] == [list_id]
    assert fields["a"] == 1
    assert fields["unsubscribedChannelIds"] == []


def test_subscribe_reports_invalid_subscribers_and_keeps_the_rest(client):
    list_id = new_list(client)
    body = client.post(
        "/api/lists/subscribe",
        json={"listId": list_id, "subscribers": [{"email": "ok@example.com"}, {"email": "bad"}]},
    ).get_json()
    assert (body["successCount"], body["failCount"], body["invalidEmails"]) == (1, 1, ["bad"])


def test_unknown_list_gets_iterables_quirky_success_coded_400(client):
    response = client.post("/api/lists/subscribe", json={"listId": 999, "subscribers": []})
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "error.lists.invalidListId(999)",
        "code": "Success",
        "params": {"projectId": 10000, "listId": 999},
    }


def test_unsubscribe_removes_the_list_and_records_an_unsubscribe_event(client):
    list_id = new_list(client)
    client.post(
        "/api/lists/subscribe",
        json={"listId": list_id, "subscribers": [{"email": "u@example.com"}]},
    )
    response = client.post(
        "/api/lists/unsubscribe",
        json={"listId": list_id, "subscribers": [{"email": "u@example.com"}], "campaignId": 12},
    )
    assert response.get_json()["successCount"] == 1
    assert profile(client, "u@example.com")["emailListIds"] == []
    events = client.get("/api/events/u@example.com").get_json()["events"]
    assert events[0]["eventType"] == "emailUnSubscribe"
    assert events[0]["dataFields"] == {
        "emailListIds": [list_id],
        "unsubSource": "API",
        "campaignId": 12,
    }


def test_unsubscribing_a_non_member_still_counts_as_success(client):
    list_id = new_list(client)
    client.post("/api/users/update", json={"email": "never@example.com"})
    response = client.post(
        "/api/lists/unsubscribe",
        json={"listId": list_id, "subscribers": [{"email": "never@example.com"}]},
    )
    assert (response.get_json()["successCount"], response.get_json()["failCount"]) == (1, 0)


def test_unsubscribing_an_unknown_user_fails_that_subscriber(client):
    list_id = new_list(client)
    body = client.post(
        "/api/lists/unsubscribe",
        json={"listId": list_id, "subscribers": [{"email": "ghost@example.com"}]},
    ).get_json()
    assert body["failCount"] == 1
    assert body["failedUpdates"]["notFoundEmails"] == ["ghost@example.com"]


def test_delete_list_answers_iterables_message_and_forgets_membership(client):
    list_id = new_list(client)
    client.post(
        "/api/lists/subscribe",
        json={"listId": list_id, "subscribers": [{"email": "d@example.com"}]},
    )
    response = client.delete(f"/api/lists/{list_id}")
    assert response.get_json() == {
        "msg": f"List {list_id} in Project 10000 was successfully deleted.",
        "code": "Success",
        "params": None,
    }
    assert client.get("/api/lists").get_json() == {"lists": []}
    assert profile(client, "d@example.com")["emailListIds"] == []


def test_user_id_projects_keep_membership_in_user_list_ids(userid_client):
    list_id = new_list(userid_client)
    userid_client.post(
        "/api/lists/subscribe", json={"listId": list_id, "subscribers": [{"userId": "u-1"}]}
    )
    user = userid_client.get("/api/users/byUserId/u-1").get_json()["user"]
    assert user["dataFields"]["userListIds"] == [list_id]


def test_update_existing_users_only_skips_unknown_users_in_user_id_projects(userid_client):
    list_id = new_list(userid_client)
    body = userid_client.post(
        "/api/lists/subscribe",
        json={
            "listId": list_id,
            "subscribers": [{"userId": "nobody"}],
            "updateExistingUsersOnly": True,
        },
    ).get_json()
    assert body["failCount"] == 1
    assert body["failedUpdates"]["notFoundUserIds"] == ["nobody"]
    assert userid_client.get("/api/users/byUserId/nobody").status_code == 404
