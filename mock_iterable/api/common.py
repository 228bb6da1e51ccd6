"""What every API view shares: the project behind the key, the body, the success envelope."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request

from ..errors import BadApiKey, BadParams
from ..project import Project
from ..validation import validated_body


def authenticate() -> None:
    """Iterable reads the key from `Api-Key` (also `Api_Key`/`api_key`) or `?api_key=`."""
    api_key = request.headers.get("Api-Key") or request.args.get("api_key")
    project = current_app.extensions["mock_iterable"].store.project(api_key)
    if project is None:
        raise BadApiKey(
            "Invalid API key", {"ip": request.remote_addr or "", "endpoint": request.path}
        )
    g.project = project


def project() -> Project:
    return g.project


def body(definition: str) -> dict[str, Any]:
    return validated_body(request.get_data(cache=True), request.path, definition)


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
