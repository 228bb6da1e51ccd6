"""All projects of one fake, keyed by API key."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

from .config import ProjectSettings
from .project import Project

FIRST_PROJECT_ID = 10000


class Store:
    def __init__(
        self,
        projects: dict[str, ProjectSettings] | None = None,
        on_system_event: Callable[[ProjectSettings, dict[str, Any]], None] | None = None,
    ):
        self._lock = threading.Lock()
        self._on_system_event = on_system_event
        self._projects: dict[str, Project] = {}
        self._ids = itertools.count(FIRST_PROJECT_ID)
        for api_key, settings in (projects or {}).items():
            self.add_project(api_key, settings)

    def add_project(self, api_key: str, settings: ProjectSettings | None = None) -> Project:
        """A new, empty project; an existing key gets its settings replaced and is emptied."""
        with self._lock:
            project = Project(next(self._ids), api_key, settings or ProjectSettings())
            project.on_system_event = self._on_system_event
            self._projects[api_key] = project
            return project

    def restore_project(self, api_key: str, settings: ProjectSettings, project_id: int) -> Project:
        """A project under its exported id; later projects are numbered past it."""
        with self._lock:
            project = Project(project_id, api_key, settings)
            project.on_system_event = self._on_system_event
            self._projects[api_key] = project
            highest = max(p.project_id for p in self._projects.values())
            self._ids = itertools.count(max(highest + 1, next(self._ids)))
            return project

    def remove_project(self, api_key: str) -> Project | None:
        with self._lock:
            return self._projects.pop(api_key, None)

    def project(self, api_key: str | None) -> Project | None:
        return self._projects.get(api_key) if api_key else None

    def projects(self) -> list[Project]:
        with self._lock:
            return list(self._projects.values())

    def find_message(self, message_id: str) -> Project | None:
        """The project whose campaign send carries this messageId."""
        for project in self.projects():
            if message_id in project.messages:
                return project
        return None

    def reset(self) -> None:
        for project in self.projects():
            project.reset()
