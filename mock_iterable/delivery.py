"""Sending the fake's outgoing HTTP calls (Segment, webhooks) without blocking a request.

Each target gets a courier: a bounded queue and one sender thread. The sender
batches what is waiting, retries 429, 5xx and connection errors with backoff
(honouring `Retry-After`), and drops nothing unless the queue is full, which is
counted. Closing a courier flushes its queue.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({408, 429}) | frozenset(range(500, 600))


@dataclass
class Target:
    """Where a courier posts, and how it shapes a list of items into one request body."""

    url: str
    shape: Callable[[list[Any]], Any]
    headers: dict[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None
    batch_size: int = 100


@dataclass
class CourierStats:
    delivered: int = 0
    requests: int = 0
    retries: int = 0
    rejected: int = 0
    dropped: int = 0


class Courier:
    def __init__(
        self,
        target: Target,
        *,
        max_queue: int,
        timeout: float = 5.0,
        backoff_base: float = 0.05,
        backoff_cap: float,
    ):
        self.target = target
        self.stats = CourierStats()
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=max_queue)
        self._timeout = timeout
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._session = requests.Session()
        self._closing = threading.Event()
        self._idle = threading.Condition()
        self._in_flight = 0
        self._thread = threading.Thread(target=self._run, name=f"courier {target.url}", daemon=True)
        self._thread.start()

    def put(self, item: Any) -> bool:
        """Queue one item; never blocks. False (and counted) if the queue is full."""
        try:
            with self._idle:
                self._queue.put_nowait(item)
                self._in_flight += 1
        except queue.Full:
            self.stats.dropped += 1
            return False
        return True

    @property
    def queued(self) -> int:
        return self._in_flight

    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything queued so far has been delivered or given up on."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Flush what is queued (within `timeout`), then stop the sender."""
        self.wait_idle(timeout)
        self._closing.set()
        self._thread.join(timeout=1.0)
        self._session.close()

    def _run(self) -> None:
        while not self._closing.is_set():
            try:
                first = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            batch = [first]
            while len(batch) < self.target.batch_size:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._deliver(batch)
            with self._idle:
                self._in_flight -= len(batch)
                self._idle.notify_all()

    def _deliver(self, batch: list[Any]) -> None:
        attempt = 0
        while True:
            delay = self._attempt(batch, attempt)
            if delay is None:
                return
            attempt += 1
            self.stats.retries += 1
            if self._closing.wait(delay):
                return

    def _attempt(self, batch: list[Any], attempt: int) -> float | None:
        """Post once; None when done (delivered or rejected), else the delay before a retry."""
        self.stats.requests += 1
        try:
            response = self._session.post(
                self.target.url,
                json=self.target.shape(batch),
                headers=self.target.headers,
                auth=self.target.auth,
                timeout=self._timeout,
            )
        except requests.RequestException as problem:
            log.info("courier %s: %s; will retry", self.target.url, problem)
            return self._backoff(attempt)
        if response.status_code < 300:
            self.stats.delivered += len(batch)
            return None
        if response.status_code in RETRYABLE_STATUSES:
            return _retry_after(response) or self._backoff(attempt)
        log.warning(
            "courier %s: %s rejected %d item(s)", self.target.url, response.status_code, len(batch)
        )
        self.stats.rejected += len(batch)
        return None

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self._backoff_cap, self._backoff_base * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


def _retry_after(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    try:
        return min(float(raw), 30.0) if raw else None
    except ValueError:
        return None


def describe(courier: Courier) -> dict[str, Any]:
    stats = courier.stats
    return {
        "url": courier.target.url,
        "queued": courier.queued,
        "delivered": stats.delivered,
        "requests": stats.requests,
        "retries": stats.retries,
        "rejected": stats.rejected,
        "dropped": stats.dropped,
    }
