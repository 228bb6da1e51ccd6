"""A realistic, reproducible stream of Segment events: identify, track, page, Order Completed.

Shaped like what analytics.js and the server libraries send (context, integrations,
ISO timestamps, messageIds), so translation and delivery do their real work.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

# Share of each call in the stream; every kind goes through a different mapping path.
MIX = (("identify", 0.20), ("track", 0.45), ("page", 0.25), ("order", 0.10))
PLANS = ("free", "starter", "pro", "enterprise")
CATEGORIES = ("Shoes", "Shirts", "Hats", "Bags", "Books")
TRACK_NAMES = ("Product Viewed", "Product Clicked", "Signed Up", "Video Played", "Search")
PAGES = ("Home", "Pricing", "Docs", "Product", "Checkout")
EPOCH = datetime(2024, 5, 1, tzinfo=timezone.utc)


def _context(rng: random.Random, page: str) -> dict[str, Any]:
    return {
        "ip": f"203.0.113.{rng.randrange(1, 255)}",
        "library": {"name": "analytics.js", "version": "5.2.0"},
        "locale": "en-US",
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0",
        "page": {"path": f"/{page.lower()}", "url": f"https://shop.example.com/{page.lower()}"},
    }


def _product(rng: random.Random, n: int) -> dict[str, Any]:
    category = rng.choice(CATEGORIES)
    return {
        "product_id": f"prod-{n:05d}",
        "sku": f"SKU-{n:05d}",
        "name": f"{category[:-1]} model {n}",
        "category": category,
        "price": round(rng.uniform(5, 200), 2),
        "quantity": rng.randrange(1, 4),
        "url": f"https://shop.example.com/p/{n}",
    }


def make_event(rng: random.Random, index: int, users: int) -> dict[str, Any]:
    """Event number `index`; its user is one of `users`, so profiles are updated repeatedly."""
    kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
    uid = rng.randrange(users)
    when = EPOCH + timedelta(seconds=index * 3 + rng.randrange(3))
    page = rng.choice(PAGES)
    event: dict[str, Any] = {
        "type": "identify" if kind == "identify" else "page" if kind == "page" else "track",
        "messageId": f"msg-{index:08d}-{rng.getrandbits(32):08x}",
        "userId": f"user-{uid:06d}",
        "anonymousId": f"anon-{uid:06d}",
        "timestamp": when.isoformat().replace("+00:00", "Z"),
        "context": _context(rng, page),
        "integrations": {"All": True},
    }
    email = f"user{uid:06d}@example.com"
    if kind == "identify":
        event["traits"] = {
            "email": email,
            "firstName": f"First{uid}",
            "lastName": f"Last{uid}",
            "plan": rng.choice(PLANS),
            "logins": rng.randrange(1, 500),
            "phone": f"+1555{uid:07d}",
            "createdAt": (EPOCH - timedelta(days=uid % 700)).isoformat(),
            "address": {"city": "Springfield", "country": "US", "postalCode": "12345"},
        }
    elif kind == "track":
        product = _product(rng, rng.randrange(5000))
        event["event"] = rng.choice(TRACK_NAMES)
        event["properties"] = {**product, "currency": "USD", "email": email}
    elif kind == "page":
        event["name"] = page
        event["properties"] = {
            "title": f"{page} | Example Shop",
            "path": f"/{page.lower()}",
            "url": f"https://shop.example.com/{page.lower()}",
            "referrer": "https://www.google.com/",
            "email": email,
        }
    else:
        products = [_product(rng, rng.randrange(5000)) for _ in range(3)]
        total = round(sum(p["price"] * p["quantity"] for p in products), 2)
        event["event"] = "Order Completed"
        event["properties"] = {
            "order_id": f"order-{index:08d}",
            "email": email,
            "total": total,
            "revenue": round(total / 1.1, 2),
            "shipping": 4.99,
            "tax": round(total * 0.1, 2),
            "currency": "USD",
            "coupon": "SPRING",
            "products": products,
        }
    return event


def make_events(count: int, users: int = 10_000, seed: int = 42) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_event(rng, index, users) for index in range(count)]


def track_body(n: int, users: int = 10_000) -> bytes:
    """The events/track body of bench/wrk/events_track.lua: a new id, one of `users` users."""
    user = (n * 7919) % users
    product = n % 5000
    return (
        f'{{"email":"user{user:06d}@example.com","userId":"user-{user:06d}",'
        f'"eventName":"Product Viewed","id":"evt-{n:09d}","createdAt":{1714521600 + n},'
        f'"dataFields":{{"product_id":"prod-{product:05d}","sku":"SKU-{product:05d}",'
        f'"name":"Model {product}","category":"Shoes","price":{5 + n % 195}.{n % 100:02d},'
        f'"quantity":{1 + n % 3},"url":"https://shop.example.com/p/{product}",'
        f'"currency":"USD","email":"user{user:06d}@example.com"}}}}'
    ).encode()


def user_body(n: int, users: int = 5_000) -> bytes:
    """The users/update body of bench/wrk/users_update.lua, over a bounded set of emails."""
    user = (n * 7919) % users
    plan = PLANS[n % len(PLANS)]
    return (
        f'{{"email":"user{user:06d}@example.com","userId":"user-{user:06d}","dataFields":{{'
        f'"email":"user{user:06d}@example.com","firstName":"First{user}",'
        f'"lastName":"Last{user}","plan":"{plan}","logins":{n},"phone":"+1555{user:07d}",'
        f'"phoneNumber":"+1555{user:07d}","createdAt":"2023-{1 + user % 12:02d}-'
        f'{1 + user % 28:02d}T10:00:00+00:00","address":{{"city":"Springfield",'
        f'"country":"US","postalCode":"{user:05d}"}}}}}}'
    ).encode()
