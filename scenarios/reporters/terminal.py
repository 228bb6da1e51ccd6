"""What `python -m scenarios run` prints: the table, then each failure with its diff."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from scenarios.reporters.summary import HEADERS, rows
from scenarios.results import FAILED, RunResult

REASON_WIDTH = 70


def render(run: RunResult) -> str:
    parts = [tabulate(rows(run, REASON_WIDTH), headers=HEADERS, tablefmt="simple")]
    for scenario in run.scenarios:
        if scenario.status != FAILED:
            continue
        parts.append(f"FAILED {scenario.name}: {scenario.reason}")
        step = scenario.failed_step
        if step is not None and step.details:
            parts.append(textwrap.indent(step.details, "    "))
    parts.append(f"{run.summary()} against {run.target}")
    return "\n\n".join(parts)
