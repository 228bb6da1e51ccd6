"""Small helpers shared by the fake's test modules: requests, reads, and error checks."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from mock_iterable import ProjectSettings, ServerConfig, create_app

from ..conftest import API_KEY, make_client

__all__ = ["API_KEY", "SUCCESS", "make_client"]

SUCCESS = {"msg": "", "code": "Success", "params": None}
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00$"


def make_app_client(config: ServerConfig, api_key: str | None = API_KEY) -> FlaskClient:
    """A client on a fake built from a whole ServerConfig, sending `api_key` on every request."""
    client = create_app(config).test_client()
    if api_key is not None:
        client.environ_base["HTTP_API_KEY"] = api_key
    return client


def keyless_client(**settings: Any) -> FlaskClient:
    """A client on a one-project fake that sends no key unless a test adds one."""
    return make_app_client(ServerConfig(projects={API_KEY: ProjectSettings(**settings)}), None)


def project_of(client: FlaskClient, api_key: str = API_KEY):
    return client.application.extensions["mock_iterable"].store.project(api_key)


def state(client: FlaskClient, api_key: str = API_KEY) -> dict:
    """The project's state dump from the admin API."""
    response = client.get(f"/_mock/projects/{api_key}/state")
    assert response.status_code == 200
    return response.get_json()


class Clock:
    """A settable clock for a project, so timestamps can be asserted exactly."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def freeze_clock(client: FlaskClient, now: float) -> Clock:
    clock = Clock(now)
    project_of(client).clock = clock
    return clock


def assert_error(response, status: int, code: str, msg: str, params: Any = ...) -> dict:
    """The response is Iterable's error envelope with exactly this status, code and msg."""
    body = response.get_json()
    assert response.status_code == status, body
    assert response.mimetype == "application/json"
    assert body["code"] == code, body
    assert body["msg"] == msg, body
    if params is not ...:
        assert body["params"] == params, body
    return body


def assert_success(response) -> dict:
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["code"] == "Success", body
    return body


def update_user(client: FlaskClient, **body: Any) -> dict:
    """users/update that must succeed."""
    response = client.post("/api/users/update", json=body)
    assert (response.status_code, response.get_json()) == (200, SUCCESS)
    return body


def get_user(client: FlaskClient, email: str) -> dict:
    """The `user` object for an email, or {} when Iterable answers `{}`."""
    response = client.get(f"/api/users/{email}")
    assert response.status_code == 200, response.get_json()
    return response.get_json().get("user", {})


def get_user_by_id(client: FlaskClient, user_id: str) -> dict:
    response = client.get(f"/api/users/byUserId/{user_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["user"]


def data_fields(client: FlaskClient, email: str) -> dict:
    return get_user(client, email)["dataFields"]


def field_types(client: FlaskClient) -> dict[str, str]:
    response = client.get("/api/users/getFields")
    assert response.status_code == 200
    return response.get_json()["fields"]


def track(client: FlaskClient, **body: Any) -> str:
    """events/track that must succeed; returns the event id."""
    response = client.post("/api/events/track", json=body)
    assert_success(response)
    return response.get_json()["params"]["id"]


def events_of(client: FlaskClient, email: str, **params: Any) -> list[dict]:
    response = client.get(f"/api/events/{email}", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["events"]


def item(**overrides: Any) -> dict[str, Any]:
    """A valid CommerceItem."""
    return {"id": "TOY1", "name": "Red Racecar", "price": 4.99, "quantity": 1, **overrides}


def mismatch_msg(project_id: int, field: str, category: str, expected: str, incoming: str) -> str:
    return (
        f"Project {project_id}: The request does not have the same data types as the data "
        f"previously submitted. Field '{field}' already exists for type '{category}' and has a "
        f"data type of '{expected}' but possible types '{incoming}' in the request."
    )
