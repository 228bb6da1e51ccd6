"""A running fake under concurrent load over real HTTP: every write lands, none is lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from mock_iterable.server import running_fake

THREADS = 8
PER_THREAD = 200


def _worker(url: str, key: str, n: int, start: threading.Barrier) -> list[tuple[int, str]]:
    """Track PER_THREAD events for this thread's user and write its own key on a shared user."""
    failures = []
    with requests.Session() as session:
        session.headers["Api-Key"] = key
        start.wait()
        for i in range(PER_THREAD):
            tracked = session.post(
                f"{url}/api/events/track",
                json={"email": f"t{n}@b.com", "eventName": "tick", "dataFields": {"i": i}},
            )
            updated = session.post(
                f"{url}/api/users/update",
                json={"email": "shared@b.com", "dataFields": {f"t{n}": i}},
            )
            failures += [
                (r.status_code, r.text) for r in (tracked, updated) if r.status_code != 200
            ]
    return failures


def test_concurrent_tracks_and_updates_lose_no_write():
    with running_fake() as fake:
        start = threading.Barrier(THREADS)
        with ThreadPoolExecutor(THREADS) as pool:
            futures = [
                pool.submit(_worker, fake.url, fake.api_key, n, start) for n in range(THREADS)
            ]
            failures = [f for future in futures for f in future.result()]
        assert failures == []

        assert fake.project().counts() == {"users": THREADS + 1, "events": THREADS * PER_THREAD}

        key = {"Api-Key": fake.api_key}
        for n in range(THREADS):
            events = requests.get(
                f"{fake.url}/api/events/t{n}@b.com", params={"limit": 200}, headers=key
            ).json()["events"]
            assert sorted(e["dataFields"]["i"] for e in events) == list(range(PER_THREAD))

        shared = requests.get(f"{fake.url}/api/users/shared@b.com", headers=key).json()
        fields = shared["user"]["dataFields"]
        assert {f"t{n}": fields.get(f"t{n}") for n in range(THREADS)} == {
            f"t{n}": PER_THREAD - 1 for n in range(THREADS)
        }


def test_concurrent_track_bulk_with_shared_ids_keeps_one_event_per_id():
    with running_fake() as fake:
        start = threading.Barrier(THREADS)

        def send(n: int) -> list[int]:
            with requests.Session() as session:
                session.headers["Api-Key"] = fake.api_key
                start.wait()
                statuses = []
                for batch in range(10):
                    events = [
                        {"email": "a@b.com", "eventName": "e", "id": f"id-{batch}-{k}"}
                        for k in range(20)
                    ]
                    response = session.post(
                        f"{fake.url}/api/events/trackBulk", json={"events": events}
                    )
                    statuses.append(response.status_code)
                return statuses

        with ThreadPoolExecutor(THREADS) as pool:
            statuses = [s for result in pool.map(send, range(THREADS)) for s in result]
        assert set(statuses) == {200}
        assert fake.project().counts() == {"users": 1, "events": 200}
