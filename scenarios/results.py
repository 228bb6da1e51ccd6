"""What a run found: per step, per scenario and overall; every report reads these."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response (or why none came), as the HTML report shows it."""

    method: str
    url: str
    request_body: Any
    status: int | None
    response_body: Any
    error: str | None
    seconds: float

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def endpoint(self) -> str | None:
        """`POST /api/users/update`, `GET /api/users/{email}`: Iterable's route, ids generalised.

        None for anything outside Iterable's `/api` (the fake's `/_mock`, the Segment sink).
        """
        parts = self.path.split("/")
        if parts[1:2] != ["api"]:
            return None
        for index, part in enumerate(parts):
            if index > 1 and parts[index - 1] == "byUserId":
                parts[index] = "{userId}"
            elif "@" in unquote(part):
                parts[index] = "{email}"
            elif part.isdigit():
                parts[index] = "{id}"
        return f"{self.method} {'/'.join(parts)}"


@dataclass
class StepResult:
    number: int
    kind: str
    title: str
    status: str
    seconds: float
    reason: str | None = None
    details: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)


@dataclass
class ScenarioResult:
    name: str
    title: str
    seed: str
    status: str
    seconds: float
    total_steps: int
    reason: str | None = None
    steps: list[StepResult] = field(default_factory=list)
    cleanup: list[Exchange] = field(default_factory=list)
    # Segment calls given to the adapter, by type; calls Iterable sent to the sink, by event.
    segment_sent: dict[str, int] = field(default_factory=dict)
    segment_received: dict[str, int] = field(default_factory=dict)

    @property
    def steps_done(self) -> str:
        """`5/5`, or `2/5` when step 2 failed."""
        return f"{sum(step.status == PASSED for step in self.steps)}/{self.total_steps}"

    @property
    def failed_step(self) -> StepResult | None:
        return next((step for step in self.steps if step.status == FAILED), None)

    @property
    def failure_details(self) -> str | None:
        """The failed step's mismatches and diff; else the reason (setup or cleanup trouble)."""
        step = self.failed_step
        return step.details if step is not None and step.details else self.reason

    @property
    def exchanges(self) -> list[Exchange]:
        return [exchange for step in self.steps for exchange in step.exchanges] + self.cleanup


@dataclass
class RunResult:
    target: str
    run_token: str
    seconds: float
    scenarios: list[ScenarioResult]

    @property
    def ok(self) -> bool:
        return all(scenario.status != FAILED for scenario in self.scenarios)

    def counts(self) -> dict[str, int]:
        found = Counter(scenario.status for scenario in self.scenarios)
        return {status: found[status] for status in (PASSED, FAILED, SKIPPED)}

    def summary(self) -> str:
        """`12 passed, 1 failed, 0 skipped in 1.9 s`."""
        counts = ", ".join(f"{number} {status}" for status, number in self.counts().items())
        return f"{counts} in {self.seconds:.1f} s"

    def contract(self) -> dict[str, dict[str, int]]:
        """Which Iterable endpoints and which Segment calls the run exercised, with counts."""
        endpoints: Counter[str] = Counter()
        sent: Counter[str] = Counter()
        received: Counter[str] = Counter()
        for scenario in self.scenarios:
            endpoints.update(
                exchange.endpoint for exchange in scenario.exchanges if exchange.endpoint
            )
            sent.update(scenario.segment_sent)
            received.update(scenario.segment_received)
        return {
            "iterable_endpoints": dict(sorted(endpoints.items())),
            "segment_calls_sent": dict(sorted(sent.items())),
            "segment_calls_received": dict(sorted(received.items())),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "run": self.run_token,
            "seconds": round(self.seconds, 3),
            "ok": self.ok,
            "counts": self.counts(),
            "contract": self.contract(),
            "scenarios": [asdict(scenario) for scenario in self.scenarios],
        }
