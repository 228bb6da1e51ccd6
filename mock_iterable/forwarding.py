"""Routing system events out of the fake: to Segment as `track` calls, and to webhooks."""

from __future__ import annotations

import threading
from typing import Any

from .config import ProjectSettings
from .delivery import Courier, Target, describe
from .systemevents import segment_track, webhook_payload

SEGMENT_BATCH_SIZE = 100


def _segment_batch(calls: list[dict[str, Any]]) -> dict[str, Any]:
    return {"batch": calls}


def _single(payloads: list[dict[str, Any]]) -> dict[str, Any]:
    return payloads[0]


class Outbox:
    """One courier per destination, shared by the projects that send there."""

    def __init__(self, max_queue: int, backoff_cap: float):
        self._couriers: dict[tuple[str, str], Courier] = {}
        self._lock = threading.Lock()
        self._max_queue = max_queue
        self._backoff_cap = backoff_cap
        # While a --state log is replayed, events were already forwarded once.
        self.paused = False

    def _courier(self, key: tuple[str, str], target: Target) -> Courier:
        with self._lock:
            courier = self._couriers.get(key)
            if courier is None:
                courier = Courier(target, max_queue=self._max_queue, backoff_cap=self._backoff_cap)
                self._couriers[key] = courier
            return courier

    def forward(self, settings: ProjectSettings, event: dict[str, Any]) -> None:
        """Queue one stored system event for every destination the project has."""
        if self.paused:
            return
        if settings.segment_url and settings.segment_write_key:
            url = settings.segment_url.rstrip("/") + "/v1/batch"
            target = Target(
                url,
                _segment_batch,
                auth=(settings.segment_write_key, ""),
                batch_size=SEGMENT_BATCH_SIZE,
            )
            self._courier(("segment", f"{url} {settings.segment_write_key}"), target).put(
                segment_track(event, settings.segment_event_names)
            )
        for hook in settings.webhooks:
            if hook.get("events") and event["eventType"] not in hook["events"]:
                continue
            headers = {"Authorization": hook["authorization"]} if hook.get("authorization") else {}
            target = Target(hook["url"], _single, headers=headers, batch_size=1)
            key = ("webhook", f"{hook['url']} {hook.get('authorization') or ''}")
            self._courier(key, target).put(webhook_payload(event))

    def couriers(self) -> list[Courier]:
        with self._lock:
            return list(self._couriers.values())

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return all(courier.wait_idle(timeout) for courier in self.couriers())

    def health(self) -> dict[str, Any]:
        couriers = [describe(courier) for courier in self.couriers()]
        return {"dropped": sum(c["dropped"] for c in couriers), "destinations": couriers}

    def close(self, timeout: float = 5.0) -> None:
        for courier in self.couriers():
            courier.close(timeout)
