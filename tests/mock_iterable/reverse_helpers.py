"""Helpers for the Iterable -> Segment tests: a running fake wired to a receiver."""

from __future__ import annotations

import base64

import requests

from mock_iterable import ProjectSettings, ServerConfig

API_KEY = "reverse-key"
WRITE_KEY = "segment-write-key"


def config_for(receiver_url: str, **server) -> ServerConfig:
    project = ProjectSettings(segment_url=receiver_url, segment_write_key=WRITE_KEY)
    return ServerConfig(projects={API_KEY: project}, **server)


class Client:
    """Just enough of Iterable's API to drive sends and engagement in a test."""

    def __init__(self, url: str):
        self.url = url
        self.session = requests.Session()
        self.session.headers["Api-Key"] = API_KEY

    def post(self, path: str, body: dict) -> requests.Response:
        return self.session.post(f"{self.url}{path}", json=body)

    def identify(self, email: str, user_id: str | None = None) -> None:
        body = {"email": email, **({"userId": user_id} if user_id else {})}
        assert self.post("/api/users/update", body).status_code == 200

    def email_send(self, email: str, campaign_id: int = 42) -> str:
        response = self.post(
            "/api/email/target", {"campaignId": campaign_id, "recipientEmail": email}
        )
        assert response.status_code == 200, response.text
        return response.json()["params"]["messageId"]

    def engage(self, message_id: str, event: str, **fields) -> requests.Response:
        return self.session.post(
            f"{self.url}/_mock/engagement", json={"messageId": message_id, "event": event, **fields}
        )

    def flush(self) -> dict:
        return self.session.post(f"{self.url}/_mock/forwarding/flush").json()

    def events(self, email: str) -> list[dict]:
        return self.session.get(f"{self.url}/api/events/{email}").json()["events"]


def basic_auth(write_key: str) -> str:
    return "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
