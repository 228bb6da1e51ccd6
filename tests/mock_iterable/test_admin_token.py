"""Beyond loopback, the admin API is guarded by a token, and the server insists on one."""

from __future__ import annotations

import subprocess
import sys

from mock_iterable import ProjectSettings, ServerConfig, create_app


def guarded_client():
    config = ServerConfig(projects={"k": ProjectSettings()}, admin_token="s3cret")
    return create_app(config).test_client()


def test_admin_api_refuses_requests_without_the_token():
    response = guarded_client().post("/_mock/reset")
    assert response.status_code == 401
    assert response.get_json()["code"] == "Unauthorized"
    assert "admin token" in response.get_json()["msg"]


def test_admin_api_accepts_the_token_in_either_header():
    client = guarded_client()
    assert client.get("/_mock/health", headers={"X-Admin-Token": "s3cret"}).status_code == 200
    bearer = {"Authorization": "Bearer s3cret"}
    assert client.get("/_mock/health", headers=bearer).status_code == 200
    assert client.get("/_mock/health", headers={"X-Admin-Token": "wrong"}).status_code == 401


def test_the_iterable_api_is_not_affected_by_the_admin_token():
    response = guarded_client().get("/api/users/getFields", headers={"Api-Key": "k"})
    assert response.status_code == 200


def test_server_refuses_to_bind_beyond_loopback_without_a_token():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mock_iterable",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--api-key",
            "k",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--admin-token" in result.stderr
