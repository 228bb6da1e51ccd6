"""The time and the randomness a request sees, pinned so a request log replays exactly.

Outside a pinned block these are the wall clock and fresh UUIDs. With `--state`,
each write runs pinned to a logged time and seed, so replaying the log after a
restart produces the same ids, placeholder emails and timestamps.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_pinned_now: ContextVar[float | None] = ContextVar("pinned_now", default=None)
_pinned_rng: ContextVar[random.Random | None] = ContextVar("pinned_rng", default=None)


@contextmanager
def pinned(now: float, seed: int) -> Iterator[None]:
    now_token = _pinned_now.set(now)
    rng_token = _pinned_rng.set(random.Random(seed))
    try:
        yield
    finally:
        _pinned_now.reset(now_token)
        _pinned_rng.reset(rng_token)


def now() -> float:
    pinned_now = _pinned_now.get()
    return time.time() if pinned_now is None else pinned_now


def new_id() -> str:
    rng = _pinned_rng.get()
    if rng is None:
        return uuid.uuid4().hex
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def random_digits(count: int) -> str:
    rng = _pinned_rng.get() or random
    return str(rng.randrange(10 ** (count - 1), 10**count))
