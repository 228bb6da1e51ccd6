"""Adapter translation speed against the floor of any JSON pipeline: a loads+dumps round trip.

Both loops run over the same realistic mixed stream in the same process, best of several
repeats, so the ratio says how much the mapping itself costs per event.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.common import (
    Section,
    Table,
    Target,
    at_most,
    fmt_int,
    fmt_ratio,
    profile_hotspots,
)
from bench.events import MIX, make_events
from destination import IterableDestination, Settings

TITLE = "2. Adapter translation (IterableDestination.translate)"
TARGET = 3.0


def best_time(loop: Callable[[], object], repeats: int) -> float:
    """Fastest of `repeats` runs: noise on a shared machine only ever adds time."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        loop()
        best = min(best, time.perf_counter() - start)
    return best


def run(quick: bool = False) -> Section:
    """Time translate(e) and json.loads(json.dumps(e)) over the same N events."""
    count, repeats = (5_000, 2) if quick else (20_000, 3)
    started = time.perf_counter()
    events = make_events(count, seed=7)
    # Never contacted: translate is pure, the endpoint only has to be a valid URL.
    destination = IterableDestination(Settings(api_key="bench", endpoint="http://127.0.0.1:9"))
    translate = destination.translate

    def translate_all() -> list[Any]:
        return [translate(event) for event in events]

    def json_round_trip() -> list[Any]:
        loads, dumps = json.loads, json.dumps
        return [loads(dumps(event)) for event in events]

    outcomes = Counter(
        t.requests[0]["path"] if t.requests else ("error" if t.error else "skipped")
        for t in translate_all()
    )
    adapter = best_time(translate_all, repeats)
    baseline = best_time(json_round_trip, repeats)
    ratio = adapter / baseline
    destination.close()
    rows = [
        [
            "translate(e)",
            f"{adapter / count * 1e6:.1f}",
            fmt_int(count / adapter),
            fmt_ratio(ratio),
        ],
        [
            "json.loads(json.dumps(e))",
            f"{baseline / count * 1e6:.1f}",
            fmt_int(count / baseline),
            "1.00x",
        ],
    ]
    notes = [
        f"{count:,} events, best of {repeats}; mix "
        + ", ".join(f"{kind} {share:.0%}" for kind, share in MIX)
        + " (Order Completed with 3 products).",
        "translated to: " + ", ".join(f"{path} {n:,}" for path, n in sorted(outcomes.items())),
    ]
    met = at_most(ratio, TARGET)
    if not met:
        notes += ["hot spots (cProfile):"] + [
            f"  {line}" for line in profile_hotspots(translate_all, ("destination",))
        ]
    return Section(
        "translation",
        TITLE,
        "Per-event cost of mapping a Segment event to its Iterable request, against a JSON "
        "round trip of the same event (same process, same run).",
        tables=[Table(["loop", "us/event", "events/s", "x json"], rows)],
        targets=[
            Target(
                "translate vs json round trip",
                f"{fmt_ratio(ratio)} ({adapter / count * 1e6:.1f} vs "
                f"{baseline / count * 1e6:.1f} us/event)",
                f"<= {TARGET:.0f}x",
                met,
            )
        ],
        notes=notes,
        seconds=time.perf_counter() - started,
    )
