"""Settings: defaults, data center, and the file < environment < flags order."""

from __future__ import annotations

import json

import pytest

from destination.errors import SettingsError
from destination.settings import EU_ENDPOINT, US_ENDPOINT, Settings, load_settings


def test_defaults_match_the_documented_destination():
    settings = Settings()

    assert settings.endpoint == US_ENDPOINT == "https://api.iterable.com"
    assert (settings.track_all_pages, settings.track_categorized_pages) == (False, True)
    assert settings.track_named_pages is True
    assert settings.batch is False
    assert settings.batch_size == 1000


def test_eu_data_center_gives_the_eu_endpoint():
    assert load_settings(flags={"data_center": "EU"}).endpoint == EU_ENDPOINT
    assert load_settings(flags={"data_center": "eu"}).endpoint == "https://api.eu.iterable.com"


def test_any_endpoint_url_works_and_trailing_slash_is_dropped():
    assert load_settings(flags={"endpoint": "http://127.0.0.1:5000/"}).endpoint == (
        "http://127.0.0.1:5000"
    )


def test_file_then_environment_then_flags(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "api_key": "from-file",
                "data_center": "EU",
                "track_all_pages": True,
                "batch": True,
                "batch_size": 200,
            }
        )
    )
    env = {"ITERABLE_API_KEY": "from-env", "ITERABLE_ENDPOINT": "http://fake.local"}

    from_file = load_settings(path)
    with_env = load_settings(path, env)
    with_flags = load_settings(path, env, {"api_key": "from-flag", "batch": False, "timeout": None})

    assert (from_file.api_key, from_file.endpoint) == ("from-file", EU_ENDPOINT)
    assert (with_env.api_key, with_env.endpoint) == ("from-env", "http://fake.local")
    assert (with_flags.api_key, with_flags.batch, with_flags.timeout) == ("from-flag", False, 30.0)
    assert with_flags.track_all_pages is True
    assert with_flags.batch_size == 200


def test_data_center_flag_overrides_endpoint_from_environment():
    env = {"ITERABLE_ENDPOINT": "http://fake.local"}

    assert load_settings(env=env, flags={"data_center": "EU"}).endpoint == EU_ENDPOINT


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"apiKey": "k"}, "unknown setting(s): apiKey"),
        ({"data_center": "APAC"}, "data_center must be US or EU"),
        ({"data_center": "EU", "endpoint": "http://x"}, "either endpoint or data_center"),
        ({"endpoint": "api.iterable.com"}, "endpoint must be an http(s) URL"),
        ({"batch_size": 1001}, "batch_size must be 1..1000"),
        ({"batch_size": 0}, "batch_size must be 1..1000"),
        ({"batch": "yes"}, "batch must be true or false"),
        ({"batch_size": True}, "batch_size must be an integer"),
        ({"max_retries": -1}, "max_retries"),
        ({"timeout": 0}, "timeout"),
    ],
)
def test_bad_settings_are_clear_errors(values, message):
    with pytest.raises(SettingsError) as raised:
        load_settings(flags=values)

    assert message in str(raised.value)


def test_unreadable_settings_file_is_a_clear_error(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("[1, 2]")

    with pytest.raises(SettingsError, match="must hold a JSON object"):
        load_settings(path)
    with pytest.raises(SettingsError, match="cannot read settings file"):
        load_settings(tmp_path / "missing.json")
