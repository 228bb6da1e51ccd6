"""The end-of-run report for `destination send`: counts a person can scan at a glance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tabulate import tabulate

from destination.results import Result

STATUSES = ("sent", "skipped", "failed")


def summary(results: Sequence[Result]) -> str:
    """Outcomes by Segment call type, then failures by Iterable error code (or kind)."""
    counts = Counter((result.call, result.status) for result in results)
    calls = sorted({result.call for result in results})
    rows = [[call, *(counts[call, status] for status in STATUSES)] for call in calls]
    rows.append(["total", *(sum(counts[call, status] for call in calls) for status in STATUSES)])
    text = tabulate(rows, headers=["call", *STATUSES], tablefmt="github")
    failures = Counter(result.failure_kind for result in results if result.status == "failed")
    if failures:
        failure_rows = sorted(failures.items(), key=lambda item: (-item[1], item[0]))
        text += "\n\n" + tabulate(failure_rows, headers=["failure", "events"], tablefmt="github")
    return text
