"""Order Completed -> trackPurchase, cart events -> updateCart, products -> CommerceItems."""

from __future__ import annotations

import re

import pytest

from destination.errors import ValidationError
from destination.items import to_items


def order(properties, **fields):
    event = {
        "type": "track",
        "event": "Order Completed",
        "messageId": "msg-9",
        "userId": "u-1",
        "timestamp": "2024-03-01T12:00:00Z",
        "properties": properties,
    }
    return {**event, **fields}


PRODUCT = {"product_id": "sku-1", "name": "Red Racecar", "price": 4.99}


def test_order_completed_sends_track_purchase_with_every_field(deliver):
    properties = {
        "order_id": "order-1",
        "email": "ada@example.com",
        "total": 9.98,
        "revenue": 8.5,
        "coupon": "SPRING",
        "campaignId": 11,
        "templateId": "22",
        "products": [{**PRODUCT, "quantity": 2}],
    }

    result, sent = deliver(order(properties))

    assert result.status == "sent"
    assert sent == [
        (
            "/api/commerce/trackPurchase",
            {
                "id": "order-1",
                "user": {"email": "ada@example.com", "userId": "u-1"},
                "items": [{"id": "sku-1", "name": "Red Racecar", "price": 4.99, "quantity": 2}],
                "total": 9.98,
                "createdAt": 1709294400,
                "dataFields": {
                    "order_id": "order-1",
                    "email": "ada@example.com",
                    "revenue": 8.5,
                    "coupon": "SPRING",
                },
                "campaignId": 11,
                "templateId": 22,
            },
        )
    ]


@pytest.mark.parametrize("name", ["order completed", "ORDER COMPLETED", "Order completed"])
def test_commerce_event_names_match_case_insensitively(deliver, name):
    _, sent = deliver(order({"total": 1}, event=name))

    assert sent[0][0] == "/api/commerce/trackPurchase"


def test_numeric_string_total_is_converted(deliver):
    _, sent = deliver(order({"total": "19.90"}))

    assert sent[0][1]["total"] == 19.9


@pytest.mark.parametrize("properties", [{}, {"revenue": 10}, {"total": None}])
def test_missing_total_is_an_error_and_revenue_is_not_used(deliver, properties):
    result, sent = deliver(order(properties))

    assert result.status == "failed"
    assert "total" in result.message
    assert sent == []


@pytest.mark.parametrize("total", ["ten", True, [1]])
def test_non_numeric_total_is_an_error(deliver, total):
    result, sent = deliver(order({"total": total}))

    assert result.status == "failed"
    assert "properties.total" in result.message
    assert sent == []


def test_order_without_products_has_empty_items(deliver):
    _, sent = deliver(order({"total": 3}))

    assert sent[0][1]["items"] == []


def test_order_user_carries_merge_nested_objects_when_given(deliver):
    event = order({"total": 3}, integrations={"Iterable": {"mergeNestedObjects": True}})

    _, sent = deliver(event)

    assert sent[0][1]["user"] == {"userId": "u-1", "mergeNestedObjects": True}


def test_order_without_order_id_or_timestamp_leaves_them_out(deliver):
    event = order({"total": 3})
    del event["timestamp"]

    _, sent = deliver(event)

    assert "id" not in sent[0][1]
    assert "createdAt" not in sent[0][1]


def test_product_fields_map_to_commerce_item_fields():
    product = {
        "product_id": 507,
        "id": "ignored-because-product_id-wins",
        "sku": 45790,
        "name": "Monopoly",
        "price": "18.99",
        "quantity": "3",
        "description": "Board game",
        "url": "https://shop.example/monopoly",
        "image_url": "https://shop.example/monopoly.png",
        "category": "Games",
        "brand": "Hasbro",
        "position": 3,
    }

    assert to_items([product]) == [
        {
            "id": "507",
            "name": "Monopoly",
            "price": 18.99,
            "quantity": 3,
            "sku": "45790",
            "description": "Board game",
            "url": "https://shop.example/monopoly",
            "imageUrl": "https://shop.example/monopoly.png",
            "categories": ["Games"],
            "dataFields": {"brand": "Hasbro", "position": 3},
        }
    ]


def test_product_id_falls_back_to_id_and_quantity_defaults_to_one():
    assert to_items([{"id": 9, "name": "Pen", "price": 1}]) == [
        {"id": "9", "name": "Pen", "price": 1, "quantity": 1}
    ]


@pytest.mark.parametrize(
    ("products", "message"),
    [
        ([PRODUCT, {"name": "No id", "price": 1}], "properties.products[1] is missing product_id"),
        ([{"product_id": "a", "price": 1}], "properties.products[0] is missing name"),
        ([{"product_id": "a", "name": "A"}], "properties.products[0] is missing price"),
        ([{**PRODUCT, "price": "cheap"}], "properties.products[0].price"),
        ([{**PRODUCT, "quantity": 1.5}], "properties.products[0].quantity"),
        ([{**PRODUCT, "category": {"a": 1}}], "properties.products[0].category"),
        ([PRODUCT, "sku-2"], "properties.products[1] must be an object"),
        ({"sku-1": PRODUCT}, "properties.products must be a list"),
    ],
)
def test_bad_products_are_errors_naming_index_and_field(products, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        to_items(products)


def test_bad_product_rejects_the_order_without_sending(deliver):
    result, sent = deliver(order({"total": 1, "products": [{"product_id": "a", "price": 1}]}))

    assert result.status == "failed"
    assert "properties.products[0] is missing name" in result.message
    assert sent == []


def cart_event(name, properties):
    return {
        "type": "track",
        "event": name,
        "messageId": "m",
        "userId": "u-1",
        "properties": properties,
    }


@pytest.mark.parametrize(
    "name", ["Product Added", "Product Removed", "Cart Updated", "cart updated"]
)
def test_cart_events_with_products_list_send_the_whole_cart(deliver, name):
    cart = [PRODUCT, {"product_id": "sku-2", "name": "Blue Racecar", "price": 5, "quantity": 2}]

    _, sent = deliver(cart_event(name, {"products": cart, "email": "ada@example.com"}))

    assert sent == [
        (
            "/api/commerce/updateCart",
            {
                "user": {"email": "ada@example.com", "userId": "u-1"},
                "items": [
                    {"id": "sku-1", "name": "Red Racecar", "price": 4.99, "quantity": 1},
                    {"id": "sku-2", "name": "Blue Racecar", "price": 5, "quantity": 2},
                ],
            },
        )
    ]


def test_empty_products_list_empties_the_cart(deliver):
    _, sent = deliver(cart_event("Product Removed", {"products": []}))

    assert sent == [("/api/commerce/updateCart", {"user": {"userId": "u-1"}, "items": []})]


@pytest.mark.parametrize("name", ["Product Added", "Product Removed", "Cart Updated"])
def test_cart_events_without_products_list_are_plain_events(deliver, name):
    properties = {"product_id": "sku-1", "name": "Red Racecar", "price": 4.99}

    _, sent = deliver(cart_event(name, properties))

    assert sent == [
        (
            "/api/events/track",
            {"userId": "u-1", "eventName": name, "id": "m", "dataFields": properties},
        )
    ]


def test_cart_event_with_non_list_products_is_an_error(deliver):
    result, sent = deliver(cart_event("Product Added", {"products": PRODUCT}))

    assert result.status == "failed"
    assert "properties.products must be a list" in result.message
    assert sent == []
