"""The throughput ceiling: the least a Flask endpoint can do for the same request.

It parses the same JSON body and answers the same envelope as the fake, under the same
WSGI server (cheroot via the fake's own BackgroundServer) and thread count, so the gap
between it and the fake is the cost of the fake's own work (validation, state, journal).

Run: `python -m bench.ceiling_app --port P --threads N`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from flask import Flask, request

from mock_iterable.server import DEFAULT_THREADS, BackgroundServer, serve_until_signalled

ENVELOPE = {"msg": "", "code": "Success", "params": None}


def create_ceiling_app() -> Flask:
    """Same routes and envelope as the fake's events/track and users/update, nothing else."""
    app = Flask(__name__)
    app.json.sort_keys = False
    app.json.compact = True

    def answer() -> dict:
        body = request.get_json(force=True)
        if not isinstance(body, dict):
            return {"msg": "Invalid JSON body", "code": "BadJsonBody", "params": None}, 400
        return ENVELOPE

    app.add_url_rule("/api/events/track", "track", answer, methods=["POST"])
    app.add_url_rule("/api/users/update", "update", answer, methods=["POST"])
    return app


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ceiling_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    args = parser.parse_args(argv)
    server = BackgroundServer(
        create_ceiling_app(), args.host, args.port, args.threads, name="ceiling"
    )
    serve_until_signalled(server, "ceiling app listening on {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
