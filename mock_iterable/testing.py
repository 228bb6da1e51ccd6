"""A pytest plugin: the `mock_iterable` fixture gives each test a fresh fake over real HTTP.

Installed with the package (entry point `pytest11`), so any project that installs
it can write `def test_x(mock_iterable): requests.post(mock_iterable.url + ...)`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import RunningFake, running_fake


@pytest.fixture
def mock_iterable() -> Iterator[RunningFake]:
    with running_fake() as fake:
        yield fake
