"""Reference §7 items 1-7: API keys, the response envelope, malformed bodies, unknown routes."""

from __future__ import annotations

import json

import pytest

from mock_iterable import ProjectSettings, ServerConfig

from .helpers import (
    API_KEY,
    SUCCESS,
    assert_error,
    item,
    keyless_client,
    make_app_client,
    update_user,
)

FIELDS_PATH = "/api/users/getFields"


# ------------------------------------------------------------------ 1-2. API keys


@pytest.mark.parametrize(
    ("headers", "query"),
    [
        ({"Api-Key": API_KEY}, {}),
        ({"Api_Key": API_KEY}, {}),
        ({"api_key": API_KEY}, {}),
        ({}, {"api_key": API_KEY}),
    ],
    ids=["Api-Key header", "Api_Key header", "api_key header", "api_key query"],
)
def test_a_valid_key_is_accepted_in_every_documented_place(headers, query):
    client = keyless_client()
    response = client.get(FIELDS_PATH, headers=headers, query_string=query)
    assert response.status_code == 200
    assert "email" in response.get_json()["fields"]


@pytest.mark.parametrize(
    ("headers", "query"),
    [
        ({}, {}),
        ({"Api-Key": "wrong"}, {}),
        ({"Api-Key": ""}, {}),
        ({}, {"api_key": "wrong"}),
        ({"Api-Key": API_KEY.upper()}, {}),
    ],
    ids=["missing", "wrong header", "empty header", "wrong query", "case differs"],
)
def test_a_missing_or_wrong_key_gets_401_bad_api_key(headers, query):
    client = keyless_client()
    response = client.get("/api/users/a@b.com", headers=headers, query_string=query)
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "msg": "Invalid API key",
        "code": "BadApiKey",
        "params": {"ip": "127.0.0.1", "endpoint": "/api/users/a@b.com"},
    }


def test_a_bad_key_changes_nothing():
    client = keyless_client()
    rejected = client.post(
        "/api/users/update", json={"email": "a@b.com"}, headers={"Api-Key": "wrong"}
    )
    assert rejected.status_code == 401
    found = client.get("/api/users/a@b.com", headers={"Api-Key": API_KEY})
    assert found.get_json() == {}


def test_the_401_names_the_endpoint_that_was_called():
    client = keyless_client()
    response = client.post("/api/events/track", json={"eventName": "x"})
    assert response.get_json()["params"]["endpoint"] == "/api/events/track"


# ------------------------------------------------------------------ 3. success envelope


def _seed(client):
    update_user(client, email="a@b.com", userId="u1")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/users/update", {"email": "new@b.com"}),
        ("post", "/api/users/updateEmail", {"currentEmail": "a@b.com", "newEmail": "c@b.com"}),
        ("post", "/api/events/track", {"email": "a@b.com", "eventName": "opened"}),
        ("post", "/api/commerce/updateCart", {"user": {"email": "a@b.com"}, "items": [item()]}),
        (
            "post",
            "/api/commerce/trackPurchase",
            {"user": {"email": "a@b.com"}, "items": [item()], "total": 4.99},
        ),
        ("delete", "/api/users/a@b.com", None),
        ("delete", "/api/users/byUserId/u1", None),
    ],
)
def test_single_object_writes_answer_200_with_the_success_envelope(client, method, path, body):
    _seed(client)
    response = getattr(client, method)(path, json=body)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    answer = response.get_json()
    assert set(answer) == {"msg", "code", "params"}
    assert answer["code"] == "Success"
    assert isinstance(answer["msg"], str)
    assert answer["params"] is None or isinstance(answer["params"], dict)


def test_users_update_answers_exactly_like_real_traffic(client):
    response = client.post("/api/users/update", json={"email": "a@b.com"})
    assert response.get_json() == SUCCESS


# ------------------------------------------------------------------ 4-5. error bodies


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/users/update", {"email": "000"}),
        ("/api/users/update", {"dataFields": {}}),
        ("/api/events/track", {"email": "a@b.com"}),
        ("/api/events/track", {"userId": "nobody", "eventName": "x"}),
        ("/api/users/updateEmail", {"currentEmail": "nobody@b.com", "newEmail": "c@b.com"}),
    ],
)
def test_every_error_body_is_the_envelope_as_json(client, path, body):
    response = client.post(path, json=body)
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/json"
    answer = response.get_json()
    assert set(answer) == {"msg", "code", "params"}
    assert isinstance(answer["msg"], str) and isinstance(answer["code"], str)
    assert answer["params"] is None or isinstance(answer["params"], dict)


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"email": "a@b.com",}', b"", b"\xff\xfe{}"],
    ids=["garbage", "trailing comma", "empty", "not utf-8"],
)
def test_a_body_that_is_not_json_is_bad_json_body(client, raw):
    response = client.post("/api/users/update", data=raw, content_type="application/json")
    body = assert_error(response, 400, "BadJsonBody", "[/api/users/update] Invalid JSON body")
    assert list(body["params"]) == ["obj"]
    assert body["params"]["obj"].startswith("Invalid Json")


@pytest.mark.parametrize(
    "literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"], ids=lambda v: v
)
def test_non_finite_numbers_are_rejected_not_stored(client, literal):
    response = _post_data_field(client, literal)
    body = assert_error(response, 400, "BadJsonBody", "[/api/users/update] Invalid JSON body")
    assert body["params"]["obj"].startswith("Invalid Json")
    # Nothing was created, and what the fake returns is still strict JSON.
    found = client.get("/api/users/a@b.com")
    assert json.loads(found.get_data(as_text=True), parse_constant=_no_constants) == {}


def _post_data_field(client, json_text: str):
    """users/update whose dataFields.x is the given raw JSON text."""
    raw = '{"email": "a@b.com", "dataFields": {"x": ' + json_text + "}}"
    return client.post("/api/users/update", data=raw, content_type="application/json")


def _no_constants(name):
    raise AssertionError(f"response contains the non-JSON literal {name}")


@pytest.mark.parametrize("raw", ["[]", '"x"', "null", "42", "true"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/users/update",
        "/api/users/bulkUpdate",
        "/api/users/updateEmail",
        "/api/events/track",
        "/api/events/trackBulk",
        "/api/commerce/updateCart",
        "/api/commerce/trackPurchase",
    ],
)
def test_a_json_body_that_is_not_an_object_is_bad_json_body(client, path, raw):
    response = client.post(path, data=raw, content_type="application/json")
    assert_error(
        response,
        400,
        "BadJsonBody",
        f"[{path}] Invalid JSON body",
        {"obj": "error.expected.jsobject"},
    )


@pytest.mark.parametrize(
    ("path", "body", "params"),
    [
        (
            "/api/events/track",
            {"email": "a@b.com", "eventName": "e", "createdAt": "abc"},
            {"obj.createdAt": "Number value expected"},
        ),
        (
            "/api/users/update",
            {"userId": "u1", "preferUserId": "abc"},
            {"obj.preferUserId": "Boolean value expected"},
        ),
        (
            "/api/users/update",
            {"email": "a@b.com", "dataFields": "x"},
            {"obj.dataFields": "error.expected.jsobject"},
        ),
        (
            "/api/users/update",
            {"email": "a@b.com", "mergeNestedObjects": 1},
            {"obj.mergeNestedObjects": "Boolean value expected"},
        ),
        (
            "/api/events/track",
            {"email": "a@b.com", "eventName": 7},
            {"obj.eventName": "String value expected"},
        ),
        (
            "/api/events/trackBulk",
            {
                "events": [
                    {"email": "a@b.com", "eventName": "e"},
                    {"email": "a@b.com", "eventName": "e", "createdAt": "abc"},
                ]
            },
            {"obj.events[1].createdAt": "Number value expected"},
        ),
        (
            "/api/users/bulkUpdate",
            {"users": [{"email": "a@b.com"}, {"email": "b@b.com", "preferUserId": "abc"}]},
            {"obj.users[1].preferUserId": "Boolean value expected"},
        ),
        (
            "/api/commerce/trackPurchase",
            {"user": {"email": "a@b.com"}, "items": [item(price="abc")], "total": "1"},
            {"obj.items[0].price": "Number value expected", "obj.total": "Number value expected"},
        ),
        (
            "/api/events/trackBulk",
            {"events": {"email": "a@b.com"}},
            {"obj.events": "error.expected.jsarray"},
        ),
    ],
    ids=[
        "createdAt",
        "preferUserId",
        "dataFields",
        "mergeNestedObjects",
        "eventName",
        "trackBulk createdAt",
        "bulkUpdate preferUserId",
        "trackPurchase numbers",
        "events not array",
    ],
)
def test_a_wrongly_typed_field_is_bad_json_body_naming_its_path(client, path, body, params):
    response = client.post(path, json=body)
    assert_error(response, 400, "BadJsonBody", f"[{path}] Invalid JSON body", params)


def test_a_wrongly_typed_record_rejects_the_whole_bulk_request(client):
    response = client.post(
        "/api/events/trackBulk",
        json={"events": [{"email": "a@b.com", "eventName": "e"}, {"eventName": "e", "id": 5}]},
    )
    assert response.status_code == 400
    assert client.get("/api/users/a@b.com").get_json() == {}


# ------------------------------------------------------------------ 6. required fields


@pytest.mark.parametrize(
    ("path", "body", "params"),
    [
        ("/api/events/track", {"email": "a@b.com"}, {"obj.eventName": "error.path.missing"}),
        ("/api/events/trackBulk", {}, {"obj.events": "error.path.missing"}),
        (
            "/api/events/trackBulk",
            {"events": [{"email": "a@b.com"}]},
            {"obj.events[0].eventName": "error.path.missing"},
        ),
        (
            "/api/users/updateEmail",
            {"currentEmail": "a@b.com"},
            {"obj.newEmail": "error.path.missing"},
        ),
        ("/api/users/bulkUpdate", {}, {"obj.users": "error.path.missing"}),
        (
            "/api/commerce/trackPurchase",
            {"user": {"email": "a@b.com"}},
            {"obj.items": "error.path.missing", "obj.total": "error.path.missing"},
        ),
        (
            "/api/commerce/trackPurchase",
            {"items": [item()], "total": 1},
            {"obj.user": "error.path.missing"},
        ),
        ("/api/commerce/updateCart", {"items": []}, {"obj.user": "error.path.missing"}),
    ],
)
def test_a_missing_required_field_is_bad_json_body_error_path_missing(client, path, body, params):
    response = client.post(path, json=body)
    assert_error(response, 400, "BadJsonBody", f"[{path}] Invalid JSON body", params)


# ------------------------------------------------------------------ 7. unknown routes


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/nothing/here"), ("post", "/api/nothing"), ("delete", "/api/events/track")],
)
def test_an_unknown_api_route_is_404(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert "Action not found" in response.get_data(as_text=True)


# ------------------------------------------------------------------ never a 500


def test_a_huge_created_at_is_a_400_not_a_crash(client):
    response = client.post(
        "/api/events/track", json={"email": "a@b.com", "eventName": "e", "createdAt": 10**30}
    )
    assert_error(
        response,
        400,
        "BadParams",
        "createdAt must be a Unix timestamp in seconds",
        {"createdAt": 10**30},
    )
    assert client.get("/api/users/a@b.com").get_json() == {}


def test_a_created_at_beyond_int64_in_float_syntax_is_bad_json_body(client):
    raw = '{"email": "a@b.com", "eventName": "e", "createdAt": 1e300}'
    response = client.post("/api/events/track", data=raw, content_type="application/json")
    assert_error(
        response,
        400,
        "BadJsonBody",
        "[/api/events/track] Invalid JSON body",
        {"obj.createdAt": "Number value expected"},
    )


def test_an_integer_too_long_to_parse_is_bad_json_body(client):
    response = _post_data_field(client, "9" * 5000)
    assert_error(response, 400, "BadJsonBody", "[/api/users/update] Invalid JSON body")


@pytest.mark.parametrize("depth", [100, 900])
def test_deeply_nested_data_fields_are_rejected_not_a_crash(client, depth):
    nested = "[" * depth + "]" * depth
    response = _post_data_field(client, nested)
    body = assert_error(response, 400, "BadJsonBody", "[/api/users/update] Invalid JSON body")
    assert body["params"] == {"obj": "Invalid Json: nested deeper than 64 levels"}


def test_nesting_within_the_limit_is_stored(client):
    nested: dict = {"leaf": 1}
    for _ in range(20):
        nested = {"n": nested}
    update_user(client, email="a@b.com", dataFields={"x": nested})
    stored = client.get("/api/users/a@b.com").get_json()["user"]["dataFields"]["x"]
    assert stored == nested


def test_a_body_nested_past_the_parser_recursion_limit_is_a_400(client):
    nested = "[" * 5000 + "]" * 5000
    response = _post_data_field(client, nested)
    assert response.status_code == 400


def test_the_nesting_limit_is_a_server_setting():
    client = make_app_client(ServerConfig(projects={API_KEY: ProjectSettings()}, max_json_depth=4))
    update_user(client, email="a@b.com", dataFields={"x": {"y": 1}})
    response = client.post(
        "/api/users/update", json={"email": "a@b.com", "dataFields": {"x": {"y": {"z": [1]}}}}
    )
    assert_error(
        response,
        400,
        "BadJsonBody",
        "[/api/users/update] Invalid JSON body",
        {"obj": "Invalid Json: nested deeper than 4 levels"},
    )
