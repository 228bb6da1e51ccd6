"""`python -m mock_iterable serve ...`: every flag can also come from the environment."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .config import PROJECT_TYPES, ProjectSettings, ServerConfig
from .segment_sink import create_sink
from .server import DEFAULT_THREADS, BackgroundServer, FakeServer, serve_until_signalled

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"MOCK_ITERABLE_{name}", default)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock_iterable", description="A stateful fake of Iterable's API."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="run the fake on a production WSGI server")
    serve_cmd.add_argument(
        "--host",
        default=_env("HOST", "127.0.0.1"),
        help="address to bind (env MOCK_ITERABLE_HOST; default loopback)",
    )
    serve_cmd.add_argument(
        "--port",
        type=int,
        default=int(_env("PORT", "8080")),
        help="port (env MOCK_ITERABLE_PORT; default 8080; 0 picks a free one)",
    )
    env_keys = [k for k in (_env("API_KEYS") or "").split(",") if k]
    serve_cmd.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        help="an API key, one project each; repeatable "
        "(env MOCK_ITERABLE_API_KEYS, comma-separated)",
    )
    serve_cmd.add_argument(
        "--project-type",
        choices=PROJECT_TYPES,
        default=_env("PROJECT_TYPE", "email"),
        help="identity rules of the projects (env MOCK_ITERABLE_PROJECT_TYPE)",
    )
    serve_cmd.add_argument(
        "--threads",
        type=int,
        default=int(_env("THREADS", str(DEFAULT_THREADS))),
        help="worker threads (env MOCK_ITERABLE_THREADS)",
    )
    serve_cmd.add_argument(
        "--journal-size",
        type=int,
        default=int(_env("JOURNAL_SIZE", "1000")),
        help="requests kept in the journal (env MOCK_ITERABLE_JOURNAL_SIZE)",
    )
    serve_cmd.add_argument(
        "--max-body-bytes",
        type=int,
        default=int(_env("MAX_BODY_BYTES", str(4 * 1024 * 1024))),
        help="larger bodies get 413 (env MOCK_ITERABLE_MAX_BODY_BYTES)",
    )
    serve_cmd.add_argument(
        "--segment-url",
        default=_env("SEGMENT_URL"),
        help="forward email and push events to <url>/v1/batch (env MOCK_ITERABLE_SEGMENT_URL)",
    )
    serve_cmd.add_argument(
        "--segment-write-key",
        default=_env("SEGMENT_WRITE_KEY"),
        help="Segment write key for forwarding (env MOCK_ITERABLE_SEGMENT_WRITE_KEY)",
    )
    serve_cmd.add_argument(
        "--admin-token",
        default=_env("ADMIN_TOKEN"),
        help="token the /_mock admin API requires; mandatory when binding "
        "beyond loopback (env MOCK_ITERABLE_ADMIN_TOKEN)",
    )
    serve_cmd.add_argument(
        "--state",
        default=_env("STATE"),
        metavar="DIR",
        help="keep state in DIR across restarts and crashes; every "
        "acknowledged write is on disk (env MOCK_ITERABLE_STATE)",
    )
    serve_cmd.set_defaults(env_keys=env_keys, run=serve)

    sink = commands.add_parser(
        "segment-sink", help="a tiny Segment endpoint that prints what arrives"
    )
    sink.add_argument("--host", default=_env("SINK_HOST", "127.0.0.1"))
    sink.add_argument("--port", type=int, default=int(_env("SINK_PORT", "9090")))
    sink.add_argument(
        "--write-key",
        default=_env("SINK_WRITE_KEY"),
        help="answer 401 unless calls carry this write key",
    )
    sink.set_defaults(run=segment_sink)
    return parser


def serve(args: argparse.Namespace) -> int:
    api_keys = args.api_keys or args.env_keys
    if not api_keys:
        print(
            "mock_iterable: give at least one --api-key (or MOCK_ITERABLE_API_KEYS)",
            file=sys.stderr,
        )
        return 2
    if args.host not in LOOPBACK and not args.admin_token:
        print(
            f"mock_iterable: binding to {args.host} exposes the admin API beyond this "
            "machine; give --admin-token (or MOCK_ITERABLE_ADMIN_TOKEN)",
            file=sys.stderr,
        )
        return 2
    settings = {
        key: ProjectSettings(
            project_type=args.project_type,
            segment_url=args.segment_url,
            segment_write_key=args.segment_write_key,
        )
        for key in api_keys
    }
    config = ServerConfig(
        projects=settings,
        journal_size=args.journal_size,
        max_body_bytes=args.max_body_bytes,
        admin_token=args.admin_token,
        state_dir=args.state,
    )
    server = FakeServer(config, args.host, args.port, args.threads)
    banner = (
        f"mock_iterable listening on {{url}} "
        f"({len(api_keys)} project(s), {args.project_type}-based)"
    )
    serve_until_signalled(server, banner)
    print("mock_iterable stopped", flush=True)
    return 0


def segment_sink(args: argparse.Namespace) -> int:
    server = BackgroundServer(
        create_sink(args.write_key), args.host, args.port, threads=4, name="segment-sink"
    )
    serve_until_signalled(server, "segment-sink listening on {url} (POST /v1/batch)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
