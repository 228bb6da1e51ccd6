"""Fixtures: an IterableDestination pointed at a pytest-httpserver that plays Iterable."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from destination import IterableDestination, Settings

API_KEY = "test-key"
SUCCESS = {"msg": "", "code": "Success", "params": None}


def settings_for(httpserver: HTTPServer, **overrides: Any) -> Settings:
    """Settings aimed at the test server, with no real waiting between retries."""
    values = {"api_key": API_KEY, "endpoint": httpserver.url_for("/"), "backoff_base": 0.0}
    return Settings(**{**values, **overrides})


@pytest.fixture
def sleeps() -> list[float]:
    """Delays the destination asked for, recorded instead of slept."""
    return []


@pytest.fixture
def make_destination(
    httpserver: HTTPServer, sleeps: list[float]
) -> Iterator[Callable[..., IterableDestination]]:
    made: list[IterableDestination] = []

    def make(**overrides: Any) -> IterableDestination:
        destination = IterableDestination(
            settings_for(httpserver, **overrides), sleep=sleeps.append
        )
        made.append(destination)
        return destination

    yield make
    for destination in made:
        destination.close()


@pytest.fixture
def received(httpserver: HTTPServer) -> Callable[[], list[tuple[str, Any]]]:
    """(path, JSON body) of every request the server got, in order."""
    return lambda: [(request.path, request.get_json()) for request, _ in httpserver.log]


@pytest.fixture
def deliver(httpserver: HTTPServer, make_destination, received):
    """Send one event to an Iterable that accepts everything; returns (result, its requests)."""
    httpserver.expect_request(re.compile(r"^/api/"), method="POST").respond_with_json(SUCCESS)

    def deliver(event: Any, **overrides: Any):
        httpserver.clear_log()
        result = make_destination(**overrides).send(event)
        return result, received()

    return deliver


@pytest.fixture
def quick_thread_switches():
    """The fake serves from threads of this process: hand the GIL over sooner than every 5 ms,
    or each request waits on the switch interval (a third of the runtime on two cores)."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    yield
    sys.setswitchinterval(previous)
