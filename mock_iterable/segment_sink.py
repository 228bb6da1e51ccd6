"""A tiny stand-in for Segment's HTTP Tracking API: it prints and keeps what arrives.

Run it beside the fake (`python -m mock_iterable segment-sink`) to watch email
and push events come back from Iterable; `GET /calls` returns them as JSON.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
from typing import Any, TextIO

from flask import Flask, request

from .app import BUILD_LOCK
from .validation import parse_json


def _write_key() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:]).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded.partition(":")[0]


def describe_call(call: dict[str, Any]) -> str:
    """One readable line per call: type, event, identity, properties."""
    who = (
        f"userId={call['userId']}"
        if call.get("userId")
        else f"anonymousId={call.get('anonymousId')}"
    )
    props = json.dumps(call.get("properties", {}), sort_keys=True)
    return f"{call.get('type', '?'):<8} {call.get('event', ''):<24} {who:<28} {props}"


def create_sink(write_key: str | None = None, out: TextIO | None = None) -> Flask:
    with BUILD_LOCK:
        return _build(write_key, out)


def _build(write_key: str | None, out: TextIO | None) -> Flask:
    app = Flask(__name__)
    calls: list[dict[str, Any]] = []
    lock = threading.Lock()
    stream = out or sys.stdout

    @app.post("/v1/<kind>")
    def receive(kind: str):
        if write_key is not None and _write_key() != write_key:
            return {"success": False, "error": "bad write key"}, 401
        body = parse_json(request.get_data(), request.path)
        received = body.get("batch", []) if kind == "batch" else [{**body, "type": kind}]
        with lock:
            calls.extend(received)
        for call in received:
            print(describe_call(call), file=stream, flush=True)
        return {"success": True}

    @app.get("/calls")
    def list_calls():
        with lock:
            return {"calls": list(calls)}

    @app.delete("/calls")
    def clear_calls():
        with lock:
            calls.clear()
        return {"calls": []}

    return app
