"""Scenario files: read the YAML, check its shape, and turn it into dataclasses.

Everything that can be wrong with a file is found here, before anything runs, and the
error names the file and the step, so a person adding a scenario can fix it unaided.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from destination.cli import read_events
from destination.errors import InputError, SettingsError
from destination.settings import load_settings
from scenarios import schema
from scenarios.variables import names

LIBRARY = Path(__file__).parent / "library"
SCENARIO_SUFFIXES = (".yaml", ".yml")
# Values that must differ between runs: user identifiers, and the event and order ids that
# Iterable upserts by (a key ending in one of these, compared case-insensitively).
UNIQUE_KEY_ENDINGS = ("email", "userid", "messageid", "order_id")


class ScenarioError(ValueError):
    """A scenario file that cannot run as written; the message says where and why."""


@dataclass(frozen=True)
class SendSpec:
    """Segment events for the adapter, and what should become of each one."""

    events: list[dict[str, Any]]
    settings: dict[str, Any]
    expect: str  # "sent", "error" or "skip"
    message: str | None


@dataclass(frozen=True)
class CallSpec:
    """A direct API call: Iterable's (`/api/...`) or, on a fake, the fake's (`/_mock/...`)."""

    method: str
    path: str
    body: Any
    status: int | None
    response: Any
    save: dict[str, str]


@dataclass(frozen=True)
class StateSpec:
    """A user's state as Iterable's public GET endpoints return it."""

    lookup: str  # "email" or "userId"
    identifier: str
    expected: dict[str, Any]  # some of: user, events, purchases, cart


@dataclass(frozen=True)
class SegmentCallsSpec:
    """The calls the Segment sink should have received from Iterable."""

    calls: list[Any]


Spec = SendSpec | CallSpec | StateSpec | SegmentCallsSpec


@dataclass(frozen=True)
class Step:
    number: int
    kind: str
    title: str
    spec: Spec


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    seed: str
    path: Path
    project_type: str
    settings: dict[str, Any]
    segment_sink: bool
    steps: tuple[Step, ...]

    @property
    def fake_features(self) -> list[str]:
        """What only a fake offers: why this scenario cannot run against real Iterable."""
        features = ["a Segment sink"] if self.segment_sink else []
        mock_calls = {
            f"{step.spec.method} {step.spec.path}"
            for step in self.steps
            if isinstance(step.spec, CallSpec) and step.spec.path.startswith("/_mock/")
        }
        return features + sorted(mock_calls)

    @property
    def own_ids(self) -> set[str]:
        """The `{run}` ids this scenario sends: no other scenario may use them.

        On a target, scenarios run side by side in one project; a shared order id or email
        would let one scenario's writes land in another's state.
        """
        sent = [
            step.spec.events if isinstance(step.spec, SendSpec) else step.spec.body
            for step in self.steps
            if isinstance(step.spec, SendSpec | CallSpec)
        ]
        return {value for _, value in keyed_strings(sent, UNIQUE_KEY_ENDINGS) if "{run}" in value}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when installed
    """YAML without implicit dates: `2024-03-01T12:00:00Z` stays the string Segment sends."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path: Path) -> Scenario:
    """One scenario file, fully checked."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(f"{path}: cannot read the scenario: {error}") from error
    _validate(raw, schema.SCENARIO, f"{path}")
    if raw["name"] != path.stem:
        raise ScenarioError(f"{path}: name {raw['name']!r} must match the file name {path.stem!r}")
    settings = raw.get("settings", {})
    _check_settings(settings, f"{path}: settings")
    steps = _steps(raw["steps"], path)
    segment_sink = raw.get("segment_sink", False)
    if not segment_sink and any(step.kind == "expect_segment_calls" for step in steps):
        raise ScenarioError(f"{path}: expect_segment_calls needs `segment_sink: true`")
    return Scenario(
        name=raw["name"],
        title=raw["title"],
        seed=raw["seed"].strip(),
        path=path,
        project_type=raw.get("project_type", "email"),
        settings=settings,
        segment_sink=segment_sink,
        steps=steps,
    )


def load_library() -> list[Scenario]:
    """The shipped scenarios, in file-name order."""
    return load_folder(LIBRARY)


def load_folder(folder: Path) -> list[Scenario]:
    """Every scenario file in `folder`, in file-name order; names must be unique."""
    paths = sorted(path for path in folder.iterdir() if path.suffix in SCENARIO_SUFFIXES)
    return _unique([load(path) for path in paths])


def select(selectors: Iterable[str]) -> list[Scenario]:
    """Scenarios by library name, or by path to a scenario file or a folder of them.

    No selectors means the whole library.
    """
    selectors = list(selectors)
    if not selectors:
        return load_library()
    library: dict[str, Scenario] | None = None
    chosen: list[Scenario] = []
    for selector in selectors:
        path = Path(selector)
        if path.is_dir():
            chosen.extend(load_folder(path))
        elif path.suffix in SCENARIO_SUFFIXES:
            chosen.append(load(path))
        else:
            library = library if library is not None else {s.name: s for s in load_library()}
            if selector not in library:
                raise ScenarioError(
                    f"no scenario named {selector!r}; `python -m scenarios list` shows them all"
                )
            chosen.append(library[selector])
    return _unique(chosen)


def _unique(scenarios: list[Scenario]) -> list[Scenario]:
    """Each scenario once; names and `own_ids` must not be shared between scenarios."""
    chosen = list({scenario.path: scenario for scenario in scenarios}.values())
    for index, scenario in enumerate(chosen):
        for other in chosen[:index]:
            if other.name == scenario.name:
                raise ScenarioError(
                    f"two scenarios are named {scenario.name!r}: {other.path} and {scenario.path}"
                )
            shared = sorted(other.own_ids & scenario.own_ids)
            if shared:
                raise ScenarioError(
                    f"{scenario.path}: {', '.join(shared)} also used by {other.path}; "
                    "scenarios share a project on a target, so each needs ids of its own"
                )
    return chosen


def _steps(raw_steps: list[dict[str, Any]], path: Path) -> tuple[Step, ...]:
    known = {"run"}
    steps = []
    for number, raw in enumerate(raw_steps, 1):
        where = f"{path}: step {number}"
        kinds = [kind for kind in schema.STEP_KINDS if kind in raw]
        if len(kinds) != 1:
            raise ScenarioError(
                f"{where}: a step needs exactly one of {', '.join(schema.STEP_KINDS)}"
                f" (found {', '.join(kinds) or 'none'})"
            )
        kind = kinds[0]
        where = f"{where} ({kind})"
        _validate(raw, schema.STEPS[kind], where)
        unknown = sorted(names(raw) - known)
        if unknown:
            listed = ", ".join(f"{{{name}}}" for name in unknown)
            raise ScenarioError(
                f"{where}: no value for {listed}; only {{run}} and values saved by earlier "
                "call steps can be used"
            )
        spec = _SPEC_BUILDERS[kind](raw, path, where)
        if isinstance(spec, CallSpec):
            known.update(spec.save)
        steps.append(Step(number, kind, raw.get("title") or _describe(spec), spec))
    return tuple(steps)


def _send(raw: dict[str, Any], path: Path, where: str) -> SendSpec:
    if "expect_error" in raw and "expect_skip" in raw:
        raise ScenarioError(f"{where}: give expect_error or expect_skip, not both")
    if "send_file" in raw:
        source = path.parent / raw["send_file"]
        try:
            events = read_events(str(source))
        except InputError as error:
            raise ScenarioError(f"{where}: {error}") from error
        _validate(events, schema.EVENTS, f"{where}: {raw['send_file']}")
    else:
        events = raw["send"] if isinstance(raw["send"], list) else [raw["send"]]
    settings = raw.get("settings", {})
    _check_settings(settings, f"{where}: settings")
    _check_run_token(events, where)
    expect = "error" if "expect_error" in raw else "skip" if "expect_skip" in raw else "sent"
    return SendSpec(
        events=events,
        settings=settings,
        expect=expect,
        message=raw.get("expect_error", raw.get("expect_skip")),
    )


def _call(raw: dict[str, Any], path: Path, where: str) -> CallSpec:
    method, target = raw["call"].split(" ", 1)
    _check_run_token(raw.get("body"), where)
    return CallSpec(
        method=method,
        path=target,
        body=raw.get("body"),
        status=raw.get("status"),
        response=raw.get("response"),
        save=raw.get("save", {}),
    )


def _state(raw: dict[str, Any], path: Path, where: str) -> StateSpec:
    body = raw["expect_state"]
    lookups = [key for key in schema.STATE_KEYS if key in body]
    if len(lookups) != 1:
        raise ScenarioError(f"{where}: name the user by exactly one of email or userId")
    parts = {key: body[key] for key in schema.STATE_PARTS if key in body}
    if not parts:
        raise ScenarioError(f"{where}: check at least one of {', '.join(schema.STATE_PARTS)}")
    return StateSpec(lookup=lookups[0], identifier=body[lookups[0]], expected=parts)


def _segment_calls(raw: dict[str, Any], path: Path, where: str) -> SegmentCallsSpec:
    return SegmentCallsSpec(calls=raw["expect_segment_calls"])


_SPEC_BUILDERS = {
    "send": _send,
    "send_file": _send,
    "call": _call,
    "expect_state": _state,
    "expect_segment_calls": _segment_calls,
}


def _describe(spec: Spec) -> str:
    """A step's default title: enough to find it in a report."""
    if isinstance(spec, SendSpec):
        labels = [_event_label(event) for event in spec.events]
        shown = ", ".join(labels[:3]) + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
        outcome = {"sent": "", "error": ": adapter error", "skip": ": skipped"}[spec.expect]
        return f"send {shown}{outcome}"
    if isinstance(spec, CallSpec):
        return f"call {spec.method} {spec.path}"
    if isinstance(spec, StateSpec):
        return f"{', '.join(spec.expected)} of {spec.lookup} {spec.identifier}"
    return f"Segment received {len(spec.calls)} call(s)"


def _event_label(event: dict[str, Any]) -> str:
    label = event.get("event") or event.get("name")
    return f"{event['type']} {label!r}" if label else str(event["type"])


def _validate(instance: Any, rules: dict[str, Any], where: str) -> None:
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(rules).iter_errors(instance)
    )
    if error is not None:
        at = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.path)
        raise ScenarioError(f"{where}: {error.message}" + (f" (at {at.lstrip('.')})" if at else ""))


def _check_settings(settings: dict[str, Any], where: str) -> None:
    """The adapter's own checks, so a misspelt setting fails at load time."""
    owned = sorted(set(settings) & set(schema.RUNNER_SETTINGS))
    if owned:
        raise ScenarioError(
            f"{where}: {', '.join(owned)} cannot be set here: the runner points the adapter "
            "at the fake or at --target"
        )
    try:
        load_settings(flags=settings)
    except SettingsError as error:
        raise ScenarioError(f"{where}: {error}") from error


def keyed_strings(value: Any, endings: tuple[str, ...], key: str = "") -> Iterator[tuple[str, str]]:
    """(key, value) for every string, at any depth, whose key ends in one of `endings`.

    Case-insensitive, so `email`, `currentEmail` and `recipientEmail` all end in "email".
    """
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from keyed_strings(child, endings, str(child_key))
    elif isinstance(value, list):
        for child in value:
            yield from keyed_strings(child, endings, key)
    elif isinstance(value, str) and key.lower().endswith(endings):
        yield key, value


def _check_run_token(value: Any, where: str) -> None:
    """Ids sent must contain `{run}`, so runs against a shared project never collide.

    A value saved from a response (`{message_id}`) comes from the server and is fine too.
    """
    for key, identifier in keyed_strings(value, UNIQUE_KEY_ENDINGS):
        if not names(identifier):
            raise ScenarioError(
                f"{where}: {key} {identifier!r} must contain {{run}}, so that runs "
                "against a shared Iterable project never collide"
            )
