"""The count objects that bulk endpoints answer with, failures listed by identifier."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import errors

USER_FAILURE_LISTS = (
    "invalidEmails",
    "invalidUserIds",
    "notFoundEmails",
    "notFoundUserIds",
    "invalidDataEmails",
    "invalidDataUserIds",
    "conflictEmails",
    "conflictUserIds",
    "forgottenEmails",
    "forgottenUserIds",
)
EVENT_FAILURE_LISTS = (
    "invalidEmails",
    "invalidUserIds",
    "notFoundEmails",
    "notFoundUserIds",
    "forgottenEmails",
    "forgottenUserIds",
)

_FAILURE_KIND = {
    errors.InvalidEmailAddressError: "invalid",
    errors.InvalidUserIdError: "invalid",
    errors.UnknownEmailError: "notFound",
    errors.UnknownUserIdError: "notFound",
    errors.ForgottenUserError: "forgotten",
    errors.ExternalKeyConflict: "conflict",
}


class BulkReport:
    """The count object bulk endpoints answer with, failures listed by identifier."""

    def __init__(self, failure_lists: Iterable[str]):
        self.success_count = 0
        self.fail_count = 0
        self.failed: dict[str, list[str]] = {name: [] for name in failure_lists}
        self.created: dict[str, None] = {}
        self.disallowed: list[str] = []

    def succeed(self, new_types: dict[str, str]) -> None:
        self.success_count += 1
        self.created.update(dict.fromkeys(new_types))

    def fail(self, email: Any, user_id: Any, failure: errors.IterableError) -> None:
        self.fail_count += 1
        kind = _FAILURE_KIND.get(type(failure), "invalidData")
        by_email = email is not None and not isinstance(failure, errors.InvalidUserIdError)
        identifier = email if by_email else user_id
        if identifier is None:
            return
        name = f"{kind}{'Emails' if by_email else 'UserIds'}"
        if name not in self.failed:
            name = f"invalid{'Emails' if by_email else 'UserIds'}"
        self.failed[name].append(str(identifier))

    def disallow(self, event_name: str) -> None:
        self.fail_count += 1
        self.disallowed.append(event_name)

    def body(self, filtered_out: list[str]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "successCount": self.success_count,
            "failCount": self.fail_count,
            "invalidEmails": list(self.failed["invalidEmails"]),
            "invalidUserIds": list(self.failed["invalidUserIds"]),
        }
        if "conflictEmails" not in self.failed:
            body["disallowedEventNames"] = self.disallowed
        body["filteredOutFields"] = sorted(set(filtered_out))
        body["createdFields"] = list(self.created)
        body["failedUpdates"] = self.failed
        return body
