"""`/api/email/target` and `/api/push/target`: send a campaign to one user."""

from __future__ import annotations

from flask import Blueprint

from .common import body, project, success

messaging = Blueprint("messaging", __name__)


@messaging.post("/email/target")
def email_target():
    event = project().send_campaign("email", body("TargetEmailRequest"))
    return success("", {"messageId": event.data_fields.get("messageId")})


@messaging.post("/push/target")
def push_target():
    event = project().send_campaign("push", body("TargetPushRequest"))
    return success("", {"messageId": event.data_fields.get("messageId")})
