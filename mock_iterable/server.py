"""Serving the fake on cheroot, a production WSGI server, in the foreground or in a thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cheroot import wsgi
from flask import Flask

from .app import MockState, create_app
from .config import ProjectSettings, ServerConfig
from .project import Project

DEFAULT_THREADS = 16


def make_server(app: Flask, host: str, port: int, threads: int = DEFAULT_THREADS) -> wsgi.Server:
    server = wsgi.Server((host, port), app, numthreads=threads, server_name="mock-iterable")
    # Clients behind a proxy may hold connections; don't let one stall shutdown for long.
    server.shutdown_timeout = 2
    return server


def start_in_thread(server: wsgi.Server) -> threading.Thread:
    """Bind now (so the URL is known), then serve from a background thread."""
    server.prepare()
    thread = threading.Thread(target=server.serve, name="mock-iterable", daemon=True)
    thread.start()
    return thread


def server_url(server: wsgi.Server) -> str:
    host, port = server.bind_addr[:2]
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}"


@dataclass
class RunningFake:
    """A fake listening on a real socket: its URL, its first API key, and its state."""

    url: str
    api_key: str
    app: Flask

    @property
    def state(self) -> MockState:
        return self.app.extensions["mock_iterable"]

    def project(self, api_key: str | None = None) -> Project:
        project = self.state.store.project(api_key or self.api_key)
        if project is None:
            raise KeyError(f"no project with API key {api_key!r}")
        return project

    def dump(self, api_key: str | None = None) -> dict[str, Any]:
        return self.project(api_key).dump()

    def reset(self) -> None:
        self.state.store.reset()
        self.state.journal.clear()


@contextmanager
def running_fake(
    config: ServerConfig | None = None,
    *,
    api_key: str = "test-key",
    project_type: str = "email",
    host: str = "127.0.0.1",
    threads: int = DEFAULT_THREADS,
) -> Iterator[RunningFake]:
    """Start a fresh fake on a free port in a background thread; stop it on exit."""
    config = config or ServerConfig(projects={api_key: ProjectSettings(project_type=project_type)})
    app = create_app(config)
    server = make_server(app, host, 0, threads)
    thread = start_in_thread(server)
    first_key = next(iter(config.projects), api_key)
    try:
        yield RunningFake(url=server_url(server), api_key=first_key, app=app)
    finally:
        server.stop()
        thread.join(timeout=10)
