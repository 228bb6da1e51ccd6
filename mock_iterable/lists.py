"""Static lists: create, delete, subscribe and unsubscribe (reference §4.13).

Mixed into `Project`. Membership lives on the profile, as in Iterable:
`emailListIds` in email-based projects, `userListIds` otherwise.
"""

from __future__ import annotations

import itertools
from typing import Any

from . import errors
from .bulk import USER_FAILURE_LISTS, BulkReport
from .models import User

_SUBSCRIPTION_FIELDS = (
    "subscribedMessageTypeIds",
    "unsubscribedChannelIds",
    "unsubscribedMessageTypeIds",
)


class InvalidListId(errors.IterableError):
    """Iterable's quirk: an unknown list is a 400 whose code says "Success"."""

    code = "Success"


def list_counts(report: dict[str, Any]) -> dict[str, Any]:
    """List endpoints answer with the counts and failures only (reference §8)."""
    keys = ("successCount", "failCount", "invalidEmails", "invalidUserIds", "failedUpdates")
    return {key: report[key] for key in keys}


class ListsMixin:
    def _init_lists(self) -> None:
        self.lists: dict[int, dict[str, Any]] = {}
        self._list_ids = itertools.count(self.project_id * 100 + 1)

    @property
    def list_field(self) -> str:
        return "emailListIds" if self.settings.project_type == "email" else "userListIds"

    def create_list(self, name: str, description: str | None) -> int:
        with self.lock:
            list_id = next(self._list_ids)
            entry = {
                "id": list_id,
                "name": name,
                "createdAt": int(self.clock() * 1000),
                "listType": "Standard",
            }
            if description is not None:
                entry["description"] = description
            self.lists[list_id] = entry
            return list_id

    def all_lists(self) -> list[dict[str, Any]]:
        with self.lock:
            return sorted(self.lists.values(), key=lambda entry: entry["createdAt"], reverse=True)

    def _known_list(self, list_id: int) -> dict[str, Any]:
        if list_id not in self.lists:
            raise InvalidListId(
                f"error.lists.invalidListId({list_id})",
                {"projectId": self.project_id, "listId": list_id},
            )
        return self.lists[list_id]

    def delete_list(self, list_id: int) -> None:
        with self.lock:
            self._known_list(list_id)
            del self.lists[list_id]
            for user in self.users.values():
                members = user.data_fields.get(self.list_field)
                if members and list_id in members:
                    user.data_fields[self.list_field] = [i for i in members if i != list_id]

    def subscribe(
        self, list_id: int, subscribers: list[dict[str, Any]], update_existing_only: bool
    ) -> dict[str, Any]:
        with self.lock:
            self._known_list(list_id)
            may_create = self.settings.project_type == "email" or not update_existing_only

            def join(user: User) -> None:
                members = user.data_fields.get(self.list_field) or []
                if list_id not in members:
                    user.data_fields[self.list_field] = [*members, list_id]
                for name in _SUBSCRIPTION_FIELDS:
                    user.data_fields.setdefault(name, [])

            report = self.bulk_update_users(subscribers, None, may_create=may_create, then=join)
            return list_counts(report)

    def unsubscribe(
        self, list_id: int, subscribers: list[dict[str, Any]], campaign_id: int | None
    ) -> dict[str, Any]:
        """Leave the list; a non-member still counts as a success. Each records emailUnSubscribe."""
        with self.lock:
            self._known_list(list_id)
            report = BulkReport(USER_FAILURE_LISTS)
            for subscriber in subscribers:
                email, user_id = subscriber.get("email"), subscriber.get("userId")
                try:
                    self.check_identifiers(email, user_id)
                    user = self.locate(email, user_id, may_create=False).user
                except errors.IterableError as failure:
                    report.fail(email, user_id, failure)
                    continue
                members = user.data_fields.get(self.list_field) or []
                user.data_fields[self.list_field] = [i for i in members if i != list_id]
                data: dict[str, Any] = {"emailListIds": [list_id], "unsubSource": "API"}
                if campaign_id is not None:
                    data["campaignId"] = campaign_id
                self.record_system_event(user, "emailUnSubscribe", data)
                report.succeed({})
            return list_counts(report.body([]))
