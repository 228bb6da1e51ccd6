"""Running one step: send events through the adapter, call the API, or check state.

State is read only through Iterable's public GET endpoints, so a scenario that passes
against the fake can be replayed unchanged against a real Iterable project.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from destination import IterableDestination, Result, Settings
from destination.mapping import call_type
from scenarios.matching import Comparison, align, compare, matches
from scenarios.model import CallSpec, SegmentCallsSpec, SendSpec, StateSpec, Step
from scenarios.results import FAILED, PASSED, StepResult
from scenarios.targets import Connection, json_object
from scenarios.variables import substitute

# Iterable's largest page of a user's events.
EVENTS_LIMIT = 200
# How long the fake may take to deliver queued calls to the Segment sink.
FLUSH_TIMEOUT = 10
PURCHASE = "purchase"
# How often state is re-read on a target that applies writes asynchronously.
SETTLE_POLL_SECONDS = 0.5


class StepFailed(Exception):
    """The step ran and its expectation did not hold: a one-line reason and the details."""

    def __init__(self, reason: str, details: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details

    @classmethod
    def from_comparison(cls, comparison: Comparison) -> StepFailed:
        first, *rest = comparison.mismatches
        more = f" (and {len(rest)} more)" if rest else ""
        listed = "\n".join(str(mismatch) for mismatch in comparison.mismatches)
        return cls(f"{first}{more}", f"{listed}\n\n{comparison.diff}")


@dataclass
class Context:
    """What the steps of one scenario share."""

    connection: Connection
    settings: dict[str, Any]
    variables: dict[str, Any]
    segment_sent: Counter[str] = field(default_factory=Counter)
    segment_received: Counter[str] = field(default_factory=Counter)
    _destinations: dict[tuple, IterableDestination] = field(default_factory=dict)

    def destination(self, overrides: dict[str, Any]) -> IterableDestination:
        """The adapter with the scenario's settings plus the step's, on the shared session."""
        values = {**self.settings, **overrides}
        key = tuple(sorted(values.items()))
        if key not in self._destinations:
            settings = Settings(
                api_key=self.connection.api_key, endpoint=self.connection.url, **values
            )
            self._destinations[key] = IterableDestination(settings, session=self.connection.session)
        return self._destinations[key]


def execute(step: Step, context: Context) -> StepResult:
    """Runs the step and never raises: whatever goes wrong becomes the step's failure."""
    exchanges = context.connection.session.exchanges
    first = len(exchanges)
    started = time.perf_counter()
    status, reason, details = PASSED, None, None
    try:
        _RUNNERS[type(step.spec)](step.spec, context)
    except StepFailed as failure:
        status, reason, details = FAILED, failure.reason, failure.details
    except Exception as error:  # a broken connection or a bad placeholder fails this step only
        status, reason = FAILED, f"{type(error).__name__}: {error}"
    return StepResult(
        number=step.number,
        kind=step.kind,
        title=step.title,
        status=status,
        seconds=round(time.perf_counter() - started, 4),
        reason=reason,
        details=details,
        exchanges=exchanges[first:],
    )


def _send(spec: SendSpec, context: Context) -> None:
    events = substitute(spec.events, context.variables)
    message = substitute(spec.message, context.variables)
    results = context.destination(spec.settings).send_many(events)
    context.segment_sent.update(call_type(event) for event in events)
    problems = [
        problem
        for number, result in enumerate(results, 1)
        if (problem := _judge(spec.expect, message, number, result)) is not None
    ]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StepFailed(problems[0] + more, "\n".join(problems))


def _judge(expect: str, message: str | None, number: int, result: Result) -> str | None:
    """Why this event's result is not what the step expects, or None if it is."""
    what = f"event {number} ({result.call})"
    if expect == "sent":
        return None if result.status == "sent" else f"{what} {_outcome(result)}; expected sent"
    wanted = {"error": "failed", "skip": "skipped"}[expect]
    if result.status != wanted or result.path is not None:
        expected = "an adapter error" if expect == "error" else "a skip"
        return f"{what} {_outcome(result)}; expected {expected} before anything is sent"
    if not matches(message, result.message):
        return f"{what} message {result.message!r} does not match {message!r}"
    return None


def _outcome(result: Result) -> str:
    if result.status == "sent":
        return f"was sent to {result.path} (HTTP {result.http_status})"
    if result.path is not None:
        answer = " ".join(str(part) for part in (result.code, result.message) if part)
        return f"failed at {result.path}: HTTP {result.http_status} {answer}".rstrip()
    return f"was {'rejected' if result.status == 'failed' else 'skipped'}: {result.message}"


def _call(spec: CallSpec, context: Context) -> None:
    path = substitute(spec.path, context.variables)
    response = context.connection.request(
        spec.method, path, substitute(spec.body, context.variables)
    )
    body = json_object(response)
    status_ok = response.ok if spec.status is None else response.status_code == spec.status
    if not status_ok:
        raise StepFailed(
            f"{spec.method} {path} answered HTTP {response.status_code}, "
            f"expected {spec.status or '2xx'}",
            response.text,
        )
    if spec.response is not None:
        _check(compare(substitute(spec.response, context.variables), body, "response"))
    for name, dotted in spec.save.items():
        context.variables[name] = _dig(body, dotted, f"cannot save {{{name}}}")


def _state(spec: StateSpec, context: Context) -> None:
    """Checks the state, re-reading it for a while on targets that apply writes later."""
    identifier = substitute(spec.identifier, context.variables)
    expected = substitute(spec.expected, context.variables)
    deadline = time.monotonic() + context.connection.settle_seconds
    while True:
        comparison = compare(expected, _read_state(context.connection, spec, identifier, expected))
        if comparison.ok or time.monotonic() >= deadline:
            break
        time.sleep(SETTLE_POLL_SECONDS)
    _check(comparison)


def _read_state(
    connection: Connection, spec: StateSpec, identifier: str, expected: dict[str, Any]
) -> dict[str, Any]:
    """The parts of the user's state that `expected` lists, read through the public API."""
    user = _user(connection, spec.lookup, identifier)
    actual: dict[str, Any] = {}
    if "user" in expected:
        actual["user"] = user
    if "cart" in expected:
        actual["cart"] = None if user is None else user["dataFields"].get("shoppingCartItems", [])
    if "events" in expected or "purchases" in expected:
        events = _events(connection, spec.lookup, identifier)
        history = {
            "events": [event for event in events if event.get("eventType") != PURCHASE],
            "purchases": [event for event in events if event.get("eventType") == PURCHASE],
        }
        for part, found in history.items():
            if part in expected:
                actual[part] = align(expected[part], found)
    return actual


def _segment_calls(spec: SegmentCallsSpec, context: Context) -> None:
    """What the sink received, once the fake has delivered everything queued."""
    connection = context.connection
    flushed = connection.request("POST", f"/_mock/forwarding/flush?timeout={FLUSH_TIMEOUT}")
    if not json_object(flushed).get("idle"):
        raise StepFailed("the fake did not deliver its queued Segment calls", flushed.text)
    response = connection.session.get(f"{connection.sink_url}/calls", timeout=FLUSH_TIMEOUT)
    calls = json_object(response)["calls"]
    context.segment_received = Counter(f"{call.get('type')} {call.get('event')}" for call in calls)
    expected = substitute(spec.calls, context.variables)
    _check(compare(expected, align(expected, calls), "segment_calls"))


def _user(connection: Connection, lookup: str, identifier: str) -> dict[str, Any] | None:
    """`GET /api/users/{email}` or `/byUserId/{userId}`; None if there is no such user."""
    response = connection.request("GET", _user_path("/api/users", lookup, identifier))
    if response.status_code == 404:  # byUserId: no user with that id
        return None
    return _ok_body(response).get("user")  # by email: an unknown address gives `{}`


def _events(connection: Connection, lookup: str, identifier: str) -> list[dict[str, Any]]:
    path = _user_path("/api/events", lookup, identifier) + f"?limit={EVENTS_LIMIT}"
    return _ok_body(connection.request("GET", path)).get("events", [])


def _user_path(prefix: str, lookup: str, identifier: str) -> str:
    if lookup == "email":
        return f"{prefix}/{quote(identifier, safe='@')}"
    return f"{prefix}/byUserId/{quote(identifier, safe='')}"


def _ok_body(response: requests.Response) -> dict[str, Any]:
    if not response.ok:
        raise StepFailed(
            f"GET {response.request.path_url} answered HTTP {response.status_code}", response.text
        )
    return json_object(response)


def _dig(body: Any, dotted: str, failure: str) -> Any:
    value = body
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            raise StepFailed(f"{failure}: the response has no {dotted}", str(body))
        value = value[key]
    return value


def _check(comparison: Comparison) -> None:
    if not comparison.ok:
        raise StepFailed.from_comparison(comparison)


_RUNNERS = {
    SendSpec: _send,
    CallSpec: _call,
    StateSpec: _state,
    SegmentCallsSpec: _segment_calls,
}
