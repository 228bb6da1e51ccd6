"""What every report summarises: one row per scenario, and the contract coverage."""

from __future__ import annotations

from scenarios.results import RunResult

HEADERS = ("scenario", "steps", "result", "time", "failure reason")


def rows(run: RunResult, reason_width: int) -> list[list[str]]:
    return [
        [
            scenario.name,
            scenario.steps_done,
            scenario.status,
            f"{scenario.seconds:.2f}s",
            shorten(scenario.reason or "", reason_width),
        ]
        for scenario in run.scenarios
    ]


def coverage(run: RunResult) -> list[tuple[str, dict[str, int]]]:
    """The contract the run exercised, as titled sections of name -> count."""
    contract = run.contract()
    return [
        ("Iterable endpoints called", contract["iterable_endpoints"]),
        ("Segment calls replayed through the adapter", contract["segment_calls_sent"]),
        ("Segment calls received from Iterable", contract["segment_calls_received"]),
    ]


def shorten(text: str, width: int) -> str:
    """First line only, cut to `width` characters: the full text is in the details."""
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else line[: width - 1] + "…"
