"""--state: acknowledged writes survive restarts and SIGKILL; snapshots export and import."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from mock_iterable import ProjectSettings, ServerConfig, create_app
from mock_iterable.snapshot import FORMAT, VERSION

KEY = "durable-key"


def durable_client(state_dir):
    app = create_app(ServerConfig(projects={KEY: ProjectSettings()}, state_dir=str(state_dir)))
    client = app.test_client()
    client.environ_base["HTTP_API_KEY"] = KEY
    return app, client


def test_state_survives_a_restart_exactly(tmp_path):
    app, client = durable_client(tmp_path)
    client.post("/api/users/update", json={"email": "a@example.com", "dataFields": {"n": 1}})
    client.post("/api/users/update", json={"userId": "anon-1", "preferUserId": True})
    client.post("/api/events/track", json={"email": "a@example.com", "eventName": "e"})
    client.post(
        "/api/commerce/updateCart",
        json={
            "user": {"email": "a@example.com"},
            "items": [{"id": "1", "name": "n", "price": 1.0, "quantity": 1}],
        },
    )
    before = client.get(f"/_mock/projects/{KEY}/state").get_json()
    app.extensions["mock_iterable"].close()

    _, restarted = durable_client(tmp_path)
    after = restarted.get(f"/_mock/projects/{KEY}/state").get_json()
    # Generated ids, placeholder emails and timestamps come back identical.
    assert after == before
    placeholder = restarted.get("/api/users/byUserId/anon-1").get_json()["user"]["email"]
    assert placeholder.endswith("@placeholder.email")


def test_a_rejected_write_is_not_logged(tmp_path):
    app, client = durable_client(tmp_path)
    assert client.post("/api/users/update", json={"email": "bad"}).status_code == 400
    assert client.post("/api/users/update", json={"email": "ok@example.com"}).status_code == 200
    entries = app.extensions["mock_iterable"].state_log.entries()
    assert [json.loads(e["body"])["email"] for e in entries] == ["ok@example.com"]


def test_restart_compacts_the_log_into_the_snapshot(tmp_path):
    app, client = durable_client(tmp_path)
    client.post("/api/users/update", json={"email": "c@example.com"})
    app.extensions["mock_iterable"].close()
    durable_client(tmp_path)
    assert (tmp_path / "writes.log").read_bytes() == b""
    snapshot = json.loads((tmp_path / "snapshot.json").read_text())
    assert snapshot["projects"][0]["state"]["users"][0]["email"] == "c@example.com"


def test_projects_created_at_runtime_survive(tmp_path):
    app, client = durable_client(tmp_path)
    client.post("/_mock/projects", json={"apiKey": "later", "projectType": "hybrid"})
    client.post("/api/users/update", json={"userId": "h1"}, headers={"Api-Key": "later"})
    app.extensions["mock_iterable"].close()
    _, restarted = durable_client(tmp_path)
    project = restarted.get("/_mock/projects/later").get_json()
    assert project["settings"]["projectType"] == "hybrid"
    assert project["counts"]["users"] == 1


def test_snapshot_round_trip_between_fakes(client):
    client.post("/api/users/update", json={"email": "s@example.com", "dataFields": {"a": 1}})
    client.post("/api/events/track", json={"email": "s@example.com", "eventName": "e"})
    exported = client.get("/_mock/snapshot?apiKey=test-key").get_json()
    assert (exported["format"], exported["version"]) == (FORMAT, VERSION)

    other = create_app(ServerConfig()).test_client()
    assert other.put("/_mock/snapshot", json=exported).status_code == 200
    copied = other.get("/api/users/s@example.com", headers={"Api-Key": "test-key"}).get_json()
    assert copied == client.get("/api/users/s@example.com").get_json()
    events = other.get("/api/events/s@example.com", headers={"Api-Key": "test-key"}).get_json()
    assert len(events["events"]) == 1
    # New users in the copy do not collide with imported ids.
    other.post(
        "/api/users/update", json={"email": "t@example.com"}, headers={"Api-Key": "test-key"}
    )
    assert other.get("/_mock/projects/test-key").get_json()["counts"]["users"] == 2


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": FORMAT, "version": 99}, "snapshot version 99 is not supported"),
        ({"format": "something-else"}, "not a valid snapshot"),
        ([], "Body must be a JSON object"),
    ],
)
def test_a_bad_snapshot_is_refused_with_a_clear_message(client, document, message):
    response = client.put("/_mock/snapshot", json=document)
    assert response.status_code == 400
    assert response.get_json()["code"] == "BadParams"
    assert message in response.get_json()["msg"]


def test_export_needs_a_known_project(client):
    assert client.get("/_mock/snapshot").status_code == 400
    assert client.get("/_mock/snapshot?apiKey=nope").status_code == 404


def _start(state_dir):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mock_iterable",
            "serve",
            "--port",
            "0",
            "--api-key",
            KEY,
            "--state",
            str(state_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = proc.stdout.readline()
    assert "listening on" in line, line
    return proc, line.split("listening on ")[1].split()[0]


def test_every_acknowledged_write_survives_sigkill_mid_load(tmp_path):
    proc, url = _start(tmp_path)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(worker: int) -> None:
        session = requests.Session()
        session.headers["Api-Key"] = KEY
        for n in range(2000):  # bounded; SIGKILL normally ends it far sooner
            if stop.is_set():
                return
            event_id = f"w{worker}-{n}"
            try:
                response = session.post(
                    f"{url}/api/events/track",
                    timeout=5,
                    json={
                        "email": f"user{worker}@example.com",
                        "eventName": "load",
                        "id": event_id,
                    },
                )
            except requests.RequestException:
                return
            if response.status_code == 200:
                with lock:
                    acknowledged.append(event_id)

    workers = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 200 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stop.set()
    for worker in workers:
        worker.join()
    assert len(acknowledged) >= 200

    proc, url = _start(tmp_path)
    try:
        state = requests.get(f"{url}/_mock/projects/{KEY}/state", timeout=10).json()
    finally:
        proc.terminate()
        proc.wait()
    stored = {event["id"] for event in state["events"]}
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged writes lost, e.g. {sorted(missing)[:5]}"
