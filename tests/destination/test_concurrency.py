"""Many threads sending at once into one fake: nothing lost, nothing doubled, nothing misrouted."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from destination import IterableDestination, Settings
from mock_iterable import ProjectSettings, ServerConfig
from mock_iterable.server import running_fake

THREADS = 8
# Batch mode sends 8 x 2,000 events. Single mode makes one HTTP request per event, about
# 4 ms each against the in-process fake on two cores, so it sends 8 x 250 to stay quick.
PER_THREAD = {"batch": 2_000, "single": 250}
# Users are shared between threads, so threads write to the same profiles concurrently.
USERS = 50
KINDS = ("identify", "track", "track", "page", "track", "screen", "track", "track", "track")
PRODUCT = {"product_id": "p-1", "name": "Racer", "price": 4.99, "quantity": 1}


pytestmark = pytest.mark.usefixtures("quick_thread_switches")


def thread_events(thread: int, count: int) -> list[dict[str, Any]]:
    """`count` events with messageIds unique across threads; 1 in 25 is a commerce call."""
    events = []
    for index in range(count):
        user = (index * 7 + thread) % USERS
        event: dict[str, Any] = {
            "userId": f"user-{user}",
            "messageId": f"t{thread}-m{index}",
            "context": {"traits": {"email": f"user{user}@example.com"}},
        }
        if index % 50 == 24:
            properties = {"order_id": f"t{thread}-o{index}", "total": 4.99, "products": [PRODUCT]}
            event.update(type="track", event="Order Completed", properties=properties)
        elif index % 50 == 49:
            event.update(type="track", event="Product Added", properties={"products": [PRODUCT]})
        else:
            kind = KINDS[index % len(KINDS)]
            if kind == "identify":
                event.update(type="identify", traits={"plan": "pro", "thread": thread})
            elif kind == "track":
                event.update(type="track", event=f"Clicked {index % 3}", properties={"n": index})
            else:
                event.update(type=kind, name="Home", properties={"n": index})
        events.append(event)
    return events


def expected(streams: list[list[dict[str, Any]]]) -> dict[str, Any]:
    events = [event for stream in streams for event in stream]
    names = [event.get("event") for event in events]
    return {
        "custom": Counter(
            event["messageId"]
            for event, name in zip(events, names, strict=True)
            if name not in ("Order Completed", "Product Added")
            and event["type"] in ("track", "page", "screen")
        ),
        "purchases": Counter(
            event["properties"]["order_id"]
            for event, name in zip(events, names, strict=True)
            if name == "Order Completed"
        ),
        "carts": names.count("Product Added"),
        "emails": {event["context"]["traits"]["email"] for event in events},
    }


def stored(dump: dict[str, Any]) -> dict[str, Any]:
    custom = [event for event in dump["events"] if event["eventName"] != "updateCart"]
    return {
        "custom": Counter(event["id"] for event in custom),
        "purchases": Counter(purchase["id"] for purchase in dump["purchases"]),
        "carts": len(dump["events"]) - len(custom),
        "emails": {user["email"] for user in dump["users"]},
    }


def run_threads(send, streams: list[list[dict[str, Any]]]) -> list[list[Any]]:
    """`send(thread, events)` on its own thread per stream, all started together."""
    with ThreadPoolExecutor(max_workers=len(streams)) as pool:
        futures = [pool.submit(send, thread, events) for thread, events in enumerate(streams)]
        return [future.result() for future in futures]


def assert_all_sent(results_per_thread: list[list[Any]], streams) -> None:
    for results, events in zip(results_per_thread, streams, strict=True):
        assert [result.event for result in results] == list(range(len(events)))
        failures = [result for result in results if result.status != "sent"][:5]
        assert not failures, failures


@pytest.mark.parametrize("shared", [False, True], ids=["own-destination", "shared-destination"])
@pytest.mark.parametrize("mode", ["single", "batch"])
def test_threads_sending_at_once_lose_nothing(mock_iterable, shared, mode):
    streams = [thread_events(thread, PER_THREAD[mode]) for thread in range(THREADS)]
    settings = Settings(
        api_key=mock_iterable.api_key, endpoint=mock_iterable.url, batch=mode == "batch"
    )
    common = IterableDestination(settings)

    def send(thread: int, events: list[dict[str, Any]]):
        if shared:
            return common.send_many(events)
        with IterableDestination(settings) as own:
            return own.send_many(events)

    try:
        results = run_threads(send, streams)
    finally:
        common.close()

    assert_all_sent(results, streams)
    assert stored(mock_iterable.dump()) == expected(streams)


def test_destinations_sharing_one_session_keep_their_own_api_keys():
    """Two projects, one pooled session: each destination's events reach its own project."""
    keys = ("key-a", "key-b")
    config = ServerConfig(projects={key: ProjectSettings() for key in keys})
    streams = [thread_events(thread, 100) for thread in range(4)]
    with running_fake(config) as fake, requests.Session() as session:
        destinations = [
            IterableDestination(Settings(api_key=key, endpoint=fake.url), session=session)
            for key in keys
        ]

        results = run_threads(
            lambda thread, events: destinations[thread % 2].send_many(events), streams
        )

        assert_all_sent(results, streams)
        for index, key in enumerate(keys):
            assert stored(fake.dump(key)) == expected(streams[index::2])
