"""JSON Schemas for scenario files: the whole file, then each step by its kind.

Steps are checked one kind at a time (not with `oneOf`) so an error names the step and
says what is wrong with it, rather than that it matches none of five shapes.
"""

from __future__ import annotations

from typing import Any

from mock_iterable.config import PROJECT_TYPES

STEP_KINDS = ("send", "send_file", "call", "expect_state", "expect_segment_calls")
# Settings the runner owns: where to send and with which key.
RUNNER_SETTINGS = ("api_key", "endpoint", "data_center")
# Lookups `expect_state` knows, and the parts of a user's state it can check.
STATE_KEYS = ("email", "userId")
STATE_PARTS = ("user", "events", "purchases", "cart")

_TEXT = {"type": "string", "minLength": 1}
_EVENT = {"type": "object", "required": ["type"]}
# The events of an events file: what `send` accepts as a list.
EVENTS = {"type": "array", "minItems": 1, "items": _EVENT}
_SETTINGS = {"type": "object"}
_SEND_OPTIONS = {
    "title": _TEXT,
    "settings": _SETTINGS,
    "expect_error": _TEXT,
    "expect_skip": _TEXT,
}


def _step(kind: str, value: dict[str, Any], **options: Any) -> dict[str, Any]:
    """A step: its kind's key with `value`, an optional title, and the kind's options."""
    return {
        "type": "object",
        "required": [kind],
        "additionalProperties": False,
        "properties": {kind: value, "title": _TEXT, **options},
    }


SCENARIO: dict[str, Any] = {
    "type": "object",
    "required": ["name", "title", "seed", "steps"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "title": _TEXT,
        "seed": _TEXT,
        "project_type": {"enum": list(PROJECT_TYPES)},
        "settings": _SETTINGS,
        "segment_sink": {"type": "boolean"},
        "steps": {"type": "array", "minItems": 1, "items": {"type": "object"}},
    },
}

STEPS: dict[str, dict[str, Any]] = {
    "send": _step(
        "send",
        {"oneOf": [_EVENT, EVENTS]},
        **_SEND_OPTIONS,
    ),
    "send_file": _step("send_file", _TEXT, **_SEND_OPTIONS),
    "call": _step(
        "call",
        {"type": "string", "pattern": "^(GET|POST|PUT|PATCH|DELETE) /\\S*$"},
        body={},
        status={"type": "integer", "minimum": 100, "maximum": 599},
        response={},
        save={"type": "object", "additionalProperties": _TEXT},
    ),
    "expect_state": _step(
        "expect_state",
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "email": _TEXT,
                "userId": _TEXT,
                "user": {"type": ["object", "null"]},
                "events": {"type": "array"},
                "purchases": {"type": "array"},
                "cart": {"type": "array"},
            },
        },
    ),
    "expect_segment_calls": _step("expect_segment_calls", {"type": "array"}),
}
