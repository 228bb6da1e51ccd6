"""The fake's own API under `/_mock/`: health, reset, projects, state dumps, the journal.

Kept apart from `/api` so nothing here can be mistaken for Iterable's behaviour.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, request

from . import openapi, persistence, snapshot
from .config import ProjectSettings
from .errors import BadParams, NotFound, Unauthorized
from .project import Project
from .validation import parse_json

admin = Blueprint("admin", __name__, url_prefix="/_mock")


@admin.before_request
def require_token() -> None:
    """When the fake is reachable beyond loopback, the admin API needs its token."""
    token = _state().config.admin_token
    if token is None:
        return
    given = request.headers.get("X-Admin-Token") or request.headers.get(
        "Authorization", ""
    ).removeprefix("Bearer ")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Unauthorized(
            "The admin API needs the admin token "
            "(header X-Admin-Token or Authorization: Bearer <token>)"
        )


def _state():
    return current_app.extensions["mock_iterable"]


def _project(api_key: str) -> Project:
    project = _state().store.project(api_key)
    if project is None:
        raise NotFound(f"No project has the API key {api_key!r}")
    return project


def _describe(project: Project) -> dict:
    return {
        "apiKey": project.api_key,
        "projectId": project.project_id,
        "settings": project.settings.to_dict(),
        "counts": project.counts(),
    }


@admin.get("/health")
def health():
    state = _state()
    return {
        "status": "ok",
        "projects": len(state.store.projects()),
        "journalEntries": len(state.journal),
        "forwarding": state.outbox.health(),
    }


@admin.post("/reset")
def reset_everything():
    state = _state()
    state.store.reset()
    state.journal.clear()
    return {"reset": "all"}


@admin.get("/projects")
def list_projects():
    return {"projects": [_describe(p) for p in _state().store.projects()]}


@admin.post("/projects")
def create_project():
    raw = parse_json(request.get_data(), request.path)
    if not isinstance(raw, dict) or not isinstance(raw.get("apiKey"), str) or not raw["apiKey"]:
        raise BadParams(
            "Body must be an object with a non-empty string apiKey",
            {"apiKey": "error.path.missing"},
        )
    settings = {k: v for k, v in raw.items() if k != "apiKey"}
    try:
        project_settings = ProjectSettings.from_dict(settings)
    except (TypeError, ValueError) as problem:
        raise BadParams(str(problem)) from None
    project = _state().store.add_project(raw["apiKey"], project_settings)
    return _describe(project), 201


@admin.get("/projects/<api_key>")
def get_project(api_key: str):
    return _describe(_project(api_key))


@admin.delete("/projects/<api_key>")
def delete_project(api_key: str):
    """Remove a project and its key: later requests with that key get 401."""
    _project(api_key)
    _state().store.remove_project(api_key)
    return {"deleted": api_key}


@admin.post("/projects/<api_key>/reset")
def reset_project(api_key: str):
    _project(api_key).reset()
    return {"reset": api_key}


@admin.get("/projects/<api_key>/state")
def dump_project(api_key: str):
    return _project(api_key).dump()


@admin.get("/journal")
def journal():
    limit = request.args.get("limit", type=int)
    if limit is not None and limit < 1:
        raise BadParams("limit must be a positive number of entries", {"limit": limit})
    entries = _state().journal.entries(path=request.args.get("path"), limit=limit)
    return {"entries": entries}


@admin.delete("/journal")
def clear_journal():
    _state().journal.clear()
    return {"cleared": True}


def _json_object() -> dict:
    raw = parse_json(request.get_data(), request.path)
    if not isinstance(raw, dict):
        raise BadParams("Body must be a JSON object", {"obj": "error.expected.jsobject"})
    return raw


@admin.post("/engagement")
def engagement():
    """Record an open, click, bounce... after a send, found by its messageId."""
    raw = _json_object()
    message_id, event_type = raw.get("messageId"), raw.get("event")
    if not isinstance(message_id, str) or not isinstance(event_type, str):
        raise BadParams(
            "messageId and event are required strings",
            {"messageId": message_id, "event": event_type},
        )
    project = _state().store.find_message(message_id)
    if project is None:
        raise NotFound(f"No message has the messageId {message_id}", {"messageId": message_id})
    fields = {k: v for k, v in raw.items() if k not in ("messageId", "event")}
    event = project.engage(message_id, event_type, fields)
    return event.render(project.users[event.uid]), 201


@admin.put("/projects/<api_key>/segment")
def set_segment(api_key: str):
    """Point the project's Iterable -> Segment forwarding at a URL and write key (or stop it)."""
    raw = _json_object()
    url, write_key = raw.get("url"), raw.get("writeKey")
    if url is not None and not (isinstance(url, str) and isinstance(write_key, str)):
        raise BadParams("Give url and writeKey as strings, or url null to stop forwarding")
    project = _project(api_key)
    project.settings.segment_url = url
    project.settings.segment_write_key = write_key if url else None
    return _describe(project)


@admin.get("/projects/<api_key>/webhooks")
def list_webhooks(api_key: str):
    return {"webhooks": _project(api_key).settings.webhooks}


@admin.post("/projects/<api_key>/webhooks")
def add_webhook(api_key: str):
    raw = _json_object()
    events = raw.get("events", [])
    valid = (
        isinstance(raw.get("url"), str)
        and isinstance(events, list)
        and all(isinstance(e, str) for e in events)
        and isinstance(raw.get("authorization", ""), str)
    )
    if not valid:
        raise BadParams("A webhook is {url, events?: [eventName...], authorization?}")
    hook = {"url": raw["url"], "events": events}
    if raw.get("authorization"):
        hook["authorization"] = raw["authorization"]
    project = _project(api_key)
    project.settings.webhooks = [*project.settings.webhooks, hook]
    return {"webhooks": project.settings.webhooks}, 201


@admin.delete("/projects/<api_key>/webhooks")
def clear_webhooks(api_key: str):
    _project(api_key).settings.webhooks = []
    return {"webhooks": []}


@admin.post("/forwarding/flush")
def flush_forwarding():
    """Wait (up to ?timeout= seconds) until queued Segment and webhook calls are sent."""
    timeout = request.args.get("timeout", default=10.0, type=float)
    idle = _state().outbox.wait_idle(min(max(timeout, 0.0), 60.0))
    return {"idle": idle, **_state().outbox.health()}


@admin.post("/faults")
def add_fault():
    """Add an injected-failure rule; see mock_iterable/faults.py for its fields."""
    return _state().faults.add(parse_json(request.get_data(), request.path)).describe(), 201


@admin.get("/faults")
def list_faults():
    return {"faults": [rule.describe() for rule in _state().faults.rules()]}


@admin.delete("/faults")
def clear_faults():
    _state().faults.clear()
    return {"faults": []}


@admin.get("/snapshot")
def export_snapshot():
    """One project as a versioned JSON document (spec/snapshot.schema.json)."""
    api_key = request.args.get("apiKey")
    if not api_key:
        raise BadParams("Give the project as ?apiKey=", {"apiKey": "error.path.missing"})
    return snapshot.export_project(_project(api_key))


@admin.put("/snapshot")
def import_snapshot():
    """Create or replace the snapshot's project with exactly the state it holds."""
    project = persistence.restore(_state().store, _json_object())
    return _describe(project)


@admin.get("/openapi.json")
def openapi_document():
    """Iterable's Swagger document, cut to what this fake implements."""
    return openapi.document()
