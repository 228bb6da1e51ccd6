"""A project as one versioned JSON document: export, import, and --state compaction.

The format is described by `spec/snapshot.schema.json`; `version` changes when a
field's meaning does, so an old file is refused with a clear message rather than
misread.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator

from .config import ProjectSettings
from .errors import BadParams
from .models import Event, User
from .project import Project

FORMAT = "mock-iterable-snapshot"
VERSION = 1


@cache
def _validator() -> Draft7Validator:
    text = resources.files(__package__).joinpath("spec/snapshot.schema.json").read_text("utf-8")
    return Draft7Validator(json.loads(text))


def export_project(project: Project) -> dict[str, Any]:
    with project.lock:
        users = [
            {
                "uid": u.uid,
                "email": u.email,
                "userId": u.user_id,
                "createdAt": u.created_at,
                "updatedAt": u.updated_at,
                "dataFields": u.data_fields,
            }
            for u in project.users.values()
        ]
        events = [
            {
                "id": e.id,
                "uid": e.uid,
                "eventType": e.event_type,
                "eventName": e.event_name,
                "createdAt": e.created_at,
                "updatedAt": e.updated_at,
                "dataFields": e.data_fields,
                "extra": e.extra,
            }
            for e in project.events.values()
        ]
        document = {
            "format": FORMAT,
            "version": VERSION,
            "exportedAt": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "project": {
                "apiKey": project.api_key,
                "projectId": project.project_id,
                "settings": project.settings.to_dict(),
            },
            "state": {
                "users": users,
                "events": events,
                "userTypes": project.user_types,
                "eventTypes": project.event_types,
                "forgottenEmails": sorted(project.forgotten_emails),
                "forgottenUserIds": sorted(project.forgotten_user_ids),
                "lists": list(project.lists.values()),
                "messages": project.messages,
                "campaignSends": [list(send) for send in sorted(project.campaign_sends)],
            },
        }
        # A deep copy through JSON: the export must not share objects with live state.
        return json.loads(json.dumps(document))


def check(document: Any) -> None:
    """Refuse a document that is not a snapshot this version can read, saying why."""
    if isinstance(document, dict) and document.get("format") == FORMAT:
        version = document.get("version")
        if version != VERSION:
            raise BadParams(
                f"snapshot version {version!r} is not supported; this fake reads version {VERSION}"
            )
    problems = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    if problems:
        where = "/".join(str(p) for p in problems[0].absolute_path) or "(document)"
        raise BadParams(f"not a valid snapshot: {where}: {problems[0].message}")


def load_into(project: Project, state: dict[str, Any]) -> None:
    """Replace everything the project stores with the snapshot's state."""
    with project.lock:
        project._init_state()
        for raw in state["users"]:
            user = User(
                uid=raw["uid"],
                email=raw.get("email"),
                user_id=raw.get("userId"),
                created_at=raw["createdAt"],
                updated_at=raw["updatedAt"],
                data_fields=raw["dataFields"],
            )
            project.users[user.uid] = user
            project.user_events[user.uid] = {}
            if user.email is not None:
                project.by_email.setdefault(user.email, []).append(user.uid)
            if user.user_id is not None:
                project.by_user_id.setdefault(user.user_id, []).append(user.uid)
        for raw in state["events"]:
            if raw["uid"] not in project.users:
                raise BadParams(f"not a valid snapshot: event {raw['id']} has no user")
            project._store_event(
                Event(
                    id=raw["id"],
                    uid=raw["uid"],
                    event_type=raw["eventType"],
                    event_name=raw["eventName"],
                    created_at=raw["createdAt"],
                    updated_at=raw["updatedAt"],
                    data_fields=raw.get("dataFields"),
                    extra=raw.get("extra"),
                )
            )
        project.user_types.update(state["userTypes"])
        project.event_types.update(state["eventTypes"])
        project.forgotten_emails.update(state.get("forgottenEmails", []))
        project.forgotten_user_ids.update(state.get("forgottenUserIds", []))
        project.lists.update({entry["id"]: entry for entry in state.get("lists", [])})
        project.messages.update(state.get("messages", {}))
        project.campaign_sends.update(tuple(send) for send in state.get("campaignSends", []))
        project.restart_counters()


def settings_of(document: dict[str, Any]) -> ProjectSettings:
    try:
        return ProjectSettings.from_dict(document["project"]["settings"])
    except (TypeError, ValueError) as problem:
        raise BadParams(f"not a valid snapshot: project/settings: {problem}") from None
