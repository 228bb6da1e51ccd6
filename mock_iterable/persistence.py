"""Durable state for `--state DIR`: a snapshot plus an append-only log of acknowledged writes.

Every write that is about to get a 2xx is appended to `writes.log` and fsync'd
before the response leaves, together with the time and random seed it ran
under. On start the snapshot is loaded and the log replayed through the same
request handlers, pinned to those times and seeds, so the state is exactly what
clients were told; then the log is folded into a fresh snapshot (compaction).

Why a log and not SQLite: the in-memory model stays the one source of truth,
and replaying real requests means persistence cannot drift from behaviour; a
relational copy of every entity would be a second model to keep in step.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from . import snapshot
from .project import Project
from .store import Store

SNAPSHOT_NAME = "snapshot.json"
LOG_NAME = "writes.log"
STORE_FORMAT = "mock-iterable-state"


class StateLog:
    def __init__(self, directory: str | os.PathLike[str]):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.snapshot_path = self.directory / SNAPSHOT_NAME
        self.log_path = self.directory / LOG_NAME
        # Writes are applied and logged one at a time, so the log's order is the apply order.
        self.write_lock = threading.RLock()
        self._log_fd: int | None = None

    def append(self, entry: dict[str, Any]) -> None:
        """Durable before returning: the caller acknowledges the write only after this."""
        line = (json.dumps(entry, separators=(",", ":")) + "\n").encode("utf-8")
        if self._log_fd is None:
            self._log_fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.write(self._log_fd, line)
        os.fsync(self._log_fd)

    def entries(self) -> list[dict[str, Any]]:
        """The logged writes; a torn last line (never acknowledged) is ignored."""
        if not self.log_path.exists():
            return []
        found = []
        for line in self.log_path.read_bytes().splitlines():
            try:
                found.append(json.loads(line))
            except ValueError:
                break
        return found

    def load_snapshot(self, store: Store) -> None:
        if not self.snapshot_path.exists():
            return
        document = json.loads(self.snapshot_path.read_text("utf-8"))
        for project_document in document["projects"]:
            restore(store, project_document)

    def compact(self, store: Store) -> None:
        """Write every project into a new snapshot atomically, then start an empty log."""
        document = {
            "format": STORE_FORMAT,
            "version": snapshot.VERSION,
            "projects": [snapshot.export_project(p) for p in store.projects()],
        }
        temporary = self.snapshot_path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(document, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.snapshot_path)
        self.close()
        with open(self.log_path, "wb") as handle:
            os.fsync(handle.fileno())
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def close(self) -> None:
        if self._log_fd is not None:
            os.close(self._log_fd)
            self._log_fd = None


def restore(store: Store, document: dict[str, Any]) -> Project:
    """Create (or replace) the project a snapshot describes, holding its state."""
    snapshot.check(document)
    project = store.restore_project(
        document["project"]["apiKey"],
        snapshot.settings_of(document),
        document["project"]["projectId"],
    )
    snapshot.load_into(project, document["state"])
    return project
