"""Resident memory of the fake holding a million events, measured in a fresh subprocess.

The child builds the app, reads VmRSS, tracks N events straight into the project model
(`Project.track`, the code behind POST /api/events/track, minus HTTP and schema
validation, which keep nothing), reads VmRSS again, then sizes a sample of the stored
objects to say what the bytes are made of.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from bench.common import PYTHON, ROOT, Section, Table, Target, fmt_int, rss_kib
from bench.events import track_body

TITLE = "4. Memory (RSS of the fake holding 1,000,000 events)"
TARGET_BYTES = 1536  # 1.5 KB
USERS = 10_000
SAMPLE = 2_000
WHAT_IF_EVENTS = 100_000


def _deep(obj: Any, seen: set[int]) -> int:
    """Bytes of `obj` and what it holds, each object counted once across calls."""
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(_deep(k, seen) + _deep(v, seen) for k, v in obj.items())
    elif isinstance(obj, (list, tuple)):
        size += sum(_deep(item, seen) for item in obj)
    return size


def breakdown(project: Any, count: int) -> dict[str, float]:
    """Bytes per event by part, from a sample of stored events plus the project's indexes."""
    seen: set[int] = set()
    parts = {"Event object (slots)": 0, "event id str": 0, "eventName str": 0}
    parts |= {"dataFields dict": 0, "dataFields keys": 0, "dataFields values": 0}
    events = list(project.events.values())
    step = max(1, len(events) // SAMPLE)
    sample = events[::step][:SAMPLE]
    for event in sample:
        parts["Event object (slots)"] += sys.getsizeof(event)
        parts["event id str"] += _deep(event.id, seen)
        parts["eventName str"] += _deep(event.event_name, seen)
        data = event.data_fields or {}
        parts["dataFields dict"] += sys.getsizeof(data)
        parts["dataFields keys"] += sum(_deep(k, seen) for k in data)
        parts["dataFields values"] += sum(_deep(v, seen) for v in data.values())
    per_event = {name: size / len(sample) for name, size in parts.items()}
    index = sys.getsizeof(project.events) + sum(
        sys.getsizeof(ids) for ids in project.user_events.values()
    )
    per_event["indexes (events + user_events dicts)"] = index / count
    users = sum(_deep(user.data_fields, set()) + 100 for user in project.users.values())
    per_event[f"users ({len(project.users):,}, amortised)"] = users / count
    return per_event


def _interning_loads(raw: bytes) -> Any:
    """json.loads that interns object keys: what-if for a fake that shares field names."""
    return json.loads(raw, object_pairs_hook=lambda pairs: {sys.intern(k): v for k, v in pairs})


def child(count: int, intern: bool = False) -> dict[str, Any]:
    """Runs in the subprocess: RSS before and after `count` tracks, and the breakdown."""
    from mock_iterable import ProjectSettings, ServerConfig, create_app

    app = create_app(ServerConfig(projects={"mem": ProjectSettings()}))
    project = app.extensions["mock_iterable"].store.project("mem")
    loads = _interning_loads if intern else json.loads
    project.track(loads(track_body(10**9)))  # first call warms caches (types, imports)
    gc.collect()
    before = rss_kib()
    started = time.perf_counter()
    for n in range(count):
        project.track(loads(track_body(n)))
    seconds = time.perf_counter() - started
    gc.collect()
    after = rss_kib()
    return {
        "count": count,
        "stored": len(project.events),
        "users": len(project.users),
        "before_kib": before,
        "after_kib": after,
        "seconds": seconds,
        "breakdown": breakdown(project, count),
    }


def start_child(count: int, intern: bool = False) -> subprocess.Popen:
    """A fresh child process. RSS does not depend on CPU contention, so children may overlap."""
    argv = [PYTHON, "-m", "bench.memory", "--child", str(count)] + (["--intern"] if intern else [])
    return subprocess.Popen(
        argv,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def collect(child_proc: subprocess.Popen, timeout: float = 600) -> dict[str, Any]:
    """The child's JSON line, with bytes per event; RuntimeError with its output on failure."""
    try:
        output, _ = child_proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child_proc.kill()
        output, _ = child_proc.communicate()
    try:
        result = json.loads(output.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"child exited {child_proc.returncode}: {output[-400:]}") from None
    result["per_event"] = (result["after_kib"] - result["before_kib"]) * 1024 / result["count"]
    return result


def run(quick: bool = False) -> Section:
    """Spawn the child, then turn its RSS delta into bytes per event."""
    count = 200_000 if quick else 1_000_000
    started = time.perf_counter()
    main = start_child(count)
    # The what-if pair runs beside the main child (memory figures ignore CPU contention).
    pair = [] if quick else [start_child(WHAT_IF_EVENTS, intern) for intern in (False, True)]
    try:
        result = collect(main)
        plain, interned = (collect(proc) for proc in pair) if pair else (None, None)
    except RuntimeError as error:
        for proc in pair:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        elapsed = time.perf_counter() - started
        return Section("memory", TITLE, f"**failed**: {error}", seconds=elapsed)
    per_event = result["per_event"]
    rows = [
        ["events tracked", fmt_int(result["count"])],
        ["events stored / users", f"{result['stored']:,} / {result['users']:,}"],
        ["RSS before", f"{result['before_kib'] / 1024:,.1f} MiB"],
        ["RSS after", f"{result['after_kib'] / 1024:,.1f} MiB"],
        ["bytes per event", fmt_int(per_event)],
        ["insert rate", f"{fmt_int(result['count'] / result['seconds'])} events/s"],
    ]
    parts = sorted(result["breakdown"].items(), key=lambda item: -item[1])
    part_rows = [[name, fmt_int(size), f"{size / per_event:.0%}"] for name, size in parts]
    notes = [
        f"bytes per event = (RSS after - RSS before) / {result['count']:,}; the events are "
        f"{USERS:,} users' 'Product Viewed' events with 9 data fields, parsed with json.loads "
        "as the server would.",
        "The breakdown sizes a sample of stored objects with sys.getsizeof (shared objects "
        "counted once); the remainder is allocator overhead and freed-but-kept memory.",
    ]
    if quick:
        notes.append(f"--quick: {result['count']:,} events instead of 1,000,000.")
    if plain and interned:
        notes.append(
            f"what-if, {WHAT_IF_EVENTS:,} events each: with JSON object keys interned "
            f"(sys.intern in a json.loads object_pairs_hook) {fmt_int(interned['per_event'])} "
            f"B/event vs {fmt_int(plain['per_event'])} B/event as parsed today."
        )
    return Section(
        "memory",
        TITLE,
        "RSS from /proc/self/status (VmRSS) in a fresh subprocess, before and after inserting "
        "through the project model `Project.track`.",
        tables=[
            Table(["measure", "value"], rows),
            Table(
                ["part of a stored event", "bytes/event", "share of RSS/event"],
                part_rows,
                "what the bytes are",
            ),
        ],
        targets=[
            Target(
                "RSS per stored event",
                f"{fmt_int(per_event)} B",
                f"<= {fmt_int(TARGET_BYTES)} B",
                per_event <= TARGET_BYTES,
            )
        ],
        notes=notes,
        seconds=time.perf_counter() - started,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory")
    parser.add_argument("--child", type=int, required=True, help="events to track")
    parser.add_argument("--intern", action="store_true", help="intern JSON object keys")
    args = parser.parse_args(argv)
    print(json.dumps(child(args.child, args.intern)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
