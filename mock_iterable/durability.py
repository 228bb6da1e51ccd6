"""Wiring `--state` into the app: log each acknowledged write, replay the log on start."""

from __future__ import annotations

import random
import time
from typing import Any

from flask import Flask, Response, current_app, g, request

from . import requestcontext
from .persistence import StateLog

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Admin calls that change nothing a restart should bring back.
NOT_STATE = ("/_mock/forwarding/", "/_mock/faults", "/_mock/journal")
REPLAY_KEY = "mock_iterable.replay"


def is_replay() -> bool:
    return REPLAY_KEY in request.environ


def _is_write() -> bool:
    return (
        request.method in MUTATING
        and request.path.startswith(("/api/", "/_mock/"))
        and not request.path.startswith(NOT_STATE)
    )


def _state_log() -> StateLog:
    return current_app.extensions["mock_iterable"].state_log


def _begin_write() -> None:
    if not _is_write():
        return
    _state_log().write_lock.acquire()
    g.holds_write_lock = True
    replay = request.environ.get(REPLAY_KEY)
    now, seed = replay if replay else (time.time(), random.getrandbits(63))
    g.pin = requestcontext.pinned(now, seed)
    g.pin.__enter__()
    if not replay:
        g.write_entry = {
            "method": request.method,
            "path": request.path,
            "query": request.query_string.decode("latin-1"),
            "apiKey": request.headers.get("Api-Key") or request.args.get("api_key"),
            # latin-1 maps every byte to one character, so the body replays byte for byte.
            "body": request.get_data(cache=True).decode("latin-1"),
            "now": now,
            "seed": seed,
        }


def _log_write(response: Response) -> Response:
    entry = g.pop("write_entry", None)
    if entry is not None and response.status_code < 300:
        _state_log().append(entry)
    return response


def _end_write(_error: BaseException | None) -> None:
    pin = g.pop("pin", None)
    if pin is not None:
        pin.__exit__(None, None, None)
    if g.pop("holds_write_lock", False):
        _state_log().write_lock.release()


def install(app: Flask, state_log: StateLog) -> None:
    app.before_request(_begin_write)
    app.after_request(_log_write)
    app.teardown_request(_end_write)
    _recover(app, state_log)


def _recover(app: Flask, state_log: StateLog) -> None:
    """Load the snapshot, replay the log without forwarding anything again, compact."""
    state = app.extensions["mock_iterable"]
    state.outbox.paused = True
    state_log.load_snapshot(state.store)
    client = app.test_client()
    for entry in state_log.entries():
        client.open(
            entry["path"],
            method=entry["method"],
            query_string=entry["query"],
            data=entry["body"].encode("latin-1"),
            headers=_replay_headers(app, entry),
            environ_base={REPLAY_KEY: (entry["now"], entry["seed"])},
        )
    state.outbox.paused = False
    state.journal.clear()
    state_log.compact(state.store)


def _replay_headers(app: Flask, entry: dict[str, Any]) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if entry.get("apiKey"):
        headers["Api-Key"] = entry["apiKey"]
    token = app.extensions["mock_iterable"].config.admin_token
    if token:
        headers["X-Admin-Token"] = token
    return headers
