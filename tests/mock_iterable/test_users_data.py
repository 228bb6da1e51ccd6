"""Reference §7 items 22-32: merging dataFields, type locking, dates, managed fields, getFields."""

from __future__ import annotations

import pytest

from .helpers import (
    SUCCESS,
    assert_error,
    data_fields,
    field_types,
    freeze_clock,
    make_client,
    mismatch_msg,
    project_of,
    update_user,
)

# ------------------------------------------------------------------ 22-25. merge semantics


def test_update_merges_shallowly_and_keeps_fields_not_sent(client):
    update_user(client, email="a@b.com", dataFields={"name": "Caio", "plan": "free"})
    update_user(client, email="a@b.com", dataFields={"plan": "pro", "age": 30})
    fields = data_fields(client, "a@b.com")
    assert (fields["name"], fields["plan"], fields["age"]) == ("Caio", "pro", 30)


def test_an_update_without_data_fields_keeps_everything(client):
    update_user(client, email="a@b.com", dataFields={"name": "Caio"})
    update_user(client, email="a@b.com")
    assert data_fields(client, "a@b.com")["name"] == "Caio"


def test_a_null_value_removes_the_field(client):
    update_user(client, email="a@b.com", dataFields={"name": "Caio", "phoneNumber": "+1555"})
    update_user(client, email="a@b.com", dataFields={"name": None, "phoneNumber": None})
    fields = data_fields(client, "a@b.com")
    assert "name" not in fields
    assert "phoneNumber" not in fields
    assert fields["email"] == "a@b.com"


def test_a_null_for_a_field_never_stored_is_harmless(client):
    update_user(client, email="a@b.com", dataFields={"ghost": None})
    assert "ghost" not in data_fields(client, "a@b.com")


@pytest.mark.parametrize("merge", [None, False])
def test_without_merge_nested_objects_an_object_replaces_the_stored_one(client, merge):
    update_user(client, email="a@b.com", dataFields={"a": {"x": 1}})
    body = {"email": "a@b.com", "dataFields": {"a": {"y": 2}}}
    if merge is not None:
        body["mergeNestedObjects"] = merge
    update_user(client, **body)
    assert data_fields(client, "a@b.com")["a"] == {"y": 2}


def test_merge_nested_objects_merges_one_level(client):
    update_user(client, email="a@b.com", dataFields={"mySettings": {"mobile": True}})
    update_user(
        client,
        email="a@b.com",
        mergeNestedObjects=True,
        dataFields={"mySettings": {"email": True}},
    )
    assert data_fields(client, "a@b.com")["mySettings"] == {"mobile": True, "email": True}


def test_merge_nested_objects_replaces_deeper_objects_and_arrays(client):
    update_user(
        client,
        email="a@b.com",
        dataFields={"a": {"keep": 1, "deep": {"x": 1, "y": 1}, "tags": ["p", "q"]}},
    )
    update_user(
        client,
        email="a@b.com",
        mergeNestedObjects=True,
        dataFields={"a": {"deep": {"y": 2}, "tags": ["r"]}},
    )
    assert data_fields(client, "a@b.com")["a"] == {"keep": 1, "deep": {"y": 2}, "tags": ["r"]}


def test_merge_nested_objects_never_merges_top_level_arrays(client):
    update_user(client, email="a@b.com", dataFields={"tags": ["p", "q"]})
    update_user(client, email="a@b.com", mergeNestedObjects=True, dataFields={"tags": ["r"]})
    assert data_fields(client, "a@b.com")["tags"] == ["r"]


def test_merge_nested_objects_null_inside_an_object_removes_that_key(client):
    update_user(client, email="a@b.com", dataFields={"a": {"x": 1, "y": 2}})
    update_user(client, email="a@b.com", mergeNestedObjects=True, dataFields={"a": {"x": None}})
    assert data_fields(client, "a@b.com")["a"] == {"y": 2}


# ------------------------------------------------------------------ 26-29. type locking


def _project_id(client) -> int:
    return project_of(client).project_id


def test_the_reference_signup_date_mismatch_body_exactly(client):
    update_user(client, email="a@b.com", dataFields={"name": "Caio"})
    response = client.post(
        "/api/users/update", json={"email": "a@b.com", "dataFields": {"signupDate": "GGG"}}
    )
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": mismatch_msg(_project_id(client), "signupDate", "user", "date", "string, keyword"),
        "code": "RequestFieldsTypesMismatched",
        "params": {
            "validationErrors": {
                "signupDate": {
                    "incomingTypes": ["string", "keyword"],
                    "expectedType": "date",
                    "_type": "UnexpectedType",
                    "offendingValue": "GGG",
                    "category": "user",
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("first", "second", "expected", "incoming"),
    [
        (5, "abc", "long", "string, keyword"),
        (1.5, "abc", "double", "string, keyword"),
        ("2020-01-01", "not a date", "date", "string, keyword"),
        (True, 1, "boolean", "long"),
        (True, "yes", "boolean", "string, keyword"),
        ({"x": 1}, "flat", "object", "string, keyword"),
        (5, {"x": 1}, "long", "object"),
        ([1, 2], ["abc"], "long", "string, keyword"),
    ],
    ids=[
        "long<-text",
        "double<-text",
        "date<-text",
        "boolean<-long",
        "boolean<-text",
        "object<-text",
        "long<-object",
        "long array<-text array",
    ],
)
def test_an_incompatible_value_is_rejected_and_nothing_is_applied(
    client, first, second, expected, incoming
):
    update_user(client, email="a@b.com", dataFields={"f": first, "other": 1})
    before = data_fields(client, "a@b.com")
    response = client.post(
        "/api/users/update",
        json={"email": "a@b.com", "dataFields": {"other": 2, "newField": "x", "f": second}},
    )
    body = assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(_project_id(client), "f", "user", expected, incoming),
    )
    error = body["params"]["validationErrors"]["f"]
    assert error["expectedType"] == expected
    assert error["category"] == "user"
    assert data_fields(client, "a@b.com") == before
    assert "newField" not in field_types(client)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (5, 7.5),
        (5, "12"),
        (1.5, 2),
        ("text", 42),
        ("text", True),
        (True, "false"),
        ("2020-01-01", "2021-02-03T04:05:06.000Z"),
        ([1, 2], 3),
    ],
    ids=[
        "long<-double",
        "long<-numeric text",
        "double<-long",
        "string<-number",
        "string<-boolean",
        "boolean<-text boolean",
        "date<-iso date",
        "long array<-long",
    ],
)
def test_a_coercible_value_is_accepted(client, first, second):
    update_user(client, email="a@b.com", dataFields={"f": first})
    response = client.post(
        "/api/users/update", json={"email": "a@b.com", "dataFields": {"f": second}}
    )
    assert (response.status_code, response.get_json()) == (200, SUCCESS)


def test_user_field_types_are_project_wide(client):
    update_user(client, email="a@b.com", dataFields={"score": 10})
    response = client.post(
        "/api/users/update", json={"email": "new@b.com", "dataFields": {"score": "high"}}
    )
    assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(_project_id(client), "score", "user", "long", "string, keyword"),
    )
    assert client.get("/api/users/new@b.com").get_json() == {}


def test_a_field_type_survives_deleting_the_field_and_the_user(client):
    update_user(client, email="a@b.com", dataFields={"score": 10})
    update_user(client, email="a@b.com", dataFields={"score": None})
    assert client.delete("/api/users/a@b.com").status_code == 200
    response = client.post(
        "/api/users/update", json={"email": "b@b.com", "dataFields": {"score": "x"}}
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == "RequestFieldsTypesMismatched"


def test_nested_field_types_are_locked_by_dotted_path(client):
    update_user(client, email="a@b.com", dataFields={"address": {"number": 12}})
    response = client.post(
        "/api/users/update",
        json={"email": "a@b.com", "dataFields": {"address": {"number": "twelve"}}},
    )
    body = assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(_project_id(client), "address.number", "user", "long", "string, keyword"),
    )
    assert list(body["params"]["validationErrors"]) == ["address.number"]


def test_every_mismatched_field_is_listed(client):
    update_user(client, email="a@b.com", dataFields={"n": 1, "b": True})
    response = client.post(
        "/api/users/update", json={"email": "a@b.com", "dataFields": {"n": "x", "b": "y"}}
    )
    assert response.status_code == 400
    assert set(response.get_json()["params"]["validationErrors"]) == {"n", "b"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7, "long"), (-3, "long"), (7.25, "double"), (7.0, "double"), (True, "boolean")],
)
def test_json_numbers_and_booleans_create_their_types(client, value, expected):
    update_user(client, email="a@b.com", dataFields={"f": value})
    assert field_types(client)["f"] == expected


def test_arrays_are_typed_by_their_elements(client):
    update_user(
        client,
        email="a@b.com",
        dataFields={"tags": ["a", "b"], "scores": [1, 2], "items": [{"sku": "x", "qty": 1}]},
    )
    types = field_types(client)
    assert types["tags"] == "string"
    assert types["scores"] == "long"
    assert types["items"] == "object"
    assert types["items.sku"] == "string"
    assert types["items.qty"] == "long"


# ------------------------------------------------------------------ 28. dates


@pytest.mark.parametrize(
    ("sent", "read_back"),
    [
        ("2020-08-19", "2020-08-19 00:00:00 +00:00"),
        ("2020-08-19 20:50:04", "2020-08-19 20:50:04 +00:00"),
        ("2020-08-19 20:50:04 +02:00", "2020-08-19 18:50:04 +00:00"),
        ("2020-08-19 20:50:04 -05:30", "2020-08-20 02:20:04 +00:00"),
        ("2020-08-19T20:50:04.000Z", "2020-08-19 20:50:04 +00:00"),
        ("2020-08-19T20:50:04.123+01:00", "2020-08-19 19:50:04 +00:00"),
    ],
)
def test_date_strings_become_dates_read_back_in_utc(client, sent, read_back):
    update_user(client, email="a@b.com", dataFields={"when": sent})
    assert data_fields(client, "a@b.com")["when"] == read_back
    assert field_types(client)["when"] == "date"


@pytest.mark.parametrize(
    "text",
    ["2020-04-13 14:04:09.000", "2020-13-01", "2020-02-30", "13/04/2020", "2020-04-13T14:04:09"],
)
def test_strings_that_are_not_iterable_dates_stay_strings(client, text):
    update_user(client, email="a@b.com", dataFields={"when": text})
    assert data_fields(client, "a@b.com")["when"] == text
    assert field_types(client)["when"] == "string"


def test_a_date_field_rejects_a_non_date_string_with_its_offending_value(client):
    update_user(client, email="a@b.com", dataFields={"when": "2020-01-01"})
    response = client.post(
        "/api/users/update",
        json={"email": "a@b.com", "dataFields": {"when": "2020-04-13 14:04:09.000"}},
    )
    body = assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(_project_id(client), "when", "user", "date", "string, keyword"),
    )
    assert body["params"]["validationErrors"]["when"]["offendingValue"] == (
        "2020-04-13 14:04:09.000"
    )


# ------------------------------------------------------------------ 30. managed fields

T0 = 1_700_000_000  # 2023-11-14 22:13:20 UTC
T0_TEXT = "2023-11-14 22:13:20 +00:00"
T1_TEXT = "2023-11-14 22:14:20 +00:00"


def test_a_new_user_gets_iterables_managed_fields(client):
    freeze_clock(client, T0)
    update_user(client, email="Caio@Mailinator.com", dataFields={"name": "Caio"})
    assert data_fields(client, "Caio@Mailinator.com") == {
        "name": "Caio",
        "email": "Caio@Mailinator.com",
        "signupDate": T0_TEXT,
        "signupSource": "API",
        "profileUpdatedAt": T0_TEXT,
        "itblInternal": {
            "documentCreatedAt": T0_TEXT,
            "documentUpdatedAt": T0_TEXT,
            "emailDomain": "mailinator.com",
        },
    }


def test_every_update_refreshes_profile_updated_at_but_not_signup_date(client):
    clock = freeze_clock(client, T0)
    update_user(client, email="a@b.com")
    clock.now = T0 + 60
    update_user(client, email="a@b.com", dataFields={"n": 1})
    fields = data_fields(client, "a@b.com")
    assert fields["signupDate"] == T0_TEXT
    assert fields["profileUpdatedAt"] == T1_TEXT
    assert fields["itblInternal"]["documentCreatedAt"] == T0_TEXT
    assert fields["itblInternal"]["documentUpdatedAt"] == T1_TEXT


def test_user_id_is_mirrored_into_data_fields(client):
    update_user(client, email="a@b.com", userId="u1")
    assert data_fields(client, "a@b.com")["userId"] == "u1"


# ------------------------------------------------------------------ 31. getFields


def test_get_fields_lists_builtin_and_created_fields_by_dotted_path(client):
    update_user(
        client,
        email="a@b.com",
        dataFields={
            "Lifetime Value": 12.5,
            "Number of Purchases": 3,
            "defaultAddress": {"number": 12, "street": "Main"},
            "vip": False,
            "birthday": "1990-01-01",
        },
    )
    types = field_types(client)
    assert {
        "email": "string",
        "userId": "string",
        "signupDate": "date",
        "profileUpdatedAt": "date",
        "Lifetime Value": "double",
        "Number of Purchases": "long",
        "defaultAddress": "object",
        "defaultAddress.number": "long",
        "defaultAddress.street": "string",
        "vip": "boolean",
        "birthday": "date",
    }.items() <= types.items()


def test_get_fields_does_not_learn_from_a_rejected_request(client):
    update_user(client, email="a@b.com", dataFields={"n": 1})
    response = client.post(
        "/api/users/update", json={"email": "a@b.com", "dataFields": {"n": "x", "fresh": 1}}
    )
    assert response.status_code == 400
    assert "fresh" not in field_types(client)


# ------------------------------------------------------------------ 32. createNewFields


def test_create_new_fields_false_drops_unknown_fields_but_updates_known_ones(client):
    update_user(client, email="a@b.com", dataFields={"known": 1})
    update_user(
        client, email="a@b.com", createNewFields=False, dataFields={"known": 2, "unknown": 3}
    )
    fields = data_fields(client, "a@b.com")
    assert fields["known"] == 2
    assert "unknown" not in fields
    assert "unknown" not in field_types(client)


def test_create_new_fields_false_still_creates_the_user(client):
    update_user(client, email="a@b.com", createNewFields=False, dataFields={"unknown": 3})
    fields = data_fields(client, "a@b.com")
    assert fields["email"] == "a@b.com"
    assert "unknown" not in fields


def test_project_default_drop_is_overridden_by_create_new_fields_true():
    client = make_client(create_new_fields=False)
    update_user(client, email="a@b.com", dataFields={"dropped": 1})
    update_user(client, email="a@b.com", createNewFields=True, dataFields={"kept": 1})
    fields = data_fields(client, "a@b.com")
    assert "dropped" not in fields
    assert fields["kept"] == 1
    assert field_types(client)["kept"] == "long"


def test_bulk_update_lists_filtered_out_and_created_fields():
    client = make_client(create_new_fields=False)
    update_user(client, email="a@b.com", createNewFields=True, dataFields={"known": 1})
    response = client.post(
        "/api/users/bulkUpdate",
        json={"users": [{"email": "a@b.com", "dataFields": {"known": 2, "new1": 1, "new2": 2}}]},
    )
    body = response.get_json()
    assert response.status_code == 200
    assert (body["successCount"], body["failCount"]) == (1, 0)
    assert body["filteredOutFields"] == ["new1", "new2"]
    assert body["createdFields"] == []
    assert data_fields(client, "a@b.com")["known"] == 2

    allowed = client.post(
        "/api/users/bulkUpdate",
        json={
            "createNewFields": True,
            "users": [{"email": "a@b.com", "dataFields": {"new1": 1, "obj": {"p": "x"}}}],
        },
    ).get_json()
    assert allowed["filteredOutFields"] == []
    assert allowed["createdFields"] == ["new1", "obj", "obj.p"]
