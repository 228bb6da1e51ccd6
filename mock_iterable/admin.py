"""The fake's own API under `/_mock/`: health, reset, projects, state dumps, the journal.

Kept apart from `/api` so nothing here can be mistaken for Iterable's behaviour.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from .config import ProjectSettings
from .errors import BadParams, NotFound
from .project import Project
from .validation import parse_json

admin = Blueprint("admin", __name__, url_prefix="/_mock")


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
    entries = _state().journal.entries(path=request.args.get("path"), limit=limit)
    return {"entries": entries}


@admin.delete("/journal")
def clear_journal():
    _state().journal.clear()
    return {"cleared": True}
