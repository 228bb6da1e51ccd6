"""Opt-in rate limits: Iterable's per-endpoint limits as token buckets."""

from __future__ import annotations

from mock_iterable.ratelimits import DEFAULT_LIMITS, RateLimiter, TokenBucket

from ..conftest import make_client


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_published_limits_are_the_defaults():
    assert DEFAULT_LIMITS["events.track"] == 2000
    assert DEFAULT_LIMITS["users.update_user"] == 500
    assert DEFAULT_LIMITS["events.track_bulk"] == 10
    assert DEFAULT_LIMITS["users.bulk_update"] == 5
    assert DEFAULT_LIMITS["users.get_fields"] == 3


def test_bucket_allows_a_second_of_burst_then_refills():
    clock = FakeClock()
    bucket = TokenBucket(5, clock)
    assert [bucket.take() for _ in range(5)] == [0.0] * 5
    assert bucket.take() > 0
    clock.now += 0.2
    assert bucket.take() == 0.0


def test_limiter_uses_overrides_and_ignores_unlisted_endpoints():
    limiter = RateLimiter({"events.track": 1}, FakeClock())
    assert limiter.wait_time("events.track") == 0.0
    assert limiter.wait_time("events.track") > 0
    assert all(limiter.wait_time("commerce.update_cart") == 0.0 for _ in range(100))


def test_excess_requests_get_429_with_retry_after_when_enabled():
    client = make_client(rate_limits=True, rate_limit_overrides={"users.get_fields": 2})
    statuses = [client.get("/api/users/getFields").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get("/api/users/getFields")
    assert response.get_json() == {
        "msg": "Exceeded rate limit.",
        "code": "RateLimitExceeded",
    }
    assert int(response.headers["Retry-After"]) >= 1


def test_limits_are_off_by_default():
    client = make_client()
    assert all(client.get("/api/users/getFields").status_code == 200 for _ in range(10))


def test_limits_are_per_project(client):
    limited = make_client(rate_limits=True, rate_limit_overrides={"users.get_fields": 1})
    assert limited.get("/api/users/getFields").status_code == 200
    assert limited.get("/api/users/getFields").status_code == 429
    assert client.get("/api/users/getFields").status_code == 200
