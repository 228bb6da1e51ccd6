"""Serving the fake on cheroot, a production WSGI server, from a background thread."""

from __future__ import annotations

import signal
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


class BackgroundServer:
    """A WSGI app on a real socket. `start()` binds (so the URL is known) and serves."""

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = DEFAULT_THREADS,
        name: str = "mock-iterable",
    ):
        self.app = app
        self._server = wsgi.Server((host, port), app, numthreads=threads, server_name=name)
        # A client holding a keep-alive connection must not stall shutdown for long, and
        # stop() must not wait out cheroot's default half-second poll.
        self._server.shutdown_timeout = 2
        self._server.expiration_interval = 0.05
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.bind_addr[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"

    def start(self) -> str:
        self._server.prepare()
        self._thread = threading.Thread(
            target=self._server.serve, name=self._server.server_name, daemon=True
        )
        self._thread.start()
        return self.url

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """Stop accepting and finish in-flight requests."""
        self._server.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)


class FakeServer(BackgroundServer):
    def __init__(
        self,
        config: ServerConfig,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = DEFAULT_THREADS,
    ):
        super().__init__(create_app(config), host, port, threads)

    def stop(self) -> None:
        """Also flush what is queued for Segment and webhooks."""
        super().stop()
        self.app.extensions["mock_iterable"].close()


def serve_until_signalled(server: BackgroundServer, banner: str) -> None:
    """Serve in the foreground until SIGTERM or SIGINT, then stop cleanly."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    print(banner.format(url=server.start()), flush=True)
    while not stopping.wait(0.5) and server.is_alive():
        pass
    server.stop()


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
    server = FakeServer(config, host, 0, threads)
    url = server.start()
    try:
        yield RunningFake(url=url, api_key=next(iter(config.projects), api_key), app=server.app)
    finally:
        server.stop()
