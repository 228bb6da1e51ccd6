"""Destination settings: defaults, then a JSON file, then the environment, then CLI flags."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from destination.errors import SettingsError

US_ENDPOINT = "https://api.iterable.com"
EU_ENDPOINT = "https://api.eu.iterable.com"
DATA_CENTERS = {"US": US_ENDPOINT, "EU": EU_ENDPOINT}
ENV_VARS = {"ITERABLE_API_KEY": "api_key", "ITERABLE_ENDPOINT": "endpoint"}
# Annotation (a string, given postponed evaluation) -> accepted Python types, in words.
_FIELD_TYPES = {
    "str": (str, "a string"),
    "bool": (bool, "true or false"),
    "int": (int, "an integer"),
    "float": ((int, float), "a number"),
}


@dataclass(frozen=True)
class Settings:
    """What the Segment dashboard would hold for this destination, plus delivery tuning."""

    api_key: str = ""
    endpoint: str = US_ENDPOINT
    track_all_pages: bool = False
    track_categorized_pages: bool = True
    track_named_pages: bool = True
    batch: bool = False
    batch_size: int = 1000
    max_retries: int = 4
    timeout: float = 30.0
    # First retry waits about this long, doubling each time; tests set it to 0.
    backoff_base: float = 0.5

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            expected, described = _FIELD_TYPES[field.type]
            is_flag = isinstance(value, bool)
            if not isinstance(value, expected) or (is_flag and field.type != "bool"):
                raise SettingsError(f"setting {field.name} must be {described}, got {value!r}")
        if not self.endpoint.startswith(("http://", "https://")):
            raise SettingsError(f"setting endpoint must be an http(s) URL, got {self.endpoint!r}")
        object.__setattr__(self, "endpoint", self.endpoint.rstrip("/"))
        if not 1 <= self.batch_size <= 1000:
            raise SettingsError(f"setting batch_size must be 1..1000, got {self.batch_size}")
        if self.max_retries < 0 or self.timeout <= 0 or self.backoff_base < 0:
            raise SettingsError("settings max_retries and backoff_base must be >= 0, timeout > 0")


def load_settings(
    path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge the sources; later ones win, and `None` flags mean "not given"."""
    sources = [
        _read_file(Path(path)) if path is not None else {},
        {field: env[var] for var, field in ENV_VARS.items() if env and env.get(var)},
        {key: value for key, value in (flags or {}).items() if value is not None},
    ]
    merged: dict[str, Any] = {}
    for source in sources:
        merged.update(_resolve_data_center(source))
    known = {field.name for field in dataclasses.fields(Settings)}
    unknown = sorted(set(merged) - known)
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
    return Settings(**merged)


def _resolve_data_center(source: Mapping[str, Any]) -> dict[str, Any]:
    """Turn `data_center` ("US"/"EU") into an endpoint, so a later source can override either."""
    values = dict(source)
    if "data_center" not in values:
        return values
    if "endpoint" in values:
        raise SettingsError("give either endpoint or data_center, not both")
    data_center = str(values.pop("data_center")).upper()
    if data_center not in DATA_CENTERS:
        raise SettingsError(f"setting data_center must be US or EU, got {data_center!r}")
    values["endpoint"] = DATA_CENTERS[data_center]
    return values


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"settings file {path} must hold a JSON object")
    return data
