"""Replays scenarios against a target and collects one result per scenario.

Scenarios are independent (their own fake, or their own `{run}` ids on a target), so
they run side by side: a run takes about as long as its slowest few scenarios.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from scenarios.model import Scenario
from scenarios.recording import RecordingSession
from scenarios.results import FAILED, PASSED, SKIPPED, RunResult, ScenarioResult
from scenarios.steps import Context, execute
from scenarios.targets import Target

PARALLEL_SCENARIOS = 8


def run(scenarios: list[Scenario], target: Target) -> RunResult:
    started = time.perf_counter()
    workers = max(1, min(PARALLEL_SCENARIOS, len(scenarios)))
    with ThreadPoolExecutor(workers, thread_name_prefix="scenario") as pool:
        results = list(pool.map(lambda scenario: run_scenario(scenario, target), scenarios))
    return RunResult(target.description, target.run_token, time.perf_counter() - started, results)


def run_scenario(scenario: Scenario, target: Target) -> ScenarioResult:
    """Steps run in order and stop at the first failure: later ones build on its state."""
    started = time.perf_counter()
    result = ScenarioResult(
        name=scenario.name,
        title=scenario.title,
        seed=scenario.seed,
        status=SKIPPED,
        seconds=0.0,
        total_steps=len(scenario.steps),
        reason=target.skip_reason(scenario),
    )
    if result.reason is not None:
        return result
    session = RecordingSession()
    cleanup_from = None
    try:
        with target.connect(scenario, session) as connection:
            context = Context(connection, scenario.settings, {"run": target.run_token})
            for step in scenario.steps:
                result.steps.append(execute(step, context))
                if result.steps[-1].status == FAILED:
                    break
            result.segment_sent = dict(context.segment_sent)
            result.segment_received = dict(context.segment_received)
            cleanup_from = len(session.exchanges)
    except Exception as error:  # setup or cleanup trouble fails this scenario, not the run
        stage = "setup" if cleanup_from is None else "cleanup"
        result.reason = f"{stage}: {type(error).__name__}: {error}"
    finally:
        session.close()
    result.cleanup = session.exchanges[cleanup_from:] if cleanup_from is not None else []
    failed = result.failed_step
    if failed is not None:
        result.reason = f"step {failed.number} ({failed.kind}): {failed.reason}"
    result.status = FAILED if result.reason else PASSED
    result.seconds = time.perf_counter() - started
    return result
