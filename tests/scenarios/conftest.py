"""Fixtures for the scenario runner's tests: scenario files on disk, the CLI's output."""

from __future__ import annotations

import contextlib
import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from scenarios.cli import main


@dataclass
class CliRun:
    code: int
    out: str
    err: str


def run_cli(*argv: str) -> CliRun:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
    return CliRun(code, out.getvalue(), err.getvalue())


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[[str, str], Path]:
    """Writes `<name>.yaml` from an indented YAML snippet and returns its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


def report_args(folder: Path) -> list[str]:
    """`--report F --out P` for all four formats, into `folder`."""
    names = {"md": "scenarios.md", "junit": "junit.xml", "html": "scenarios.html"}
    names["json"] = "scenarios.json"
    return [
        arg for fmt, name in names.items() for arg in ("--report", fmt, "--out", str(folder / name))
    ]
