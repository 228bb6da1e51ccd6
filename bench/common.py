"""What every benchmark shares: result sections, subprocess servers, timing helpers.

Servers run in their own processes so that a server under load never shares a GIL
with the code measuring it, and every process started here is stopped by its own id.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
API_KEY = "bench-key"


@dataclass
class Target:
    """One goal from the brief: what was measured against what was asked."""

    name: str
    measured: str
    required: str
    met: bool | None  # None: could not be measured in this run

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT MET", None: "n/a"}[self.met]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    title: str = ""


@dataclass
class Section:
    """One benchmark's outcome, printed to the terminal and written to results.md."""

    name: str
    title: str
    method: str
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def render(self) -> str:
        """GitHub-flavoured markdown, which also reads well on a terminal."""
        parts = [f"## {self.title}", "", self.method, ""]
        if self.targets:
            rows = [[t.name, t.measured, t.required, t.verdict] for t in self.targets]
            parts += [
                tabulate(rows, ["target", "measured", "required", "verdict"], tablefmt="github"),
                "",
            ]
        for table in self.tables:
            if table.title:
                parts += [f"**{table.title}**", ""]
            parts += [tabulate(table.rows, table.headers, tablefmt="github"), ""]
        # A note starting with spaces is a sub-item of the note before it.
        parts += [
            f"  - {note.strip()}" if note.startswith("  ") else f"- {note}" for note in self.notes
        ]
        parts += [f"- benchmark wall time: {self.seconds:.1f} s", ""]
        return "\n".join(parts)


def unavailable(name: str, title: str, why: str) -> Section:
    """A section for a benchmark that could not run, so the run still completes."""
    return Section(name, title, f"**not available**: {why}")


def fmt_int(value: float) -> str:
    return f"{value:,.0f}"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}x"


def at_least(ratio: float, target: float) -> bool:
    """Judged at the precision shown (2 decimals), so a printed 0.60x never fails >= 0.6x."""
    return round(ratio, 2) >= target


def at_most(ratio: float, target: float) -> bool:
    return round(ratio, 2) <= target


def rss_kib() -> int:
    """Resident set size of this process, from /proc/self/status (VmRSS, in KiB)."""
    text = Path("/proc/self/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+)\s+kB", text, re.MULTILINE)
    if match is None:
        raise RuntimeError("no VmRSS in /proc/self/status")
    return int(match.group(1))


def free_port() -> int:
    """A loopback port free right now (servers that cannot take port 0 get one of these)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f} s")


class ServerProcess:
    """A server in a child process, on loopback, stopped (by pid) when the block ends."""

    def __init__(self, argv: Sequence[str], port: int, *, startup: float = 30.0, env=None):
        self.argv = list(argv)
        self.port = port
        self.startup = startup
        self.env = env
        self.proc: subprocess.Popen | None = None
        self._log: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerProcess:
        self.proc = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env={**os.environ, **(self.env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # Drain the output so a chatty server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        try:
            wait_for_port(self.port, self.startup, self.proc)
        except Exception:
            self.stop()
            raise RuntimeError(f"{self.argv[0]} did not start: {self.tail()}") from None
        return self

    def _drain(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self._log.append(line)
            del self._log[:-50]

    def cpu_seconds(self) -> float:
        """User + system CPU the server has used so far (from /proc/PID/stat)."""
        if self.proc is None:
            return 0.0
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self) -> str:
        return "".join(self._log[-10:]).strip()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def fake_server(threads: int, port: int | None = None) -> ServerProcess:
    """The fake exactly as users run it: `python -m mock_iterable serve`."""
    port = port or free_port()
    argv = [PYTHON, "-m", "mock_iterable", "serve", "--port", str(port)]
    argv += ["--api-key", API_KEY, "--threads", str(threads)]
    return ServerProcess(argv, port)


def run_timed(argv: Sequence[str], timeout: float, cwd: Path = ROOT) -> tuple[float, int, str]:
    """Wall time, exit status and combined output of a command (status 124 on time-out)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as expired:
        out = (expired.stdout or b"") if isinstance(expired.stdout, bytes) else expired.stdout
        return time.perf_counter() - start, 124, str(out or "")
    return time.perf_counter() - start, done.returncode, done.stdout + done.stderr


def profile_hotspots(
    fn: Any, packages: Sequence[str], limit: int = 8, skip_above: float = 1.01
) -> list[str]:
    """cProfile one call of `fn`; the functions of `packages` with the most cumulative time.

    Run only when a target is missed, so the report names where the time goes. Functions
    above `skip_above` of the wall time (the call chain every request goes through) are
    left out so that the lines name the parts that differ.
    """
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(fn)
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for (filename, _line, func), (_, calls, tottime, cumtime, _) in stats.items():
        parts = Path(filename).parts
        if "site-packages" in parts:  # a dependency: name it from its package on
            parts = parts[parts.index("site-packages") + 1 :]
        else:
            try:
                parts = Path(filename).resolve().relative_to(ROOT).parts
            except ValueError:
                continue
        if parts and parts[0] in packages and cumtime / wall <= skip_above:
            rows.append((cumtime, tottime, f"{'/'.join(parts)}:{func}", calls))
    rows.sort(reverse=True)
    return [
        f"{name}: {cumtime / wall:.0%} cumulative ({tottime / wall:.0%} own), {calls:,} calls"
        for cumtime, tottime, name, calls in rows[:limit]
    ]
