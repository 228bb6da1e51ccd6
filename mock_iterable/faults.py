"""Injected failures, so a pipeline can prove it survives Iterable's bad days.

A rule matches a method and a path pattern (shell-style, `/api/events/*`),
optionally one project, and fires for the next N matching requests or with a
probability under a seed. Its effect is a status with Iterable's body for it,
added latency, or a dropped connection. Faults fire before a request touches
state, so a faulted request changes nothing.
"""

from __future__ import annotations

import fnmatch
import itertools
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import BadParams, GenericError, IterableError, RateLimitExceeded

EFFECTS = ("status", "latency", "drop")
FAULT_STATUSES = (429, 500, 502, 503, 504)


class ServiceUnavailable(IterableError):
    status = 503
    code = "GenericError"


@dataclass
class FaultRule:
    id: int
    effect: str
    method: str = "*"
    path: str = "/api/*"
    project: str | None = None
    status: int = 500
    latency_ms: int = 0
    retry_after: int = 1
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    fired: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def describe(self) -> dict[str, Any]:
        body = {
            "id": self.id,
            "effect": self.effect,
            "method": self.method,
            "path": self.path,
            "project": self.project,
            "fired": self.fired,
        }
        if self.effect == "status":
            body["status"] = self.status
            if self.status == 429:
                body["retryAfter"] = self.retry_after
        if self.effect == "latency":
            body["latencyMs"] = self.latency_ms
        body["remaining" if self.probability is None else "probability"] = (
            self.times if self.probability is None else self.probability
        )
        if self.seed is not None:
            body["seed"] = self.seed
        return body

    def matches(self, method: str, path: str, api_key: str | None) -> bool:
        return (
            self.method in ("*", method)
            and fnmatch.fnmatchcase(path, self.path)
            and (self.project is None or self.project == api_key)
        )

    def take(self) -> bool:
        """Whether this matching request is faulted; consumes one of `times`."""
        if self.probability is not None:
            return self._rng.random() < self.probability
        if self.times is None:
            return True
        if self.times <= 0:
            return False
        self.times -= 1
        return True

    def error(self) -> IterableError:
        if self.status == 429:
            return RateLimitExceeded("Exceeded rate limit.", None)
        if self.status == 500:
            return GenericError("Internal server error (injected fault).")
        error = ServiceUnavailable("Service unavailable (injected fault).")
        error.status = self.status
        return error


def _field(raw: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = raw.get(name, default)
    if value is not default and (
        not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool)
    ):
        raise BadParams(f"fault rule: {name} has the wrong type", {name: value})
    return value


def parse_rule(rule_id: int, raw: Any) -> FaultRule:
    """A rule from its JSON form, or a BadParams naming what is wrong."""
    if not isinstance(raw, dict):
        raise BadParams("fault rule must be a JSON object")
    unknown = set(raw) - {
        "effect",
        "method",
        "path",
        "project",
        "status",
        "latencyMs",
        "retryAfter",
        "times",
        "probability",
        "seed",
    }
    if unknown:
        raise BadParams(f"fault rule: unknown field(s) {', '.join(sorted(unknown))}")
    effect = raw.get("effect")
    if effect not in EFFECTS:
        raise BadParams(
            f"fault rule: effect must be one of {', '.join(EFFECTS)}", {"effect": effect}
        )
    rule = FaultRule(
        id=rule_id,
        effect=effect,
        method=str(_field(raw, "method", str, "*")).upper(),
        path=_field(raw, "path", str, "/api/*"),
        project=_field(raw, "project", str, None),
        status=_field(raw, "status", int, 500),
        latency_ms=_field(raw, "latencyMs", int, 0),
        retry_after=_field(raw, "retryAfter", int, 1),
        times=_field(raw, "times", int, None),
        probability=_field(raw, "probability", (int, float), None),
        seed=_field(raw, "seed", int, None),
    )
    if effect == "status" and rule.status not in FAULT_STATUSES:
        raise BadParams(
            f"fault rule: status must be one of {FAULT_STATUSES}", {"status": rule.status}
        )
    if rule.probability is not None:
        if rule.times is not None or not 0 <= rule.probability <= 1:
            raise BadParams("fault rule: give times, or a probability between 0 and 1, not both")
        rule._rng = random.Random(rule.seed)
    if not 0 <= rule.latency_ms <= 60_000:
        raise BadParams("fault rule: latencyMs must be between 0 and 60000")
    return rule


class Faults:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, raw: Any) -> FaultRule:
        with self._lock:
            rule = parse_rule(next(self._ids), raw)
            self._rules.append(rule)
            return rule

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def fire(self, method: str, path: str, api_key: str | None) -> FaultRule | None:
        """The first matching rule that fires for this request, if any."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path, api_key) and rule.take():
                    rule.fired += 1
                    return rule
        return None


def apply(rule: FaultRule, environ: dict[str, Any]) -> None:
    """Carry out a fired rule: sleep, raise the error, or cut the connection."""
    if rule.effect == "latency":
        time.sleep(rule.latency_ms / 1000)
        return
    if rule.effect == "status":
        error = rule.error()
        if rule.status == 429:
            error.headers = {"Retry-After": str(rule.retry_after)}
        raise error
    connection = _socket_of(environ)
    if connection is not None:
        connection.shutdown(socket.SHUT_RDWR)
    raise GenericError("Connection dropped (injected fault).")


def _socket_of(environ: dict[str, Any]) -> socket.socket | None:
    """cheroot's socket behind wsgi.input; None under a test client."""
    stream = getattr(environ.get("wsgi.input"), "rfile", None)
    sock = getattr(getattr(stream, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None
