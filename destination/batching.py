"""Batch mode: group single calls into bulk requests, and map bulk failures back to events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from destination.translation import Request
from destination.wire import encode

# Single-call path -> (bulk path, list key). Commerce calls have no bulk form and stay single.
BULK_ROUTES = {
    "/api/users/update": ("/api/users/bulkUpdate", "users"),
    "/api/events/track": ("/api/events/trackBulk", "events"),
}
# Bulk bodies stay strictly below this (Iterable: bulkUpdate bodies at most 4 MB).
MAX_BULK_BYTES = 4_000_000
# Top-level failure lists; `failedUpdates.*` lists are read as well. `noOp*` lists are not failures.
_TOP_LEVEL_FAILURES = ("invalidEmails", "invalidUserIds", "disallowedEventNames")
# Which request field each kind of failure list names.
_LIST_FIELDS = (("Emails", "email"), ("UserIds", "userId"), ("EventNames", "eventName"))


@dataclass(frozen=True)
class Batch:
    """One bulk request, with the events (by index) and single requests it stands for."""

    path: str
    key: str
    events: list[int]
    requests: list[Request]

    @property
    def records(self) -> list[dict[str, Any]]:
        return [request["body"] for request in self.requests]

    @property
    def body(self) -> dict[str, Any]:
        return {self.key: self.records}


def plan(
    pending: Sequence[tuple[int, Request]],
    batch_size: int,
    max_bytes: int = MAX_BULK_BYTES,
) -> tuple[list[Batch], list[tuple[int, Request]]]:
    """Batches of bulk-capable requests, plus any request too large for a batch (sent single)."""
    batches: list[Batch] = []
    oversize: list[tuple[int, Request]] = []
    for single_path, (bulk_path, key) in BULK_ROUTES.items():
        envelope = len(encode({key: []}))
        current, size = Batch(bulk_path, key, [], []), envelope
        for index, request in pending:
            if request["path"] != single_path:
                continue
            cost = len(encode(request["body"]))
            if envelope + cost >= max_bytes:
                oversize.append((index, request))
                continue
            grown = size + cost + (1 if current.requests else 0)
            if current.requests and (len(current.requests) >= batch_size or grown >= max_bytes):
                batches.append(current)
                current, grown = Batch(bulk_path, key, [], []), envelope + cost
            current.events.append(index)
            current.requests.append(request)
            size = grown
        if current.requests:
            batches.append(current)
    return batches, oversize


def is_bulk_capable(request: Request) -> bool:
    return request["path"] in BULK_ROUTES


def record_failures(response: Any, records: Sequence[dict[str, Any]]) -> dict[int, tuple[str, str]]:
    """Position in the batch -> (failure list name, message), for records a 200 response rejects.

    Iterable reports per-record failures by identifier value, not by position, so a record
    fails when its email, userId or eventName appears in one of the failure lists.
    """
    lists = _failure_lists(response if isinstance(response, dict) else {})
    failures = {}
    for position, record in enumerate(records):
        hits = []
        for name, field, values in lists:
            value = record.get(field)
            if isinstance(value, str) and _normalise(field, value) in values:
                hits.append((name, f"{field} {value!r}"))
        if hits:
            names = ", ".join(name for name, _ in hits)
            subjects = ", ".join(dict.fromkeys(subject for _, subject in hits))
            failures[position] = (hits[0][0], f"{subjects} listed in {names}")
    return failures


def _failure_lists(response: dict[str, Any]) -> list[tuple[str, str, set[str]]]:
    """(list name, record field, values); `failedUpdates.*` first, as they name the cause."""
    named: list[tuple[str, Any]] = []
    failed_updates = response.get("failedUpdates")
    if isinstance(failed_updates, dict):
        named.extend((f"failedUpdates.{key}", value) for key, value in failed_updates.items())
    named.extend((key, response.get(key)) for key in _TOP_LEVEL_FAILURES)
    lists = []
    for name, values in named:
        field = next((field for suffix, field in _LIST_FIELDS if name.endswith(suffix)), None)
        if field and isinstance(values, list) and values:
            normalised = {_normalise(field, value) for value in values if isinstance(value, str)}
            lists.append((name, field, normalised))
    return lists


def _normalise(field: str, value: str) -> str:
    """Emails compare case-insensitively; userIds and event names are case-sensitive."""
    return value.casefold() if field == "email" else value
