"""IterableDestination: translation plus delivery, one result per event."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from destination.batching import Batch, is_bulk_capable, plan, record_failures
from destination.client import IterableClient
from destination.errors import ValidationError
from destination.mapping import call_type, translate, update_email_request
from destination.results import Result, from_reply
from destination.settings import Settings
from destination.translation import Request, Translation

# Bulk statuses worth resending record by record: a whole-batch 400 (say, one record's
# type mismatch) or 413 must not fail the records that were fine.
RESEND_SINGLY = frozenset({400, 413})


class IterableDestination:
    """Sends Segment-spec events to Iterable the way the documented destination does."""

    def __init__(
        self,
        settings: Settings,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._client = IterableClient(settings, session=session, sleep=sleep)

    def __enter__(self) -> IterableDestination:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def translate(self, event: Any) -> Translation:
        """Pure: the requests this event maps to, or why it is rejected or skipped."""
        return translate(event, self.settings)

    def send(self, event: Any) -> Result:
        """Sends one event immediately, without batching."""
        return self._deliver(0, event, self.translate(event))

    def send_many(
        self, events: Iterable[Any], on_result: Callable[[Result], None] | None = None
    ) -> list[Result]:
        """One result per event, in input order; `on_result` sees each as it is known."""
        events = list(events)
        results: dict[int, Result] = {}

        def record(result: Result) -> None:
            results[result.event] = result
            if on_result is not None:
                on_result(result)

        bulk: list[tuple[int, Request]] = []
        pending_users: set[tuple[str, Any]] = set()

        def flush() -> None:
            batches, oversize = plan(bulk, self.settings.batch_size)
            for batch in batches:
                for result in self._send_batch(batch, events):
                    record(result)
            for index, request in oversize:
                record(self._post(index, call_type(events[index]), request))
            bulk.clear()
            pending_users.clear()

        for index, event in enumerate(events):
            translation = self.translate(event)
            if translation.requests:
                (request,) = translation.requests
                if self.settings.batch and is_bulk_capable(request):
                    bulk.append((index, request))
                    pending_users.update(_identifiers(request["body"]))
                    continue
                # A user's earlier identify must reach Iterable before, say, their purchase;
                # other users' records keep batching.
                if pending_users & _identifiers(request["body"].get("user", {})):
                    flush()
            record(self._deliver(index, event, translation))
        flush()
        return [results[index] for index in range(len(events))]

    def update_email(
        self,
        new_email: str,
        *,
        current_email: str | None = None,
        current_user_id: str | None = None,
    ) -> Result:
        """Changes a user's email via users/updateEmail; Segment has no call for this."""
        try:
            request = update_email_request(new_email, current_email, current_user_id)
        except ValidationError as error:
            return Result(0, "update_email", "failed", message=str(error))
        return self._post(0, "update_email", request)

    def _deliver(self, index: int, event: Any, translation: Translation) -> Result:
        call = call_type(event)
        if translation.error is not None:
            return Result(index, call, "failed", message=translation.error)
        if translation.skipped is not None:
            return Result(index, call, "skipped", message=translation.skipped)
        (request,) = translation.requests
        return self._post(index, call, request)

    def _post(self, index: int, call: str, request: Request) -> Result:
        reply = self._client.post(request["path"], request["body"])
        return from_reply(index, call, request["path"], reply)

    def _send_batch(self, batch: Batch, events: list[Any]) -> list[Result]:
        reply = self._client.post(batch.path, batch.body)
        calls = [call_type(events[index]) for index in batch.events]
        if reply.status in RESEND_SINGLY:
            return [
                self._post(index, call, request)
                for index, call, request in zip(batch.events, calls, batch.requests, strict=True)
            ]
        if not reply.ok:
            return [
                from_reply(index, call, batch.path, reply)
                for index, call in zip(batch.events, calls, strict=True)
            ]
        failures = record_failures(reply.body, batch.records)
        results = []
        for position, (index, call) in enumerate(zip(batch.events, calls, strict=True)):
            if position in failures:
                code, message = failures[position]
                results.append(
                    Result(index, call, "failed", batch.path, reply.status, code, message)
                )
            else:
                results.append(Result(index, call, "sent", batch.path, reply.status))
        return results


def _identifiers(body: dict[str, Any]) -> set[tuple[str, Any]]:
    """The user a request body names, as comparable (field, value) pairs."""
    return {(field, body[field]) for field in ("email", "userId") if body.get(field)}
