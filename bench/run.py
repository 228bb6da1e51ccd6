"""Run the benchmarks and write bench/results.md: `python -m bench.run [--only NAME] [--quick]`.

Every ratio in the report compares figures measured in this same run on this machine,
because the machine is shared and noisy: absolute numbers drift from run to run, ratios
much less. Benchmarks never assert; they report targets as met or not met.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from tabulate import tabulate

from bench import end_to_end, memory, scenarios_time, throughput, translation
from bench.common import BENCH, ROOT, Section

BENCHMARKS: dict[str, Callable[[bool], Section]] = {
    "throughput": throughput.run,
    "translation": translation.run,
    "end_to_end": end_to_end.run,
    "memory": memory.run,
    "scenarios": scenarios_time.run,
}


def machine() -> list[list[str]]:
    """What the figures were measured on, so a reader can tell runs apart."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        ["date (UTC)", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")],
        ["nproc", str(os.cpu_count())],
        ["CPU", cpu],
        ["python", f"{platform.python_implementation()} {platform.python_version()}"],
        ["platform", platform.platform()],
        ["git commit", commit or "unknown"],
        ["load average at start (1/5/15 min)", load],
    ]


def summary(sections: Sequence[Section]) -> str:
    rows = [
        [section.name, target.name, target.measured, target.required, target.verdict]
        for section in sections
        for target in section.targets
    ]
    rows += [[s.name, "(not available)", "", "", "n/a"] for s in sections if not s.targets]
    return tabulate(rows, ["benchmark", "target", "measured", "required", "verdict"], "github")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(BENCHMARKS),
        help="run only this benchmark (repeatable)",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument(
        "--output",
        type=Path,
        help="report path (default bench/results.md for a full run, "
        "bench/results-partial.md with --only or --quick)",
    )
    args = parser.parse_args(argv)
    names = args.only or list(BENCHMARKS)
    partial = bool(args.only) or args.quick
    output = args.output or BENCH / ("results-partial.md" if partial else "results.md")
    header = machine()
    started = time.perf_counter()
    sections = []
    for name in names:
        print(f"== {name} ...", file=sys.stderr, flush=True)
        section = BENCHMARKS[name](args.quick)
        sections.append(section)
        print(section.render(), flush=True)
    total = time.perf_counter() - started
    header.append(["load average at end", ", ".join(f"{x:.2f}" for x in os.getloadavg())])
    header.append(["total benchmark time", f"{total:.0f} s" + (" (--quick)" if args.quick else "")])
    report = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench.run`). Ratios compare figures from this "
        "same run; the machine is shared, so absolute figures vary between runs.",
        "",
        tabulate(header, ["machine", ""], "github"),
        "",
        "## Summary",
        "",
        summary(sections),
        "",
        *(section.render() for section in sections),
    ]
    output.write_text("\n".join(report), "utf-8")
    print(summary(sections))
    print(
        f"\nwrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output} "
        f"in {total:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
