"""The Swagger document of what the fake implements, served at `/_mock/openapi.json`.

It is Iterable's own document cut down to the implemented operations, with the
statuses the fake really answers added, so a schema-driven fuzzer (schemathesis)
can hold the fake to it.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from .validation import swagger

IMPLEMENTED: dict[str, tuple[str, ...]] = {
    "/api/users/update": ("post",),
    "/api/users/bulkUpdate": ("post",),
    "/api/users/updateEmail": ("post",),
    "/api/users/{email}": ("get", "delete"),
    "/api/users/getByEmail": ("get",),
    "/api/users/byUserId/{userId}": ("get", "delete"),
    "/api/users/byUserId": ("get",),
    "/api/users/getFields": ("get",),
    "/api/users/forget": ("post",),
    "/api/users/unforget": ("post",),
    "/api/users/registerDeviceToken": ("post",),
    "/api/users/disableDevice": ("post",),
    "/api/events/track": ("post",),
    "/api/events/trackBulk": ("post",),
    "/api/events/{email}": ("get",),
    "/api/events/byUserId/{userId}": ("get",),
    "/api/commerce/trackPurchase": ("post",),
    "/api/commerce/updateCart": ("post",),
    "/api/email/target": ("post",),
    "/api/push/target": ("post",),
    "/api/lists": ("get", "post"),
    "/api/lists/{listId}": ("delete",),
    "/api/lists/subscribe": ("post",),
    "/api/lists/unsubscribe": ("post",),
}

# Statuses the fake answers beyond those Iterable's document lists for every operation.
_EXTRA_RESPONSES = {
    "400": "Invalid parameters or body",
    "401": "Invalid API key",
    "404": "Unknown user (byUserId), unknown message, or no such route",
    "409": "Email/userId conflict, or a forgotten user",
    "413": "Body larger than the limit",
    "429": "Rate limit exceeded (opt-in, or an injected fault)",
}


@cache
def document() -> dict[str, Any]:
    source = swagger()
    paths = {
        path: {method: _with_extra_responses(source["paths"][path][method]) for method in methods}
        for path, methods in IMPLEMENTED.items()
    }
    definitions = copy.deepcopy(source["definitions"])
    # Iterable answers `"params": null` on success (real traffic); its document says object.
    definitions["IterableApiResponse"]["properties"]["params"]["x-nullable"] = True
    return {
        **{k: v for k, v in source.items() if k not in ("paths", "definitions")},
        "info": {
            **source["info"],
            "title": "mock_iterable (the implemented part of "
            + source["info"].get("title", "Iterable's API")
            + ")",
        },
        "host": "localhost",
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": definitions,
    }


def _with_extra_responses(operation: dict[str, Any]) -> dict[str, Any]:
    operation = copy.deepcopy(operation)
    responses = operation.setdefault("responses", {})
    for status, description in _EXTRA_RESPONSES.items():
        responses.setdefault(status, {"description": description})
    return operation
