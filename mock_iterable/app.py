"""The application factory: `create_app(config)` builds one independent fake."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge

from . import durability
from .admin import admin
from .api import api_blueprint
from .api.common import IdentifierConverter
from .config import ServerConfig
from .errors import GenericError, IterableError, NotFound, PayloadTooLarge
from .faults import Faults
from .forwarding import Outbox
from .journal import BODY_LIMIT, Journal, keep
from .persistence import StateLog
from .store import Store

log = logging.getLogger(__name__)

# Iterable is a Play application: an unknown route gets Play's HTML page.
_NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>Action not found</title></head>"
    "<body><h1>Action not found</h1><p>For request '{method} {path}'</p></body></html>"
)


# werkzeug compiles each route with `ast`, and CPython 3.11 can fail ("AST constructor
# recursion depth mismatch") when threads do that at once: apps are built one at a time.
BUILD_LOCK = threading.Lock()


@dataclass
class MockState:
    """Everything one fake holds, reachable from views as `current_app.extensions`."""

    config: ServerConfig
    store: Store
    journal: Journal
    outbox: Outbox
    faults: Faults
    state_log: StateLog | None = None

    def close(self) -> None:
        """Flush what is still queued for Segment and webhooks; release the state log."""
        self.outbox.close(self.config.flush_timeout)
        if self.state_log is not None:
            self.state_log.close()


def create_app(config: ServerConfig | None = None) -> Flask:
    """A new, independent fake. Safe to call from several threads at once."""
    with BUILD_LOCK:
        return _build(config or ServerConfig())


def _build(config: ServerConfig) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json.sort_keys = False
    app.json.compact = True
    outbox = Outbox(config.forward_queue_size, config.forward_backoff_cap)
    app.extensions["mock_iterable"] = MockState(
        config,
        Store(config.projects, outbox.forward),
        Journal(config.journal_size),
        outbox,
        Faults(),
    )
    app.url_map.converters["identifier"] = IdentifierConverter
    app.register_blueprint(api_blueprint())
    app.register_blueprint(admin)
    app.register_error_handler(IterableError, _iterable_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.after_request(_record)
    if config.state_dir is not None:
        state = app.extensions["mock_iterable"]
        state.state_log = StateLog(config.state_dir)
        durability.install(app, state.state_log)
    return app


def _iterable_error(error: IterableError):
    return error.body(), error.status, error.headers or {}


def _http_error(error: HTTPException):
    if error.code == 413:
        return _iterable_error(
            PayloadTooLarge(
                f"[{request.path}] Request body is larger than the limit of "
                f"{request.max_content_length} bytes"
            )
        )
    if request.path.startswith("/api/") and error.code in (404, 405):
        page = _NOT_FOUND_PAGE.format(method=request.method, path=request.path)
        return Response(page, status=404, mimetype="text/html")
    if error.code == 404:
        return _iterable_error(NotFound(f"No such endpoint: {request.method} {request.path}"))
    return {"msg": error.description, "code": "BadParams", "params": None}, error.code


def _unexpected_error(error: Exception):
    log.exception("unexpected error on %s %s", request.method, request.path)
    return _iterable_error(GenericError(f"Internal error: {type(error).__name__}"))


def _record(response: Response) -> Response:
    """Journal every `/api` exchange; the key itself is never stored."""
    if not request.path.startswith("/api/"):
        return response
    state: MockState = current_app.extensions["mock_iterable"]
    project = g.get("project")
    state.journal.record(
        {
            "time": time.time(),
            "method": request.method,
            "path": request.path,
            "query": {k: ("<redacted>" if k == "api_key" else v) for k, v in request.args.items()},
            "projectId": project.project_id if project else None,
            "status": response.status_code,
            "requestBody": _request_body_for_journal(),
            "responseBody": keep(response.get_data()),
        }
    )
    return response


def _request_body_for_journal() -> bytes | str:
    """The raw body; an oversize one (already refused with 413) is not read."""
    length = request.content_length
    if length is not None and length > BODY_LIMIT:
        return f"<{length} bytes, not kept>"
    try:
        return keep(request.get_data(cache=True))
    except RequestEntityTooLarge:
        return "<body over the size limit, not kept>"
    except ClientDisconnected:
        return "<client disconnected before sending the body>"
