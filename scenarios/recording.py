"""A requests.Session that keeps every exchange, so reports can show what each step did."""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from scenarios.results import Exchange


class RecordingSession(requests.Session):
    """One per scenario: the adapter and the runner share it, and so its connection pool."""

    def __init__(self) -> None:
        super().__init__()
        self.exchanges: list[Exchange] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        try:
            response = super().send(request, **kwargs)
        except requests.RequestException as error:
            self._keep(request, None, None, f"{type(error).__name__}: {error}", started)
            raise
        self._keep(request, response.status_code, _decode(response.content), None, started)
        return response

    def _keep(
        self,
        request: requests.PreparedRequest,
        status: int | None,
        body: Any,
        error: str | None,
        started: float,
    ) -> None:
        self.exchanges.append(
            Exchange(
                method=request.method or "",
                url=request.url or "",
                request_body=_decode(request.body),
                status=status,
                response_body=body,
                error=error,
                seconds=round(time.perf_counter() - started, 4),
            )
        )


def _decode(raw: bytes | str | None) -> Any:
    """JSON as data, anything else as text; the API key travels in a header and is not kept."""
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    try:
        return json.loads(text)
    except ValueError:
        return text
