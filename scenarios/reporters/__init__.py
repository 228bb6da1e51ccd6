"""Report formats: Markdown for PR comments, JUnit XML for CI, HTML to read, JSON for tools."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scenarios.reporters import html, jsonreport, junit, markdown
from scenarios.results import RunResult

FORMATS: dict[str, Callable[[RunResult], str]] = {
    "md": markdown.render,
    "junit": junit.render,
    "html": html.render,
    "json": jsonreport.render,
}


def write(run: RunResult, report_format: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FORMATS[report_format](run), encoding="utf-8")
