"""HTTP delivery to Iterable: one session, the Api-Key header, retries with backoff."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from destination.errors import SettingsError
from destination.settings import Settings
from destination.wire import encode

# Worth retrying: timeouts, rate limits and server trouble. Other 4xx would fail again.
RETRY_STATUSES = frozenset({408, 429} | set(range(500, 600)))
# Backoff stops growing here; a longer Retry-After from Iterable is still honoured.
MAX_BACKOFF_SECONDS = 30.0
USER_AGENT = "iterable-contract-destination/0.1"


@dataclass(frozen=True)
class Reply:
    """What came back for one call: a status and JSON body, or why no response arrived."""

    status: int | None
    body: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class IterableClient:
    """The only I/O in the package: everything else is plain functions on dicts."""

    def __init__(
        self,
        settings: Settings,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if not settings.api_key:
            raise SettingsError(
                "no Iterable API key: set api_key in the settings file, pass --api-key "
                "or set ITERABLE_API_KEY"
            )
        self._settings = settings
        self._sleep = sleep
        self._jitter = jitter
        self._session = session or requests.Session()
        # requests re-reads proxy and CA settings from the environment on every call (17%
        # of a small request's CPU); read them once for our one endpoint instead.
        self._environment = self._session.merge_environment_settings(
            settings.endpoint, {}, None, None, None
        )
        if session is None:
            self._session.trust_env = False
        # Per request, not on the session: a session shared by destinations with different
        # API keys must not send every destination's events with the last key set.
        self._headers = {
            "Api-Key": settings.api_key,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        }

    def post(self, path: str, body: Any) -> Reply:
        """POST with retries; returns the last reply, never raises: every event gets a result."""
        try:
            data = encode(body)
        except ValueError as exc:
            return Reply(status=None, error=f"body is not valid JSON: {exc}")
        url = self._settings.endpoint + path
        attempt = 0
        while True:
            attempt += 1
            retry_after = None
            try:
                response = self._session.post(
                    url,
                    data=data,
                    headers=self._headers,
                    timeout=self._settings.timeout,
                    **self._environment,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                reply = Reply(status=None, error=f"{type(exc).__name__}: {exc}")
            else:
                reply = Reply(status=response.status_code, body=_json(response))
                if response.status_code not in RETRY_STATUSES:
                    return reply
                retry_after = _retry_after(response.headers.get("Retry-After"))
            if attempt > self._settings.max_retries:
                return reply
            self._sleep(self._delay(attempt, retry_after))

    def close(self) -> None:
        self._session.close()

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with jitter; Retry-After, when given, is the minimum."""
        ceiling = min(self._settings.backoff_base * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
        return max(ceiling * (0.5 + self._jitter() / 2), retry_after or 0.0)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(header: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: either delta-seconds or an HTTP date."""
    if not header:
        return None
    try:
        seconds = float(header)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(header).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(seconds, 0.0) if math.isfinite(seconds) else None
