"""What every API view shares: the guard in front of it, its project, its body, its envelope."""

from __future__ import annotations

import math
from typing import Any

from flask import current_app, g, request
from werkzeug.routing import PathConverter

from .. import faults
from ..durability import is_replay
from ..errors import BadApiKey, BadParams, RateLimitExceeded
from ..project import Project
from ..validation import validated_body


class IdentifierConverter(PathConverter):
    """An email or userId in a path: may hold `/` and, URL-encoded, even a newline."""

    regex = r"[^/][\s\S]*?"


def guard() -> None:
    """In order: injected faults, the API key, then the project's rate limit."""
    if not request.path.startswith("/api/"):
        return
    state = current_app.extensions["mock_iterable"]
    # Iterable reads the key from `Api-Key` (also `Api_Key`/`api_key`) or `?api_key=`.
    api_key = request.headers.get("Api-Key") or request.args.get("api_key")
    replaying = is_replay()
    rule = None if replaying else state.faults.fire(request.method, request.path, api_key)
    if rule is not None:
        faults.apply(rule, request.environ)
    project = state.store.project(api_key)
    if project is None:
        raise BadApiKey(
            "Invalid API key", {"ip": request.remote_addr or "", "endpoint": request.path}
        )
    g.project = project
    if project.settings.rate_limits and request.endpoint and not replaying:
        wait = project.limiter.wait_time(request.endpoint.removeprefix("api."))
        if wait > 0:
            error = RateLimitExceeded("Exceeded rate limit.")
            error.headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            raise error


def project() -> Project:
    return g.project


def body(definition: str) -> dict[str, Any]:
    config = current_app.extensions["mock_iterable"].config
    return validated_body(
        request.get_data(cache=True), request.path, definition, config.max_json_depth
    )


def success(msg: str = "", params: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"msg": msg, "code": "Success", "params": params}


def query_text(name: str) -> str:
    value = request.args.get(name)
    if not value:
        raise BadParams(f"Missing required query parameter: {name}", {name: "error.path.missing"})
    return value


def query_int(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadParams(f"{name} must be an integer", {name: raw}) from None
