"""One self-contained HTML page: every step with the requests it sent and what came back.

Inline CSS only, no scripts or external assets, and every piece of content escaped:
response bodies come from whatever server the run was pointed at.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from scenarios.reporters.summary import HEADERS, coverage, rows
from scenarios.results import FAILED, Exchange, RunResult, ScenarioResult, StepResult

REASON_WIDTH = 100

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem;
       color: #1f2328; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; white-space: pre-wrap;
      word-break: break-word; margin: .3rem 0; }
blockquote { border-left: 4px solid #d0d7de; margin: .5rem 0; padding: 0 1rem; color: #57606a;
             white-space: pre-wrap; }
details { margin: .3rem 0; } summary { cursor: pointer; }
.step { border: 1px solid #d0d7de; border-radius: 6px; padding: .4rem .8rem; margin: .5rem 0; }
.exchange { margin-left: 1rem; }
.passed { color: #1a7f37; } .failed { color: #cf222e; } .skipped { color: #9a6700; }
.add { color: #1a7f37; } .del { color: #cf222e; }
.muted { color: #57606a; }
"""


def render(run: RunResult) -> str:
    verdict = "passed" if run.ok else "failed"
    body = [
        f'<h1>Scenarios: <span class="{verdict}">{escape(run.summary())}</span></h1>',
        f'<p class="muted">Target: {escape(run.target)} · run <code>'
        f"{escape(run.run_token)}</code></p>",
        _summary_table(run),
        _coverage(run),
        *(_scenario(scenario) for scenario in run.scenarios),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        "<title>Scenario report</title>"
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _summary_table(run: RunResult) -> str:
    head = "".join(f"<th>{escape(header)}</th>" for header in HEADERS)
    lines = []
    for scenario, row in zip(run.scenarios, rows(run, REASON_WIDTH), strict=True):
        name, *rest = row
        cells = [f'<td><a href="#{escape(name)}">{escape(name)}</a></td>']
        cells += [f'<td class="{scenario.status}">{escape(value)}</td>' for value in rest[:2]]
        cells += [f"<td>{escape(value)}</td>" for value in rest[2:]]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(lines)}</table>"


def _coverage(run: RunResult) -> str:
    parts = ["<h2>Contract coverage</h2>"]
    for title, counts in coverage(run):
        items = "".join(
            f"<li><code>{escape(name)}</code> ({count})</li>" for name, count in counts.items()
        )
        parts.append(f"<h3>{escape(title)}</h3><ul>{items or '<li>none</li>'}</ul>")
    return "".join(parts)


def _scenario(scenario: ScenarioResult) -> str:
    parts = [
        f'<h2 id="{escape(scenario.name)}">{escape(scenario.name)} '
        f'<span class="{scenario.status}">{escape(scenario.status)}</span></h2>',
        f"<p>{escape(scenario.title)}</p>",
        f"<blockquote>{escape(scenario.seed)}</blockquote>",
    ]
    if scenario.reason:
        parts.append(f'<p class="{scenario.status}">{escape(scenario.reason)}</p>')
    parts += [_step(step) for step in scenario.steps]
    if scenario.cleanup:
        exchanges = "".join(_exchange(exchange) for exchange in scenario.cleanup)
        parts.append(
            f'<div class="step"><details><summary>cleanup</summary>{exchanges}</details></div>'
        )
    return "\n".join(parts)


def _step(step: StepResult) -> str:
    is_open = " open" if step.status == FAILED else ""
    summary = (
        f'<span class="{step.status}">{escape(step.status)}</span> '
        f"{step.number}. {escape(step.title)} "
        f'<span class="muted">({escape(step.kind)}, {step.seconds * 1000:.0f} ms)</span>'
    )
    inner = []
    if step.reason:
        inner.append(f'<p class="failed">{escape(step.reason)}</p>')
    if step.details:
        inner.append(f"<pre>{_diff_lines(step.details)}</pre>")
    inner += [_exchange(exchange) for exchange in step.exchanges]
    return (
        f'<div class="step"><details{is_open}><summary>{summary}</summary>'
        f"{''.join(inner) or '<p class=muted>no requests</p>'}</details></div>"
    )


def _exchange(exchange: Exchange) -> str:
    outcome = exchange.error or f"HTTP {exchange.status}"
    summary = (
        f"<code>{escape(exchange.method)} {escape(exchange.path)}</code> → {escape(outcome)} "
        f'<span class="muted">({exchange.seconds * 1000:.0f} ms)</span>'
    )
    return (
        f'<details class="exchange"><summary>{summary}</summary>'
        f"<div>{escape(exchange.url)}</div>"
        f"<div>request</div><pre>{escape(_pretty(exchange.request_body))}</pre>"
        f"<div>response</div><pre>{escape(_pretty(exchange.response_body))}</pre></details>"
    )


def _diff_lines(text: str) -> str:
    """The mismatch list and unified diff, with added and removed lines coloured."""
    lines = []
    for line in text.splitlines():
        css = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        lines.append(f'<span class="{css}">{escape(line)}</span>' if css else escape(line))
    return "\n".join(lines)


def _pretty(body: Any) -> str:
    if body is None:
        return "(empty)"
    if isinstance(body, str):
        return body
    return json.dumps(body, indent=2, ensure_ascii=False)
