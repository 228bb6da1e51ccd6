"""Reference §7 items 51-55: commerce/updateCart and commerce/trackPurchase."""

from __future__ import annotations

import re

import pytest

from .helpers import (
    SUCCESS,
    assert_error,
    data_fields,
    events_of,
    freeze_clock,
    get_user,
    get_user_by_id,
    item,
    make_client,
    mismatch_msg,
    project_of,
    update_user,
)

CART = "/api/commerce/updateCart"
PURCHASE = "/api/commerce/trackPurchase"
T0 = 1_700_000_000
T0_TEXT = "2023-11-14 22:13:20 +00:00"

FULL_ITEM = {
    "id": "TOY1",
    "sku": "RR123",
    "name": "Red Racecar",
    "description": "A fast car",
    "categories": ["Toy"],
    "price": 4.99,
    "quantity": 1,
    "imageUrl": "https://example.com/car.png",
    "url": "https://example.com/car",
    "dataFields": {"color": "red"},
}


def _update_cart(client, user, items):
    response = client.post(CART, json={"user": user, "items": items})
    assert (response.status_code, response.get_json()) == (200, SUCCESS)


def _purchase(client, **body) -> str:
    response = client.post(PURCHASE, json=body)
    answer = response.get_json()
    assert response.status_code == 200, answer
    assert answer["code"] == "Success"
    return answer["params"]["id"]


def _purchases(client, email):
    return [e for e in events_of(client, email) if e["eventType"] == "purchase"]


# ------------------------------------------------------------------ 51. updateCart


def test_update_cart_sets_the_cart_and_records_an_update_cart_event(client):
    _update_cart(client, {"email": "a@b.com", "dataFields": {"tier": "gold"}}, [FULL_ITEM])
    fields = data_fields(client, "a@b.com")
    assert fields["shoppingCartItems"] == [FULL_ITEM]
    assert fields["tier"] == "gold"
    (event,) = events_of(client, "a@b.com")
    assert (event["eventName"], event["eventType"]) == ("updateCart", "customEvent")
    assert event["dataFields"] == {"updatedShoppingCartItems": [FULL_ITEM]}


def test_update_cart_replaces_the_previous_cart(client):
    _update_cart(client, {"email": "a@b.com"}, [item(id="A"), item(id="B")])
    _update_cart(client, {"email": "a@b.com"}, [item(id="C")])
    assert data_fields(client, "a@b.com")["shoppingCartItems"] == [item(id="C")]
    carts = [e["dataFields"]["updatedShoppingCartItems"] for e in events_of(client, "a@b.com")]
    assert sorted(carts, key=len) == [[item(id="C")], [item(id="A"), item(id="B")]]


def test_an_empty_cart_empties_the_profile_cart(client):
    _update_cart(client, {"email": "a@b.com"}, [item()])
    _update_cart(client, {"email": "a@b.com"}, [])
    assert data_fields(client, "a@b.com")["shoppingCartItems"] == []


def test_update_cart_merges_the_user_like_users_update(client):
    update_user(client, email="a@b.com", dataFields={"name": "Caio", "prefs": {"x": 1}})
    _update_cart(
        client,
        {"email": "a@b.com", "mergeNestedObjects": True, "dataFields": {"prefs": {"y": 2}}},
        [item()],
    )
    fields = data_fields(client, "a@b.com")
    assert fields["name"] == "Caio"
    assert fields["prefs"] == {"x": 1, "y": 2}


def test_update_cart_type_mismatch_in_user_fields_rejects_everything(client):
    update_user(client, email="a@b.com", dataFields={"age": 30})
    response = client.post(
        CART, json={"user": {"email": "a@b.com", "dataFields": {"age": "old"}}, "items": [item()]}
    )
    assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(project_of(client).project_id, "age", "user", "long", "string, keyword"),
    )
    assert "shoppingCartItems" not in data_fields(client, "a@b.com")
    assert events_of(client, "a@b.com") == []


# ------------------------------------------------------------------ 52. required fields


@pytest.mark.parametrize("missing", ["id", "name", "price", "quantity"])
@pytest.mark.parametrize("path", [CART, PURCHASE])
def test_each_required_item_field_is_checked(client, path, missing):
    broken = {k: v for k, v in item().items() if k != missing}
    body = {"user": {"email": "a@b.com"}, "items": [item(), broken], "total": 9.98}
    response = client.post(path, json=body)
    assert_error(
        response,
        400,
        "BadJsonBody",
        f"[{path}] Invalid JSON body",
        {f"obj.items[1].{missing}": "error.path.missing"},
    )
    assert get_user(client, "a@b.com") == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", 5, "String value expected"),
        ("name", None, "String value expected"),
        ("price", "4.99", "Number value expected"),
        ("quantity", 1.5, "Number value expected"),
        ("categories", "Toy", "error.expected.jsarray"),
        ("dataFields", [], "error.expected.jsobject"),
    ],
)
def test_item_fields_of_the_wrong_type_are_bad_json_body(client, field, value, message):
    body = {"user": {"email": "a@b.com"}, "items": [item(**{field: value})], "total": 1}
    response = client.post(PURCHASE, json=body)
    assert_error(
        response,
        400,
        "BadJsonBody",
        f"[{PURCHASE}] Invalid JSON body",
        {f"obj.items[0].{field}": message},
    )


@pytest.mark.parametrize("missing", ["user", "items", "total"])
def test_track_purchase_requires_user_items_and_total(client, missing):
    body = {"user": {"email": "a@b.com"}, "items": [item()], "total": 4.99}
    del body[missing]
    response = client.post(PURCHASE, json=body)
    assert_error(
        response,
        400,
        "BadJsonBody",
        f"[{PURCHASE}] Invalid JSON body",
        {f"obj.{missing}": "error.path.missing"},
    )
    assert get_user(client, "a@b.com") == {}


@pytest.mark.parametrize("missing", ["user", "items"])
def test_update_cart_requires_user_and_items(client, missing):
    body = {"user": {"email": "a@b.com"}, "items": [item()]}
    del body[missing]
    response = client.post(CART, json=body)
    assert_error(
        response,
        400,
        "BadJsonBody",
        f"[{CART}] Invalid JSON body",
        {f"obj.{missing}": "error.path.missing"},
    )


@pytest.mark.parametrize("path", [CART, PURCHASE])
def test_a_user_without_identifiers_is_bad_params(client, path):
    response = client.post(path, json={"user": {}, "items": [item()], "total": 1})
    assert_error(response, 400, "BadParams", "Either email or userId must be provided.", None)


# ------------------------------------------------------------------ 53. trackPurchase


def test_track_purchase_records_the_purchase_as_sent(client):
    freeze_clock(client, T0 + 60)
    purchase_id = _purchase(
        client,
        id="order-1",
        user={"email": "a@b.com", "dataFields": {"tier": "gold"}, "mergeNestedObjects": False},
        items=[FULL_ITEM, item(id="TOY2", price=10.0, quantity=2)],
        total=1.5,
        createdAt=T0,
        dataFields={"coupon": "X"},
        campaignId=123,
        templateId=456,
    )
    assert purchase_id == "order-1"
    (purchase,) = _purchases(client, "a@b.com")
    updated = "2023-11-14 22:14:20 +00:00"
    assert purchase == {
        "id": "order-1",
        "eventName": "purchase",
        "eventType": "purchase",
        "email": "a@b.com",
        "createdAt": T0_TEXT,
        "eventUpdatedAt": updated,
        "campaignId": 123,
        "templateId": 456,
        "total": 1.5,
        "shoppingCartItems": [FULL_ITEM, item(id="TOY2", price=10.0, quantity=2)],
        "dataFields": {"coupon": "X"},
        "itblInternal": {"documentCreatedAt": T0_TEXT, "documentUpdatedAt": updated},
    }


def test_track_purchase_answers_with_the_purchase_id(client):
    response = client.post(
        PURCHASE, json={"id": "o-7", "user": {"email": "a@b.com"}, "items": [item()], "total": 1}
    )
    assert response.get_json() == {
        "msg": "Purchase with id: o-7 tracked.",
        "code": "Success",
        "params": {"id": "o-7"},
    }


def test_track_purchase_empties_the_cart(client):
    _update_cart(client, {"email": "a@b.com"}, [item(id="A"), item(id="B")])
    _purchase(client, user={"email": "a@b.com"}, items=[item(id="A")], total=4.99)
    assert data_fields(client, "a@b.com")["shoppingCartItems"] == []
    assert _purchases(client, "a@b.com")[0]["shoppingCartItems"] == [item(id="A")]


def test_track_purchase_upserts_the_user(client):
    update_user(client, email="a@b.com", dataFields={"name": "Caio"})
    _purchase(
        client,
        user={"email": "a@b.com", "userId": "u1", "dataFields": {"tier": "gold"}},
        items=[item()],
        total=4.99,
    )
    user = get_user(client, "a@b.com")
    assert user["userId"] == "u1"
    assert user["dataFields"]["name"] == "Caio"
    assert user["dataFields"]["tier"] == "gold"


def test_purchase_data_fields_are_typed_per_purchase(client):
    _purchase(client, user={"email": "a@b.com"}, items=[item()], total=1, dataFields={"coupon": 5})
    response = client.post(
        PURCHASE,
        json={
            "user": {"email": "a@b.com"},
            "items": [item()],
            "total": 1,
            "dataFields": {"coupon": "X"},
        },
    )
    assert_error(
        response,
        400,
        "RequestFieldsTypesMismatched",
        mismatch_msg(project_of(client).project_id, "coupon", "event", "long", "string, keyword"),
    )
    assert len(_purchases(client, "a@b.com")) == 1


def test_track_purchase_rejects_an_id_over_512_bytes(client):
    _update_cart(client, {"email": "a@b.com"}, [item()])
    response = client.post(
        PURCHASE,
        json={"id": "y" * 513, "user": {"email": "a@b.com"}, "items": [item()], "total": 1},
    )
    assert_error(
        response, 400, "BadParams", "id cannot be longer than 512 bytes", {"id": "y" * 64 + "..."}
    )
    assert data_fields(client, "a@b.com")["shoppingCartItems"] == [item()]
    assert _purchases(client, "a@b.com") == []


# ------------------------------------------------------------------ 54. purchase id upsert


def test_a_repeated_purchase_id_updates_that_purchase(client):
    _purchase(client, id="order-1", user={"email": "a@b.com"}, items=[item()], total=4.99)
    _purchase(client, id="order-1", user={"email": "a@b.com"}, items=[item(quantity=2)], total=9.98)
    (purchase,) = _purchases(client, "a@b.com")
    assert purchase["total"] == 9.98
    assert purchase["shoppingCartItems"] == [item(quantity=2)]


def test_purchases_without_an_id_are_each_kept(client):
    first = _purchase(client, user={"email": "a@b.com"}, items=[item()], total=1)
    second = _purchase(client, user={"email": "a@b.com"}, items=[item()], total=2)
    assert first != second
    assert sorted(p["total"] for p in _purchases(client, "a@b.com")) == [1, 2]


# ------------------------------------------------------------------ 55. unknown users


@pytest.mark.parametrize("path", [CART, PURCHASE])
def test_an_unknown_email_user_is_created(client, path):
    response = client.post(
        path, json={"user": {"email": "new@b.com"}, "items": [item()], "total": 1}
    )
    assert response.status_code == 200
    assert get_user(client, "new@b.com")["dataFields"]["signupSource"] == "API"


@pytest.mark.parametrize("track_creates", [True, False])
def test_commerce_creates_users_whatever_the_track_setting(track_creates):
    client = make_client(track_creates_unknown_email_user=track_creates)
    _purchase(client, user={"email": "new@b.com"}, items=[item()], total=1)
    assert len(_purchases(client, "new@b.com")) == 1


@pytest.mark.parametrize("path", [CART, PURCHASE])
def test_an_unknown_user_id_needs_prefer_user_id(client, path):
    body = {"user": {"userId": "anon1"}, "items": [item()], "total": 1}
    response = client.post(path, json=body)
    assert_error(response, 400, "UnknownUserIdError", "No user exists with userId anon1.", None)
    assert client.get("/api/users/byUserId/anon1").status_code == 404

    body["user"]["preferUserId"] = True
    assert client.post(path, json=body).status_code == 200
    user = get_user_by_id(client, "anon1")
    assert re.fullmatch(r"anon1\+\d+@placeholder\.email", user["email"])
    assert len(events_of(client, user["email"])) == 1


def test_a_known_user_id_needs_no_prefer_user_id(client):
    update_user(client, email="a@b.com", userId="u1")
    _purchase(client, user={"userId": "u1"}, items=[item()], total=1)
    assert len(_purchases(client, "a@b.com")) == 1


def test_hybrid_projects_create_by_user_id_directly(hybrid_client):
    _update_cart(hybrid_client, {"userId": "u1"}, [item()])
    assert get_user_by_id(hybrid_client, "u1")["dataFields"]["shoppingCartItems"] == [item()]


def test_a_forgotten_user_cannot_purchase(client):
    update_user(client, email="a@b.com")
    assert client.post("/api/users/forget", json={"email": "a@b.com"}).status_code == 200
    response = client.post(
        PURCHASE, json={"user": {"email": "a@b.com"}, "items": [item()], "total": 1}
    )
    assert_error(
        response, 409, "ForgottenUserError", "User with email a@b.com has been forgotten.", None
    )
