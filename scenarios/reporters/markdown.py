"""A Markdown report sized for a pull-request comment: table, failures folded, coverage."""

from __future__ import annotations

from html import escape

from tabulate import tabulate

from scenarios.reporters.summary import HEADERS, coverage, rows, shorten
from scenarios.results import FAILED, RunResult

REASON_WIDTH = 100


def render(run: RunResult) -> str:
    mark = "✅" if run.ok else "❌"
    lines = [
        f"## {mark} Scenarios: {run.summary()}",
        "",
        f"Target: {run.target} · run `{run.run_token}`",
        "",
        tabulate(
            [[_cell(value) for value in row] for row in rows(run, REASON_WIDTH)],
            headers=HEADERS,
            tablefmt="github",
        ),
    ]
    failures = [scenario for scenario in run.scenarios if scenario.status == FAILED]
    if failures:
        lines += ["", "### Failures"]
    for scenario in failures:
        lines += [
            "",
            f"<details><summary><b>{scenario.name}</b>: "
            f"{escape(shorten(scenario.reason or '', REASON_WIDTH))}</summary>",
            "",
            "```diff",
            (scenario.failure_details or "").replace("```", "``\u200b`"),
            "```",
            "</details>",
        ]
    lines += ["", "### Contract coverage"]
    for title, counts in coverage(run):
        lines += ["", f"**{title}**", ""]
        lines += [f"- `{name}` ({count})" for name, count in counts.items()] or ["- none"]
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    """Table cells: a `|` would end the cell, a newline the row."""
    return value.replace("|", "\\|").replace("\n", " ")
