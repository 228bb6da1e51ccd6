"""The fake started from the command line answers over real HTTP and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests


@pytest.fixture
def served():
    env = {**os.environ, "MOCK_ITERABLE_API_KEYS": "env-key"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mock_iterable", "serve", "--port", "0", "--api-key", "cli-key"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    line = proc.stdout.readline()
    assert "listening on http://127.0.0.1:" in line, line
    url = line.split("listening on ")[1].split()[0]
    yield proc, url
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_reference_examples_over_real_http(served):
    _, url = served
    key = {"Api-Key": "cli-key"}
    created = requests.post(
        f"{url}/api/users/update",
        headers=key,
        json={"email": "a@b.com", "dataFields": {"name": "Caio"}},
    )
    assert (created.status_code, created.json()) == (
        200,
        {"msg": "", "code": "Success", "params": None},
    )
    missing = requests.get(f"{url}/api/users/nobody@b.com", headers=key)
    assert (missing.status_code, missing.json()) == (200, {})
    mismatch = requests.post(
        f"{url}/api/users/update",
        headers=key,
        json={"email": "a@b.com", "dataFields": {"signupDate": "GGG"}},
    )
    assert mismatch.status_code == 400
    assert mismatch.json()["code"] == "RequestFieldsTypesMismatched"
    bad_key = requests.get(f"{url}/api/users/a@b.com", headers={"Api-Key": "wrong"})
    assert bad_key.status_code == 401
    assert bad_key.json() == {
        "msg": "Invalid API key",
        "code": "BadApiKey",
        "params": {"ip": "127.0.0.1", "endpoint": "/api/users/a@b.com"},
    }


def test_every_key_form_works_over_real_http(served):
    _, url = served
    # Underscore headers survive the WSGI server (waitress would drop them).
    for headers, params in (
        ({"Api-Key": "cli-key"}, {}),
        ({"Api_Key": "cli-key"}, {}),
        ({"api_key": "cli-key"}, {}),
        ({}, {"api_key": "cli-key"}),
    ):
        response = requests.get(f"{url}/api/users/getFields", headers=headers, params=params)
        assert response.status_code == 200, (headers, params)


def test_flags_win_over_environment(served):
    _, url = served
    response = requests.get(f"{url}/api/users/getFields", headers={"Api-Key": "env-key"})
    assert response.status_code == 401


def test_stops_cleanly_on_sigterm(served):
    proc, url = served
    assert requests.get(f"{url}/_mock/health").json()["status"] == "ok"
    proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.returncode == 0
    assert "mock_iterable stopped" in proc.stdout.read()
