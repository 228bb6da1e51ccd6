"""The README's Python examples run, so the documentation cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

from mock_iterable.server import running_fake

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), flags=re.S)


def test_the_fixture_example_passes_against_a_running_fake():
    [example] = [block for block in python_blocks() if "def test_signup(mock_iterable)" in block]
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    with running_fake() as fake:
        namespace["test_signup"](fake)


def test_the_adapter_example_names_real_methods():
    from destination import IterableDestination

    [example] = [block for block in python_blocks() if "IterableDestination(" in block]
    for method in re.findall(r"iterable\.(\w+)\(", example):
        assert callable(getattr(IterableDestination, method)), method
