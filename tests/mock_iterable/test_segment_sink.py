"""`python -m mock_iterable segment-sink`: a Segment endpoint that prints what arrives."""

from __future__ import annotations

import io
import subprocess
import sys

import requests

from mock_iterable.segment_sink import create_sink

from .reverse_helpers import basic_auth

CALL = {
    "type": "track",
    "event": "Email Opened",
    "userId": "u-1",
    "properties": {"campaignId": 1},
    "messageId": "m1",
    "timestamp": "2026-01-01T00:00:00Z",
}


def test_sink_keeps_and_prints_batched_calls():
    out = io.StringIO()
    client = create_sink(out=out).test_client()
    assert client.post("/v1/batch", json={"batch": [CALL]}).get_json() == {"success": True}
    assert client.get("/calls").get_json() == {"calls": [CALL]}
    line = out.getvalue()
    assert "Email Opened" in line and "userId=u-1" in line and '"campaignId": 1' in line


def test_sink_checks_the_write_key_when_given_one():
    client = create_sink(write_key="wk").test_client()
    denied = client.post("/v1/batch", json={"batch": [CALL]})
    assert denied.status_code == 401
    allowed = client.post(
        "/v1/batch", json={"batch": [CALL]}, headers={"Authorization": basic_auth("wk")}
    )
    assert allowed.status_code == 200
    assert len(client.get("/calls").get_json()["calls"]) == 1


def test_sink_runs_from_the_command_line():
    proc = subprocess.Popen(
        [sys.executable, "-m", "mock_iterable", "segment-sink", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = proc.stdout.readline()
        assert "segment-sink listening on http://127.0.0.1:" in banner, banner
        url = banner.split("listening on ")[1].split()[0]
        requests.post(f"{url}/v1/batch", json={"batch": [CALL]}, timeout=5)
        assert "Email Opened" in proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0
