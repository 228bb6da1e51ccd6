"""Command line: `python -m destination translate | send | update-email`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from destination.core import IterableDestination
from destination.errors import InputError, SettingsError
from destination.mapping import translate
from destination.settings import Settings, load_settings
from destination.summary import summary

# Exit statuses: 1 = some event failed or was rejected, 2 = bad usage, settings or input.
EXIT_EVENT_FAILED = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.settings, os.environ, _setting_flags(args))
        return args.run(args, settings)
    except (SettingsError, InputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE


def run_translate(args: argparse.Namespace, settings: Settings) -> int:
    """Prints one JSON line per request, rejection or skip; exits 1 if any event was rejected."""
    rejected = False
    for index, event in enumerate(read_events(args.file)):
        translation = translate(event, settings)
        rejected = rejected or translation.error is not None
        for outcome in translation.outcomes():
            print(json.dumps({"event": index, **outcome}, ensure_ascii=False))
    return EXIT_EVENT_FAILED if rejected else 0


def run_send(args: argparse.Namespace, settings: Settings) -> int:
    """Delivers the events, lists failures on stderr and ends with a summary table."""
    with IterableDestination(settings) as destination:
        events = read_events(args.file)
        with tqdm(total=len(events), unit="event", disable=not sys.stderr.isatty()) as bar:
            results = destination.send_many(events, on_result=lambda _: bar.update())
    for result in results:
        if result.status == "failed":
            print(json.dumps(result.to_dict(), ensure_ascii=False), file=sys.stderr)
    print(summary(results))
    return EXIT_EVENT_FAILED if any(result.status == "failed" for result in results) else 0


def run_update_email(args: argparse.Namespace, settings: Settings) -> int:
    with IterableDestination(settings) as destination:
        result = destination.update_email(
            args.new_email,
            current_email=args.current_email,
            current_user_id=args.current_user_id,
        )
    print(json.dumps(result.to_dict(), ensure_ascii=False))
    return EXIT_EVENT_FAILED if result.status == "failed" else 0


def read_events(source: str) -> list[Any]:
    """Events from a JSON array, a single JSON object or JSON lines; `-` reads stdin."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
    except OSError as error:
        raise InputError(f"cannot read {source}: {error}") from error
    name = "stdin" if source == "-" else source
    try:
        whole = _loads(text)
    except ValueError:
        return [_line(name, number, line) for number, line in _lines(text)]
    return whole if isinstance(whole, list) else [whole]


def _lines(text: str) -> list[tuple[int, str]]:
    return [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def _line(name: str, number: int, line: str) -> Any:
    try:
        return _loads(line)
    except ValueError as error:
        raise InputError(f"{name} line {number} is not JSON: {error}") from error


def _loads(text: str) -> Any:
    """json.loads without NaN/Infinity, which are not JSON and which Iterable cannot store."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _setting_flags(args: argparse.Namespace) -> dict[str, Any]:
    """Settings given as flags; a subcommand without a flag leaves the setting alone."""
    names = [field.name for field in dataclasses.fields(Settings)] + ["data_center"]
    return {name: getattr(args, name, None) for name in names}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m destination",
        description="Send Segment-spec events to Iterable (or to a fake of it).",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    translate_cmd = commands.add_parser(
        "translate", help="print the Iterable requests for each event, without sending"
    )
    _add_settings_file(translate_cmd)
    _add_page_flags(translate_cmd)
    translate_cmd.add_argument("file", help="JSON array or JSON lines of events; - for stdin")
    translate_cmd.set_defaults(run=run_translate)

    send_cmd = commands.add_parser("send", help="deliver events and print a summary")
    _add_connection(send_cmd)
    _add_page_flags(send_cmd)
    send_cmd.add_argument(
        "--batch",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="use users/bulkUpdate and events/trackBulk",
    )
    send_cmd.add_argument("--batch-size", type=int, help="records per bulk request (max 1000)")
    send_cmd.add_argument("--max-retries", type=int, help="retries for 408/429/5xx/network")
    send_cmd.add_argument("--timeout", type=float, help="seconds per HTTP request")
    send_cmd.add_argument("file", help="JSON array or JSON lines of events; - for stdin")
    send_cmd.set_defaults(run=run_send)

    update_cmd = commands.add_parser("update-email", help="change a user's email address")
    _add_connection(update_cmd)
    current = update_cmd.add_mutually_exclusive_group(required=True)
    current.add_argument("--current-email")
    current.add_argument("--current-user-id")
    update_cmd.add_argument("--new-email", required=True)
    update_cmd.set_defaults(run=run_update_email)
    return parser


def _add_settings_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--settings", metavar="FILE", help="JSON settings file")


def _add_connection(parser: argparse.ArgumentParser) -> None:
    _add_settings_file(parser)
    parser.add_argument("--endpoint", metavar="URL", help="base URL (env ITERABLE_ENDPOINT)")
    parser.add_argument("--data-center", choices=["US", "EU"], help="Iterable data center")
    parser.add_argument("--api-key", metavar="KEY", help="Iterable API key (env ITERABLE_API_KEY)")


def _add_page_flags(parser: argparse.ArgumentParser) -> None:
    for name in ("track-all-pages", "track-categorized-pages", "track-named-pages"):
        parser.add_argument(f"--{name}", action=argparse.BooleanOptionalAction, default=None)
