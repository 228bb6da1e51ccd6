"""Iterable's published per-project rate limits (reference §1.5), as token buckets.

Opt-in per project (`rateLimits: true`); each limit can be overridden by
endpoint name. A request over the limit gets 429 `RateLimitExceeded`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Requests per second, keyed by the fake's endpoint names.
DEFAULT_LIMITS: dict[str, float] = {
    "users.update_user": 500,
    "users.bulk_update": 5,
    "users.get_user": 100,
    "users.get_by_email": 100,
    "users.get_by_user_id": 100,
    "users.get_by_user_id_query": 100,
    "users.delete_by_email": 100,
    "users.delete_by_user_id": 100,
    "users.get_fields": 3,
    "users.forget": 3,
    "users.unforget": 3,
    "devices.register_device_token": 500,
    "events.track": 2000,
    "events.track_bulk": 10,
    "events.events_by_email": 100,
    "events.events_by_user_id": 100,
    "lists.all_lists": 100,
}


class TokenBucket:
    """`rate` tokens a second, holding at most `rate` (one second of burst)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self.tokens = self.capacity
        self.clock = clock
        self.stamp = clock()
        self.lock = threading.Lock()

    def take(self) -> float:
        """0 if a token was taken, else the seconds until one is available."""
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.rate


class RateLimiter:
    def __init__(
        self, overrides: dict[str, float] | None = None, clock: Callable[[], float] = time.monotonic
    ):
        self.limits = {**DEFAULT_LIMITS, **(overrides or {})}
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def wait_time(self, endpoint: str) -> float:
        """0 if the request may go ahead, else how long until it could."""
        rate = self.limits.get(endpoint)
        if rate is None:
            return 0.0
        with self._lock:
            bucket = self._buckets.get(endpoint)
            if bucket is None:
                bucket = self._buckets[endpoint] = TokenBucket(rate, self._clock)
        return bucket.take()
