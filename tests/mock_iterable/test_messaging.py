"""Campaign sends, devices and engagement, as a user's event history shows them."""

from __future__ import annotations

import pytest


def send(client, channel: str, **body):
    return client.post(f"/api/{channel}/target", json=body)


def events_of(client, email: str) -> list[dict]:
    return client.get(f"/api/events/{email}").get_json()["events"]


def register(client, email: str, token: str = "tok-1"):
    device = {"token": token, "platform": "GCM", "applicationName": "shop-app"}
    return client.post("/api/users/registerDeviceToken", json={"email": email, "device": device})


def test_email_target_creates_the_user_and_records_an_email_send(client):
    response = send(
        client, "email", campaignId=11, recipientEmail="new@example.com", dataFields={"coupon": "X"}
    )
    assert response.status_code == 200
    assert response.get_json()["code"] == "Success"
    message_id = response.get_json()["params"]["messageId"]
    user = client.get("/api/users/new@example.com").get_json()["user"]
    assert user["email"] == "new@example.com"
    [event] = events_of(client, "new@example.com")
    assert event["eventType"] == "emailSend"
    assert event["messageId"] == message_id
    assert event["dataFields"]["campaignId"] == 11


@pytest.mark.parametrize("channel", ["email", "push"])
def test_campaign_id_is_required(client, channel):
    response = send(client, channel, recipientEmail="a@example.com")
    assert response.status_code == 400
    assert response.get_json()["code"] == "BadJsonBody"
    assert response.get_json()["params"] == {"obj.campaignId": "error.path.missing"}


def test_a_recipient_is_required(client):
    response = send(client, "email", campaignId=1)
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Either email or userId must be provided.",
        "code": "BadParams",
        "params": None,
    }


def test_send_at_must_use_iterables_format(client):
    response = send(
        client, "email", campaignId=1, recipientEmail="a@example.com", sendAt="tomorrow"
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == "BadParams"
    assert "YYYY-MM-DD HH:MM:SS" in response.get_json()["msg"]


def test_push_to_a_user_without_a_device_is_a_push_send_skip(client):
    client.post("/api/users/update", json={"email": "nodevice@example.com"})
    response = send(client, "push", campaignId=5, recipientEmail="nodevice@example.com")
    assert response.status_code == 200
    [event] = events_of(client, "nodevice@example.com")
    assert event["eventType"] == "pushSendSkip"
    assert event["dataFields"]["reason"] == "NoPushEnabledDevices"


def test_push_to_an_unknown_user_is_an_error_not_a_new_user(client):
    response = send(client, "push", campaignId=5, recipientEmail="ghost@example.com")
    assert response.status_code == 400
    assert response.get_json()["code"] == "UnknownEmailError"
    assert client.get("/api/users/ghost@example.com").get_json() == {}


def test_register_device_stores_it_on_the_profile_and_push_goes_there(client):
    assert register(client, "phone@example.com").status_code == 200
    devices = client.get("/api/users/phone@example.com").get_json()["user"]["dataFields"]["devices"]
    assert devices == [
        {
            "token": "tok-1",
            "platform": "GCM",
            "applicationName": "shop-app",
            "endpointEnabled": True,
        }
    ]
    send(client, "push", campaignId=5, recipientEmail="phone@example.com")
    [event] = events_of(client, "phone@example.com")
    assert event["eventType"] == "pushSend"
    assert event["dataFields"]["platformEndpoint"] == "tok-1"


def test_registering_the_same_token_again_replaces_it(client):
    register(client, "twice@example.com")
    register(client, "twice@example.com")
    register(client, "twice@example.com", token="tok-2")
    devices = client.get("/api/users/twice@example.com").get_json()["user"]["dataFields"]["devices"]
    assert [d["token"] for d in devices] == ["tok-1", "tok-2"]


def test_disabled_device_receives_no_push(client):
    register(client, "off@example.com")
    assert client.post("/api/users/disableDevice", json={"token": "tok-1"}).status_code == 200
    send(client, "push", campaignId=5, recipientEmail="off@example.com")
    [event] = events_of(client, "off@example.com")
    assert event["eventType"] == "pushSendSkip"


def test_repeat_marketing_send_is_skipped_when_not_allowed(client):
    send(client, "email", campaignId=8, recipientEmail="rep@example.com")
    send(
        client,
        "email",
        campaignId=8,
        recipientEmail="rep@example.com",
        allowRepeatMarketingSends=False,
    )
    types = [e["eventType"] for e in events_of(client, "rep@example.com")]
    assert sorted(types) == ["emailSend", "emailSendSkip"]


def test_engagement_lands_on_the_users_history_with_its_fields(client):
    message_id = send(client, "email", campaignId=4, recipientEmail="eng@example.com").get_json()[
        "params"
    ]["messageId"]
    response = client.post(
        "/_mock/engagement",
        json={"messageId": message_id, "event": "emailClick", "url": "https://x.example/a"},
    )
    assert response.status_code == 201
    click = [e for e in events_of(client, "eng@example.com") if e["eventType"] == "emailClick"]
    assert click[0]["dataFields"] == {
        "campaignId": 4,
        "templateId": 4,
        "messageId": message_id,
        "url": "https://x.example/a",
    }


def test_bounce_carries_recipient_state(client):
    message_id = send(client, "email", campaignId=4, recipientEmail="b@example.com").get_json()[
        "params"
    ]["messageId"]
    client.post("/_mock/engagement", json={"messageId": message_id, "event": "emailBounce"})
    bounce = [e for e in events_of(client, "b@example.com") if e["eventType"] == "emailBounce"]
    assert bounce[0]["dataFields"]["recipientState"] == "HardBounce"


def test_unknown_message_id_is_a_clear_404(client):
    response = client.post("/_mock/engagement", json={"messageId": "nope", "event": "emailOpen"})
    assert response.status_code == 404
    assert response.get_json() == {
        "msg": "No message has the messageId nope",
        "code": "NotFound",
        "params": {"messageId": "nope"},
    }


def test_engagement_must_fit_the_channel_of_the_send(client):
    message_id = send(client, "email", campaignId=4, recipientEmail="c@example.com").get_json()[
        "params"
    ]["messageId"]
    response = client.post("/_mock/engagement", json={"messageId": message_id, "event": "pushOpen"})
    assert response.status_code == 400
    assert response.get_json()["code"] == "BadParams"
    assert "emailOpen" in response.get_json()["msg"]


def test_engagement_body_must_name_message_and_event(client):
    response = client.post("/_mock/engagement", json={"event": "emailOpen"})
    assert response.status_code == 400
    assert response.get_json()["msg"] == "messageId and event are required strings"
