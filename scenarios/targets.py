"""Where scenarios run: a fresh in-process fake each, or a server given with `--target`.

Against a target, every `{run}` in a scenario becomes a token unique to the run, and the
users (and lists) a scenario created are deleted afterwards. Scenarios that need the
fake's own features run only if the target is a fake (it answers `GET /_mock/health`),
each in a scratch project of its own so they cannot disturb one another.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import requests

from mock_iterable.segment_sink import create_sink
from mock_iterable.server import BackgroundServer, running_fake
from scenarios.model import Scenario, keyed_strings
from scenarios.recording import RecordingSession
from scenarios.results import Exchange

TIMEOUT = 30.0
# Threads per fresh fake: a scenario sends one request at a time.
FAKE_THREADS = 4
SINK_WRITE_KEY = "scenarios-write-key"
# Without /_mock/ the project type cannot be asked; Iterable's default is email-based.
ASSUMED_PROJECT_TYPE = "email"
LOCAL_RUN_TOKEN = "local"
# Real Iterable applies writes asynchronously: state checks retry for up to this long.
REAL_ITERABLE_SETTLE_SECONDS = 20.0
# A staging fake reachable beyond loopback guards /_mock/ with a token, sent in this header.
ADMIN_TOKEN_HEADER = "X-Admin-Token"


class TargetError(RuntimeError):
    """The target cannot be used at all (unreachable, or a fake without this API key)."""


@dataclass
class Connection:
    """How a scenario reaches its project: base URL, API key, session, Segment sink.

    `settle_seconds`: how long a state check may wait for writes to show (0 on a fake).
    """

    url: str
    api_key: str
    session: RecordingSession
    sink_url: str | None = None
    settle_seconds: float = 0.0

    def request(self, method: str, path: str, body: Any = None) -> requests.Response:
        return self.session.request(method, self.url + path, json=body, timeout=TIMEOUT)


class Target(Protocol):
    description: str
    run_token: str

    def skip_reason(self, scenario: Scenario) -> str | None: ...

    def connect(
        self, scenario: Scenario, session: RecordingSession
    ) -> AbstractContextManager[Connection]: ...


class FreshFakes:
    """A new fake per scenario, on a free port over real HTTP, with the scenario's project type."""

    description = "a fresh fake per scenario"
    run_token = LOCAL_RUN_TOKEN

    def skip_reason(self, scenario: Scenario) -> str | None:
        return None

    @contextmanager
    def connect(self, scenario: Scenario, session: RecordingSession) -> Iterator[Connection]:
        with ExitStack() as servers:
            # The sink outlives the fake, whose shutdown delivers whatever is still queued.
            sink_url = servers.enter_context(segment_sink(scenario))
            fake = servers.enter_context(
                running_fake(project_type=scenario.project_type, threads=FAKE_THREADS)
            )
            yield _connection(fake.url, fake.api_key, session, sink_url)


class RemoteTarget:
    """A staging fake or a real Iterable project, shared with other runs and people."""

    def __init__(self, url: str, api_key: str, admin_token: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.run_token = secrets.token_hex(4)
        self.admin_headers = {ADMIN_TOKEN_HEADER: admin_token} if admin_token else {}
        self.fake_project_type = _probe(self.url, api_key, self.admin_headers)
        kind = "a fake with /_mock/" if self.fake_project_type else "no /_mock/: real Iterable"
        self.description = f"{self.url} ({kind})"

    def skip_reason(self, scenario: Scenario) -> str | None:
        if self.fake_project_type is not None:
            return None
        if scenario.fake_features:
            return f"needs a fake ({', '.join(scenario.fake_features)}); the target has no /_mock/"
        if scenario.project_type != ASSUMED_PROJECT_TYPE:
            return (
                f"written for a {scenario.project_type}-based project; a target without "
                f"/_mock/ is taken to be {ASSUMED_PROJECT_TYPE}-based"
            )
        return None

    @contextmanager
    def connect(self, scenario: Scenario, session: RecordingSession) -> Iterator[Connection]:
        session.headers.update(self.admin_headers)
        if self._needs_scratch_project(scenario):
            with self._scratch_project(scenario, session) as connection:
                yield connection
            return
        connection = _connection(self.url, self.api_key, session, None)
        if self.fake_project_type is None:
            connection.settle_seconds = REAL_ITERABLE_SETTLE_SECONDS
        try:
            yield connection
        finally:
            _delete_created(connection)

    def _needs_scratch_project(self, scenario: Scenario) -> bool:
        return self.fake_project_type is not None and (
            bool(scenario.fake_features) or scenario.project_type != self.fake_project_type
        )

    @contextmanager
    def _scratch_project(
        self, scenario: Scenario, session: RecordingSession
    ) -> Iterator[Connection]:
        """A project of the scenario's type on the staging fake, deleted afterwards."""
        api_key = f"scenarios-{self.run_token}-{scenario.name}"
        with segment_sink(scenario) as sink_url:
            connection = _connection(self.url, api_key, session, None)
            body = {"apiKey": api_key, "projectType": scenario.project_type}
            _expect_ok(connection.request("POST", "/_mock/projects", body), "create a project")
            if sink_url:
                _forward_to(connection, sink_url)
            try:
                yield connection
            finally:
                if sink_url:
                    connection.request("POST", "/_mock/forwarding/flush")
                connection.request("DELETE", f"/_mock/projects/{api_key}")


@contextmanager
def segment_sink(scenario: Scenario) -> Iterator[str | None]:
    """A Segment HTTP API stand-in on a free port, if the scenario asks for one."""
    if not scenario.segment_sink:
        yield None
        return
    app = create_sink(SINK_WRITE_KEY, out=io.StringIO())
    sink = BackgroundServer(app, threads=2, name="segment-sink")
    url = sink.start()
    try:
        yield url
    finally:
        sink.stop()


def _connection(
    url: str, api_key: str, session: RecordingSession, sink_url: str | None
) -> Connection:
    session.headers["Api-Key"] = api_key
    connection = Connection(url, api_key, session)
    if sink_url:
        _forward_to(connection, sink_url)
    return connection


def _forward_to(connection: Connection, sink_url: str) -> None:
    """Point the project's Iterable -> Segment forwarding at the sink."""
    path = f"/_mock/projects/{quote(connection.api_key, safe='')}/segment"
    body = {"url": sink_url, "writeKey": SINK_WRITE_KEY}
    _expect_ok(connection.request("PUT", path, body), "forward to the Segment sink")
    connection.sink_url = sink_url


def _probe(url: str, api_key: str, headers: dict[str, str]) -> str | None:
    """The project type if the target is a fake, None if it has no `/_mock/` (real Iterable)."""
    try:
        health = requests.get(f"{url}/_mock/health", headers=headers, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise TargetError(f"cannot reach {url}: {error}") from error
    if health.status_code == 401 and json_object(health).get("code") == "Unauthorized":
        raise TargetError(
            f"the fake at {url} guards /_mock/ with an admin token; set MOCK_ITERABLE_ADMIN_TOKEN"
        )
    if health.status_code != 200 or json_object(health).get("status") != "ok":
        return None
    project = requests.get(
        f"{url}/_mock/projects/{quote(api_key, safe='')}", headers=headers, timeout=TIMEOUT
    )
    if project.status_code != 200:
        raise TargetError(f"the fake at {url} has no project with that API key")
    return json_object(project)["settings"]["projectType"]


def _delete_created(connection: Connection) -> None:
    """Delete the users and lists this scenario's requests created, where the API allows."""
    emails, user_ids, list_ids = _created(connection.session.exchanges)
    paths = [f"/api/users/{quote(email, safe='@')}" for email in sorted(emails)]
    paths += [f"/api/users/byUserId/{quote(user_id, safe='')}" for user_id in sorted(user_ids)]
    paths += [f"/api/lists/{list_id}" for list_id in sorted(list_ids)]
    for path in paths:
        # Already gone is fine: a changed email, or a user deleted by email then by userId.
        connection.request("DELETE", path)


def _created(exchanges: list[Exchange]) -> tuple[set[str], set[str], set[int]]:
    """Emails and userIds in what was written, and ids of lists that were created."""
    emails: set[str] = set()
    user_ids: set[str] = set()
    list_ids: set[int] = set()
    for exchange in exchanges:
        if exchange.method != "POST" or not exchange.path.startswith("/api/"):
            continue
        emails.update(value for _, value in keyed_strings(exchange.request_body, ("email",)))
        user_ids.update(value for _, value in keyed_strings(exchange.request_body, ("userid",)))
        reply = exchange.response_body
        if exchange.path == "/api/lists" and isinstance(reply, dict) and "listId" in reply:
            list_ids.add(reply["listId"])
    return emails, user_ids, list_ids


def _expect_ok(response: requests.Response, action: str) -> None:
    if not response.ok:
        raise TargetError(f"cannot {action}: HTTP {response.status_code} {response.text[:200]}")


def json_object(response: requests.Response) -> dict[str, Any]:
    """The response's JSON object; `{}` for anything else (Iterable answers with objects)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
