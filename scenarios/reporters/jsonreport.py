"""The whole run as JSON, for tools: every step, every exchange, the contract coverage."""

from __future__ import annotations

import json

from scenarios.results import RunResult


def render(run: RunResult) -> str:
    return json.dumps(run.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
