"""Segment `products` to Iterable CommerceItems, which Iterable validates strictly."""

from __future__ import annotations

from typing import Any

from destination.dates import convert_dates
from destination.errors import ValidationError
from destination.fields import integer, number, present, text, type_name

# Optional product keys copied as strings, with their CommerceItem names.
_OPTIONAL_TEXT = (
    ("sku", "sku"),
    ("description", "description"),
    ("url", "url"),
    ("image_url", "imageUrl"),
)
# Product keys that become CommerceItem fields; every other key goes to the item's dataFields.
_MAPPED_KEYS = frozenset(
    {"product_id", "id", "name", "price", "quantity", "category"} | {s for s, _ in _OPTIONAL_TEXT}
)


def to_items(products: Any, label: str = "properties.products") -> list[dict[str, Any]]:
    """CommerceItems for a products list; a missing list is an empty cart."""
    if products is None:
        return []
    if not isinstance(products, list):
        raise ValidationError(f"{label} must be a list of objects, got {type_name(products)}")
    return [to_item(product, f"{label}[{index}]") for index, product in enumerate(products)]


def to_item(product: Any, label: str) -> dict[str, Any]:
    """One CommerceItem: Iterable requires id (string), name, price (number), quantity (integer)."""
    if not isinstance(product, dict):
        raise ValidationError(f"{label} must be an object, got {type_name(product)}")
    id_key = "product_id" if present(product.get("product_id")) else "id"
    if not present(product.get(id_key)):
        raise ValidationError(f"{label} is missing product_id (or id)")
    for required in ("name", "price"):
        if not present(product.get(required)):
            raise ValidationError(f"{label} is missing {required}")

    item: dict[str, Any] = {
        "id": text(product[id_key], f"{label}.{id_key}"),
        "name": text(product["name"], f"{label}.name"),
        "price": number(product["price"], f"{label}.price"),
        "quantity": 1,
    }
    if present(product.get("quantity")):
        item["quantity"] = integer(product["quantity"], f"{label}.quantity")
    for source, target in _OPTIONAL_TEXT:
        if present(product.get(source)):
            item[target] = text(product[source], f"{label}.{source}")
    if present(product.get("category")):
        item["categories"] = [text(product["category"], f"{label}.category")]
    extra = {key: value for key, value in product.items() if key not in _MAPPED_KEYS}
    if extra:
        item["dataFields"] = convert_dates(extra)
    return item
