"""Campaign sends, push devices and engagement: the events Iterable records by itself.

Mixed into `Project`, whose lock and identity rules these use. Every system event
recorded here is also handed to `on_system_event`, which forwards it to Segment
and to webhooks without waiting for them.
"""

from __future__ import annotations

import re
from typing import Any

from . import errors, requestcontext
from .fieldtypes import FieldCheck
from .models import Event, User
from .systemevents import ENGAGEMENT_DEFAULTS, ENGAGEMENTS

MAX_DEVICES = 500
_SEND_AT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


class MessagingMixin:
    def _init_messaging(self) -> None:
        self.messages: dict[str, str] = {}
        self.campaign_sends: set[tuple[int, str, int]] = set()

    def record_system_event(
        self,
        user: User,
        event_type: str,
        data_fields: dict[str, Any],
        extra: dict[str, Any] | None = None,
    ) -> Event:
        now = self.clock()
        event = Event(
            id=requestcontext.new_id(),
            uid=user.uid,
            event_type=event_type,
            event_name=event_type,
            created_at=now,
            updated_at=now,
            data_fields=data_fields,
            extra=extra,
        )
        self._store_event(event)
        if self.on_system_event is not None:
            self.on_system_event(self.settings, event.render(user))
        return event

    def send_campaign(self, channel: str, body: dict[str, Any]) -> Event:
        """`email/target` or `push/target`: record the send (or the skip) on the user."""
        with self.lock:
            email, user_id = body.get("recipientEmail"), body.get("recipientUserId")
            self.check_identifiers(email, user_id)
            send_at = body.get("sendAt")
            if send_at is not None and not _SEND_AT.match(send_at):
                raise errors.BadParams(
                    "sendAt must be formatted YYYY-MM-DD HH:MM:SS (UTC)", {"sendAt": send_at}
                )
            located = self.locate(email, user_id, may_create=channel == "email")
            user = self._materialize(located, {}, self.clock())
            campaign_id = body["campaignId"]
            context: dict[str, Any] = {
                "campaignId": campaign_id,
                "templateId": campaign_id,
                "messageId": requestcontext.new_id(),
            }
            if body.get("metadata") is not None:
                context["metadata"] = body["metadata"]
            reason = self._skip_reason(user, channel, campaign_id, body)
            if reason is not None:
                return self.record_system_event(
                    user, f"{channel}SendSkip", {**context, "reason": reason}
                )
            self.campaign_sends.add((user.uid, channel, campaign_id))
            if channel == "email":
                context["emailId"] = f"c{campaign_id}:t{campaign_id}:{user.email}"
            else:
                context["platformEndpoint"] = self._enabled_devices(user)[0]["token"]
            if send_at is not None:
                context["sendAt"] = send_at
            event = self.record_system_event(
                user,
                f"{channel}Send",
                context,
                extra={
                    "campaignId": campaign_id,
                    "templateId": campaign_id,
                    "messageId": context["messageId"],
                },
            )
            self.messages[context["messageId"]] = event.id
            return event

    def _skip_reason(
        self, user: User, channel: str, campaign_id: int, body: dict[str, Any]
    ) -> str | None:
        repeat = (user.uid, channel, campaign_id) in self.campaign_sends
        if repeat and body.get("allowRepeatMarketingSends") is False:
            return "DuplicateMarketingMessage"
        if channel == "push" and not self._enabled_devices(user):
            return "NoPushEnabledDevices"
        return None

    @staticmethod
    def _enabled_devices(user: User) -> list[dict[str, Any]]:
        devices = user.data_fields.get("devices") or []
        return [d for d in devices if d.get("endpointEnabled")]

    def engage(self, message_id: str, event_type: str, fields: dict[str, Any]) -> Event:
        """Record what happened after a send: an open, a click, a bounce, an uninstall."""
        with self.lock:
            send = self.events.get(self.messages.get(message_id, ""))
            if send is None:
                raise errors.NotFound(
                    f"No message has the messageId {message_id}", {"messageId": message_id}
                )
            if event_type not in ENGAGEMENTS[send.event_type]:
                allowed = ", ".join(ENGAGEMENTS[send.event_type])
                raise errors.BadParams(
                    f"A {send.event_type} can be followed by {allowed}, not {event_type}",
                    {"event": event_type},
                )
            base = {k: send.data_fields[k] for k in ("campaignId", "templateId", "messageId")}
            data = {**base, **ENGAGEMENT_DEFAULTS.get(event_type, {}), **fields}
            return self.record_system_event(self.users[send.uid], event_type, data)

    def register_device(self, body: dict[str, Any]) -> None:
        with self.lock:
            located = self._prepare_user_write(body, FieldCheck(data={}))
            device = body["device"]
            devices = (
                [
                    d
                    for d in (located.user.data_fields.get("devices") or [])
                    if d.get("token") != device["token"]
                ]
                if located.user
                else []
            )
            if len(devices) >= MAX_DEVICES:
                raise errors.BadParams(f"A user can have at most {MAX_DEVICES} devices")
            user = self._apply_user_write(located, body, FieldCheck(data={}))
            user.data_fields["devices"] = [*devices, {**device, "endpointEnabled": True}]

    def disable_device(self, token: str, email: str | None, user_id: str | None) -> None:
        """Disable the token for one user, or for every user holding it."""
        with self.lock:
            if email is not None or user_id is not None:
                user = (
                    self.find_by_email(email)
                    if email is not None
                    else self.find_by_user_id(user_id)
                )
                users = [user] if user else []
            else:
                users = list(self.users.values())
            for user in users:
                for device in user.data_fields.get("devices") or []:
                    if device.get("token") == token:
                        device["endpointEnabled"] = False
