"""`python -m mock_iterable serve ...`: every flag can also come from the environment."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence

from .app import create_app
from .config import PROJECT_TYPES, ProjectSettings, ServerConfig
from .server import DEFAULT_THREADS, make_server, server_url, start_in_thread

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"MOCK_ITERABLE_{name}", default)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock_iterable", description="A stateful fake of Iterable's API."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the fake on a production WSGI server")
    serve.add_argument(
        "--host",
        default=_env("HOST", "127.0.0.1"),
        help="address to bind (env MOCK_ITERABLE_HOST; default loopback)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=int(_env("PORT", "8080")),
        help="port (env MOCK_ITERABLE_PORT; default 8080; 0 picks a free one)",
    )
    env_keys = [k for k in (_env("API_KEYS") or "").split(",") if k]
    serve.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        help="an API key, one project each; repeatable "
        "(env MOCK_ITERABLE_API_KEYS, comma-separated)",
    )
    serve.add_argument(
        "--project-type",
        choices=PROJECT_TYPES,
        default=_env("PROJECT_TYPE", "email"),
        help="identity rules of the projects (env MOCK_ITERABLE_PROJECT_TYPE)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=int(_env("THREADS", str(DEFAULT_THREADS))),
        help="worker threads (env MOCK_ITERABLE_THREADS)",
    )
    serve.add_argument(
        "--journal-size",
        type=int,
        default=int(_env("JOURNAL_SIZE", "1000")),
        help="requests kept in the journal (env MOCK_ITERABLE_JOURNAL_SIZE)",
    )
    serve.add_argument(
        "--max-body-bytes",
        type=int,
        default=int(_env("MAX_BODY_BYTES", str(4 * 1024 * 1024))),
        help="larger bodies get 413 (env MOCK_ITERABLE_MAX_BODY_BYTES)",
    )
    serve.set_defaults(env_keys=env_keys)
    return parser


def serve(args: argparse.Namespace) -> int:
    api_keys = args.api_keys or args.env_keys
    if not api_keys:
        print(
            "mock_iterable: give at least one --api-key (or MOCK_ITERABLE_API_KEYS)",
            file=sys.stderr,
        )
        return 2
    settings = {key: ProjectSettings(project_type=args.project_type) for key in api_keys}
    config = ServerConfig(
        projects=settings, journal_size=args.journal_size, max_body_bytes=args.max_body_bytes
    )
    server = make_server(create_app(config), args.host, args.port, args.threads)
    thread = start_in_thread(server)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    print(
        f"mock_iterable listening on {server_url(server)} "
        f"({len(api_keys)} project(s), {args.project_type}-based)",
        flush=True,
    )
    while not stopping.wait(0.5) and thread.is_alive():
        pass
    server.stop()
    thread.join(timeout=10)
    print("mock_iterable stopped", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return serve(args)
