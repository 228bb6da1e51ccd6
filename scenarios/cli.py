"""Command line: `python -m scenarios run [NAME...]` and `python -m scenarios list`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tabulate import tabulate

from scenarios import reporters, runner
from scenarios.model import ScenarioError, select
from scenarios.reporters import terminal
from scenarios.targets import FreshFakes, RemoteTarget, Target, TargetError

# The fake's own variable: a staging fake beyond loopback wants it on /_mock/ requests.
ADMIN_TOKEN_ENV = "MOCK_ITERABLE_ADMIN_TOKEN"
# Exit statuses: 1 = a scenario failed, 2 = bad usage, scenario file or target.
EXIT_FAILED = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.command(args, parser)
    except (ScenarioError, TargetError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE


def run_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    outputs = _report_outputs(args, parser)
    scenarios = select(args.names)
    target = _target(args, parser)
    run = runner.run(scenarios, target)
    print(terminal.render(run))
    for report_format, path in outputs:
        reporters.write(run, report_format, path)
        print(f"{report_format} report: {path}")
    return 0 if run.ok else EXIT_FAILED


def list_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    rows = [
        [
            scenario.name,
            len(scenario.steps),
            scenario.project_type,
            ", ".join(scenario.fake_features) or "-",
            scenario.title,
        ]
        for scenario in select(args.names)
    ]
    headers = ["scenario", "steps", "project", "needs a fake for", "title"]
    print(tabulate(rows, headers=headers, tablefmt="simple"))
    return 0


def _target(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Target:
    if args.target is None:
        return FreshFakes()
    if not args.api_key:
        parser.error("--target needs --api-key (or ITERABLE_API_KEY)")
    return RemoteTarget(args.target, args.api_key, os.environ.get(ADMIN_TOKEN_ENV))


def _report_outputs(
    args: argparse.Namespace, parser: argparse.ArgumentParser
) -> list[tuple[str, Path]]:
    """`--report FORMAT --out PATH`, repeated as pairs in order."""
    formats, paths = args.report or [], args.out or []
    if len(formats) != len(paths):
        parser.error("give one --out PATH for each --report FORMAT")
    return [(report_format, Path(path)) for report_format, path in zip(formats, paths, strict=True)]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scenarios",
        description="Replay the documented Segment -> Iterable flows and check the user state.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="run scenarios (all of them without NAME)")
    run.set_defaults(command=run_command)
    run.add_argument(
        "names", nargs="*", metavar="NAME", help="scenario name, or a .yaml file or folder"
    )
    run.add_argument(
        "--target",
        metavar="URL",
        help="run against this server (a staging fake or a real Iterable) instead of fresh fakes",
    )
    run.add_argument(
        "--api-key",
        metavar="KEY",
        default=os.environ.get("ITERABLE_API_KEY"),
        help="the target project's API key (default: $ITERABLE_API_KEY)",
    )
    run.add_argument(
        "--report",
        action="append",
        choices=sorted(reporters.FORMATS),
        help="also write a report in this format (repeatable, each with its --out)",
    )
    run.add_argument("--out", action="append", metavar="PATH", help="where the report goes")
    listing = commands.add_parser("list", help="list the scenarios")
    listing.set_defaults(command=list_command)
    listing.add_argument("names", nargs="*", metavar="NAME", help="as for run")
    return parser
