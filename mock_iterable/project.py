"""One Iterable project: its users, events and field types, and the rules that change them.

Every public method takes the project lock, so a request is applied whole or not
at all, and concurrent requests never lose a write. Requests are checked fully
(identifiers, field types, conflicts) before anything is changed.
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections import ChainMap
from collections.abc import Callable
from typing import Any

from . import errors, requestcontext
from .bulk import EVENT_FAILURE_LISTS, USER_FAILURE_LISTS, BulkReport
from .commerce import CommerceMixin
from .config import ProjectSettings
from .dates import format_epoch
from .fieldtypes import USER_BUILTIN_TYPES, FieldCheck, check_fields, raise_mismatch
from .identity import PLACEHOLDER_DOMAIN, check_email, check_user_id, email_domain
from .lists import ListsMixin
from .merge import merge_fields
from .messaging import MessagingMixin
from .models import Event, Located, User
from .ratelimits import RateLimiter

MAX_EVENT_ID_BYTES = 512
MAX_CREATED_AT = 253402300799  # 9999-12-31 23:59:59 UTC
# A createdAt this large is milliseconds (year 5138 in seconds), when the project allows it.
MILLISECONDS_FROM = 100_000_000_000
DEFAULT_EVENTS_LIMIT = 30


class Project(CommerceMixin, ListsMixin, MessagingMixin):
    def __init__(
        self,
        project_id: int,
        api_key: str,
        settings: ProjectSettings,
        clock: Callable[[], float] = requestcontext.now,
    ):
        self.project_id = project_id
        self.api_key = api_key
        self.settings = settings
        self.clock = clock
        self.lock = threading.RLock()
        # Set by the store: where recorded system events go (Segment, webhooks).
        self.on_system_event: Callable[[ProjectSettings, dict[str, Any]], None] | None = None
        self.limiter = RateLimiter(settings.rate_limit_overrides)
        self._init_state()

    def _init_state(self) -> None:
        """The one place state is born, so a reset cannot forget a field."""
        self.users: dict[int, User] = {}
        self.by_email: dict[str, list[int]] = {}
        self.by_user_id: dict[str, list[int]] = {}
        self.events: dict[str, Event] = {}
        self.user_events: dict[int, dict[str, None]] = {}
        self.user_types: dict[str, str] = dict(USER_BUILTIN_TYPES)
        self.event_types: dict[str, dict[str, str]] = {}
        self.forgotten_emails: set[str] = set()
        self.forgotten_user_ids: set[str] = set()
        self._uids = itertools.count(1)
        self._init_lists()
        self._init_messaging()

    def reset(self) -> None:
        with self.lock:
            self._init_state()

    def restart_counters(self) -> None:
        """After loading a snapshot: new users and lists get ids past the loaded ones."""
        self._uids = itertools.count(max(self.users, default=0) + 1)
        self._list_ids = itertools.count(max(self.lists, default=self.project_id * 100) + 1)

    # ----------------------------------------------------------------- lookups

    def find_by_email(self, email: str) -> User | None:
        uids = self.by_email.get(email)
        return self.users[uids[0]] if uids else None

    def find_by_user_id(self, user_id: str) -> User | None:
        uids = self.by_user_id.get(user_id)
        return self.users[uids[-1]] if uids else None

    def get_user(self, *, email: str | None = None, user_id: str | None = None) -> dict | None:
        with self.lock:
            user = (
                self.find_by_email(email)
                if email is not None
                else self.find_by_user_id(user_id or "")
            )
            return user.render() if user else None

    def user_fields(self) -> dict[str, str]:
        with self.lock:
            return dict(sorted(self.user_types.items()))

    def user_events_of(self, user: User, limit: int) -> list[dict[str, Any]]:
        ids = self.user_events.get(user.uid, {})
        events = sorted((self.events[i] for i in ids), key=lambda e: e.created_at, reverse=True)
        return [event.render(user) for event in events[:limit]]

    def get_events(
        self,
        *,
        email: str | None = None,
        user_id: str | None = None,
        limit: int = DEFAULT_EVENTS_LIMIT,
    ) -> list[dict[str, Any]]:
        highest = self.settings.max_events_limit
        if not 1 <= limit <= highest:
            raise errors.BadParams(f"limit must be between 1 and {highest}", {"limit": limit})
        with self.lock:
            user = (
                self.find_by_email(email)
                if email is not None
                else self.find_by_user_id(user_id or "")
            )
            return self.user_events_of(user, limit) if user else []

    # ---------------------------------------------------------------- identity

    def check_identifiers(self, email: Any, user_id: Any) -> None:
        if email is None and user_id is None:
            raise errors.BadParams("Either email or userId must be provided.")
        if email is not None:
            check_email(email)
            if email in self.forgotten_emails:
                raise errors.ForgottenUserError(f"User with email {email} has been forgotten.")
        if user_id is not None:
            check_user_id(user_id)
            if user_id in self.forgotten_user_ids:
                raise errors.ForgottenUserError(f"User with userId {user_id} has been forgotten.")

    def locate(
        self,
        email: str | None,
        user_id: str | None,
        *,
        may_create: bool,
        prefer_user_id: bool = False,
    ) -> Located:
        """Apply the project type's identity rules (reference §2) without changing state."""
        kind = self.settings.project_type
        by_email = self.find_by_email(email) if email is not None else None
        by_id = self.find_by_user_id(user_id) if user_id is not None else None
        if kind == "email":
            if email is not None:
                return self._existing_or_new(by_email, email, user_id, may_create, "email")
            if by_id is None and prefer_user_id and may_create:
                return Located(None, self._placeholder_email(user_id), user_id)
            return self._existing_or_new(by_id, None, user_id, False, "userId")
        if kind == "userId":
            if user_id is not None:
                return self._existing_or_new(by_id, email, user_id, may_create, "userId")
            return self._existing_or_new(by_email, email, None, False, "email")
        if by_email is not None and by_id is not None and by_email is not by_id:
            raise errors.ExternalKeyConflict(
                f"Email {email} and userId {user_id} belong to different users."
            )
        field = "email" if email is not None else "userId"
        return self._existing_or_new(by_email or by_id, email, user_id, may_create, field)

    @staticmethod
    def _existing_or_new(
        user: User | None, email: str | None, user_id: str | None, may_create: bool, field: str
    ) -> Located:
        if user is not None:
            return Located(user, email, user_id)
        if not may_create:
            if field == "email":
                raise errors.UnknownEmailError(f"No user exists with email {email}.")
            raise errors.UnknownUserIdError(f"No user exists with userId {user_id}.")
        return Located(None, email, user_id)

    def _placeholder_email(self, user_id: str | None) -> str:
        return f"{user_id}+{requestcontext.random_digits(9)}@{PLACEHOLDER_DOMAIN}"

    def _check_identifier_change(
        self, user: User | None, email: str | None, user_id: str | None
    ) -> None:
        """In a hybrid project both identifiers are unique; taking another's is a conflict."""
        kind = self.settings.project_type
        if user_id is not None and kind == "hybrid":
            owner = self.find_by_user_id(user_id)
            if owner is not None and owner is not user:
                raise errors.ExternalKeyConflict(f"userId {user_id} belongs to another user.")
        if email is not None and kind != "email":
            owner = self.find_by_email(email)
            if owner is not None and owner is not user and kind == "hybrid":
                raise errors.ExternalKeyConflict(f"Email {email} belongs to another user.")

    # ------------------------------------------------------------ user writes

    def _check_user_data(
        self, data: Any, create_new_fields: bool | None, pending: dict[str, str] | None = None
    ) -> tuple[FieldCheck, list[str]]:
        known = ChainMap(pending, self.user_types) if pending is not None else self.user_types
        return _check_with_policy(known, data or {}, "user", self._creates(create_new_fields))

    def _creates(self, create_new_fields: bool | None) -> bool:
        return self.settings.create_new_fields if create_new_fields is None else create_new_fields

    def _prepare_user_write(
        self, record: dict[str, Any], check: FieldCheck, may_create: bool = True
    ) -> Located:
        """Everything that can fail before a user write, so applying it cannot fail."""
        self.check_identifiers(record.get("email"), record.get("userId"))
        if check.errors:
            raise_mismatch(self.project_id, check.errors)
        return self._resolve(
            record,
            check.data,
            may_create=may_create,
            prefer_user_id=bool(record.get("preferUserId")),
        )

    def _resolve(
        self,
        record: dict[str, Any],
        data: dict[str, Any],
        *,
        may_create: bool,
        prefer_user_id: bool = False,
    ) -> Located:
        located = self.locate(
            record.get("email"),
            record.get("userId"),
            may_create=may_create,
            prefer_user_id=prefer_user_id,
        )
        new_email, new_user_id = self._identifier_changes(located, data)
        self._check_identifier_change(located.user, new_email, new_user_id)
        return located

    def _materialize(self, located: Located, data: dict[str, Any], now: float) -> User:
        """The located user, created if new, carrying the identifiers the write sets."""
        user = located.user or self._create_user(located.email, located.user_id, now)
        new_email, new_user_id = self._identifier_changes(
            Located(user, located.email, located.user_id), data
        )
        if new_user_id is not None:
            self._set_user_id(user, new_user_id)
        if new_email is not None:
            self._set_email(user, new_email)
        return user

    def _identifier_changes(
        self, located: Located, data: dict[str, Any]
    ) -> tuple[str | None, str | None]:
        """Identifiers a write sets: top-level ones on a found user, or `dataFields` ones."""
        user = located.user
        new_user_id = data.get("userId", located.user_id)
        if new_user_id is not None:
            check_user_id(new_user_id)
        new_email = None
        if self.settings.project_type != "email":
            new_email = data.get("email", located.email)
            if new_email is not None:
                check_email(new_email)
        if user is not None:
            new_user_id = None if new_user_id == user.user_id else new_user_id
            new_email = None if new_email == user.email else new_email
        return new_email, new_user_id

    def _apply_user_write(
        self, located: Located, record: dict[str, Any], check: FieldCheck
    ) -> User:
        now = self.clock()
        user = self._materialize(located, check.data, now)
        incoming = {k: v for k, v in check.data.items() if k not in ("email", "userId")}
        merge_fields(user.data_fields, incoming, bool(record.get("mergeNestedObjects")))
        self.user_types.update(check.new_types)
        self._touch(user, now)
        return user

    def _create_user(self, email: str | None, user_id: str | None, now: float) -> User:
        user = User(uid=next(self._uids), email=None, user_id=None, created_at=now, updated_at=now)
        stamp = format_epoch(now)
        user.data_fields.update(
            {
                "signupDate": stamp,
                "signupSource": "API",
                "itblInternal": {"documentCreatedAt": stamp, "documentUpdatedAt": stamp},
            }
        )
        self.users[user.uid] = user
        self.user_events[user.uid] = {}
        if email is not None:
            self._set_email(user, email)
        if user_id is not None:
            self._set_user_id(user, user_id)
        return user

    def _set_email(self, user: User, email: str) -> None:
        if user.email is not None:
            _unindex(self.by_email, user.email, user.uid)
        user.email = email
        self.by_email.setdefault(email, []).append(user.uid)
        user.data_fields["email"] = email
        internal = user.data_fields.setdefault("itblInternal", {})
        internal["emailDomain"] = email_domain(email)

    def _set_user_id(self, user: User, user_id: str) -> None:
        if user.user_id is not None:
            _unindex(self.by_user_id, user.user_id, user.uid)
        user.user_id = user_id
        self.by_user_id.setdefault(user_id, []).append(user.uid)
        user.data_fields["userId"] = user_id

    def _touch(self, user: User, now: float) -> None:
        user.updated_at = now
        stamp = format_epoch(now)
        user.data_fields["profileUpdatedAt"] = stamp
        internal = user.data_fields.setdefault("itblInternal", {})
        internal["documentUpdatedAt"] = stamp

    def update_user(self, record: dict[str, Any]) -> User:
        with self.lock:
            check, _ = self._check_user_data(
                record.get("dataFields"), record.get("createNewFields")
            )
            located = self._prepare_user_write(record, check)
            return self._apply_user_write(located, record, check)

    def bulk_update_users(
        self,
        records: list[dict[str, Any]],
        create_new_fields: bool | None,
        *,
        may_create: bool = True,
        then: Callable[[User], None] | None = None,
    ) -> dict[str, Any]:
        """Apply each user on its own; `then` runs on each written user (list subscribes)."""
        if len(records) > self.settings.max_bulk_users:
            raise errors.BatchTooLarge(
                f"At most {self.settings.max_bulk_users} users may be sent per request."
            )
        with self.lock:
            pending: dict[str, str] = {}
            checks = []
            filtered: list[str] = []
            for record in records:
                check, dropped = self._check_user_data(
                    record.get("dataFields"), create_new_fields, pending
                )
                if check.errors:
                    raise_mismatch(self.project_id, check.errors)
                pending.update(check.new_types)
                filtered.extend(dropped)
                checks.append(check)
            report = BulkReport(USER_FAILURE_LISTS)
            for record, check in zip(records, checks, strict=True):
                try:
                    located = self._prepare_user_write(record, check, may_create)
                except errors.IterableError as failure:
                    report.fail(record.get("email"), record.get("userId"), failure)
                    continue
                user = self._apply_user_write(located, record, check)
                if then is not None:
                    then(user)
                report.succeed(check.new_types)
            return report.body(filtered)

    def update_email(
        self, current_email: str | None, current_user_id: str | None, new_email: str
    ) -> None:
        with self.lock:
            if current_email is None and current_user_id is None:
                raise errors.BadParams("Either currentEmail or currentUserId must be provided.")
            current = current_email if current_email is not None else current_user_id
            prefix = f"Cannot change user Some({current}) to {new_email}."
            check_email(new_email)
            user = (
                self.find_by_email(current_email)
                if current_email is not None
                else self.find_by_user_id(current_user_id or "")
            )
            if user is None:
                raise errors.BadParams(f"{prefix} User does not exist")
            status = self.settings.email_already_exists_status
            if new_email in self.forgotten_emails:
                raise errors.EmailAlreadyExists(
                    f"{prefix} New email is on the forgotten list", status=status
                )
            if self.find_by_email(new_email) is not None:
                raise errors.EmailAlreadyExists(f"{prefix} New email already exists", status=status)
            now = self.clock()
            self._set_email(user, new_email)
            # Iterable re-creates the profile document under the new address.
            stamp = format_epoch(now)
            user.created_at = now
            user.data_fields["signupDate"] = stamp
            user.data_fields["itblInternal"]["documentCreatedAt"] = stamp
            self._touch(user, now)

    def delete_users(self, *, email: str | None = None, user_id: str | None = None) -> int:
        with self.lock:
            if email is not None:
                uids = list(self.by_email.get(email, []))
            else:
                uids = list(self.by_user_id.get(user_id or "", []))
            if not uids and self.settings.delete_unknown_user_errors:
                raise errors.BadParams(
                    f"User does not exist. Email: {email or ''} UserId: {user_id or ''}"
                )
            for uid in uids:
                self._remove_user(self.users[uid])
            return len(uids)

    def forget(self, *, email: str | None = None, user_id: str | None = None) -> None:
        with self.lock:
            user = (
                self.find_by_email(email)
                if email is not None
                else self.find_by_user_id(user_id or "")
            )
            if user is not None:
                if user.email:
                    self.forgotten_emails.add(user.email)
                if user.user_id:
                    self.forgotten_user_ids.add(user.user_id)
                self._remove_user(user)
            if email is not None:
                self.forgotten_emails.add(email)
            if user_id is not None:
                self.forgotten_user_ids.add(user_id)

    def unforget(self, *, email: str | None = None, user_id: str | None = None) -> None:
        with self.lock:
            self.forgotten_emails.discard(email or "")
            self.forgotten_user_ids.discard(user_id or "")

    def _remove_user(self, user: User) -> None:
        if user.email is not None:
            _unindex(self.by_email, user.email, user.uid)
        if user.user_id is not None:
            _unindex(self.by_user_id, user.user_id, user.uid)
        for event_id in self.user_events.pop(user.uid, {}):
            self.events.pop(event_id, None)
        del self.users[user.uid]

    # ------------------------------------------------------------------ events

    def _check_event(
        self,
        record: dict[str, Any],
        event_name: str,
        pending: dict[str, dict[str, str]] | None = None,
    ) -> tuple[FieldCheck, list[str]]:
        known: Any = self.event_types.get(event_name, {})
        if pending is not None:
            known = ChainMap(pending.setdefault(event_name, {}), known)
        return _check_with_policy(
            known,
            record.get("dataFields") or {},
            "event",
            self._creates(record.get("createNewFields")),
        )

    def _event_id(self, record: dict[str, Any]) -> str:
        event_id = record.get("id")
        if event_id is None or event_id == "":
            return requestcontext.new_id()
        if len(event_id.encode("utf-8")) > MAX_EVENT_ID_BYTES:
            raise errors.BadParams(
                f"id cannot be longer than {MAX_EVENT_ID_BYTES} bytes",
                {"id": event_id[:64] + "..."},
            )
        return event_id

    def _created_at(self, record: dict[str, Any], now: float) -> float:
        created_at = record.get("createdAt")
        if created_at is None:
            return now
        if self.settings.created_at_millis and created_at > MILLISECONDS_FROM:
            created_at = created_at / 1000
        if not 0 <= created_at <= MAX_CREATED_AT:
            raise errors.BadParams(
                "createdAt must be a Unix timestamp in seconds", {"createdAt": created_at}
            )
        return float(created_at)

    def _prepare_event(self, record: dict[str, Any], check: FieldCheck) -> tuple[Located, str]:
        self.check_identifiers(record.get("email"), record.get("userId"))
        event_id = self._event_id(record)
        self._created_at(record, 0)
        if check.errors:
            raise_mismatch(self.project_id, check.errors)
        located = self._resolve(
            record, {}, may_create=self.settings.track_creates_unknown_email_user
        )
        return located, event_id

    def _apply_event(
        self,
        located: Located,
        event_id: str,
        record: dict[str, Any],
        check: FieldCheck,
        event_type: str = "customEvent",
    ) -> Event:
        now = self.clock()
        user = self._materialize(located, {}, now)
        extra = {k: record[k] for k in ("campaignId", "templateId") if record.get(k) is not None}
        event = Event(
            id=event_id,
            uid=user.uid,
            event_type=event_type,
            event_name=sys.intern(record["eventName"]),
            created_at=self._created_at(record, now),
            updated_at=now,
            data_fields=check.data,
            extra=extra or None,
        )
        self.event_types.setdefault(event.event_name, {}).update(check.new_types)
        self._store_event(event)
        return event

    def _store_event(self, event: Event) -> None:
        previous = self.events.get(event.id)
        if previous is not None:
            self.user_events.get(previous.uid, {}).pop(event.id, None)
        self.events[event.id] = event
        self.user_events.setdefault(event.uid, {})[event.id] = None

    def is_disallowed(self, event_name: str) -> bool:
        return event_name in self.settings.disallowed_event_names

    def track(self, record: dict[str, Any]) -> Event:
        with self.lock:
            check, _ = self._check_event(record, record["eventName"])
            located, event_id = self._prepare_event(record, check)
            return self._apply_event(located, event_id, record, check)

    def track_bulk(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        if len(records) > self.settings.max_bulk_events:
            raise errors.BatchTooLarge(
                f"At most {self.settings.max_bulk_events} events may be sent per request."
            )
        with self.lock:
            pending: dict[str, dict[str, str]] = {}
            checks, filtered = [], []
            for record in records:
                check, dropped = self._check_event(record, record["eventName"], pending)
                if check.errors:
                    raise_mismatch(self.project_id, check.errors)
                pending[record["eventName"]].update(check.new_types)
                filtered.extend(dropped)
                checks.append(check)
            report = BulkReport(EVENT_FAILURE_LISTS)
            for record, check in zip(records, checks, strict=True):
                if self.is_disallowed(record["eventName"]):
                    report.disallow(record["eventName"])
                    continue
                try:
                    located, event_id = self._prepare_event(record, check)
                except errors.IterableError as failure:
                    report.fail(record.get("email"), record.get("userId"), failure)
                    continue
                self._apply_event(located, event_id, record, check)
                report.succeed(check.new_types)
            return report.body(filtered)

    # ------------------------------------------------------------------- admin

    def dump(self) -> dict[str, Any]:
        """The whole project as JSON: what staging owners look at when a test surprises them."""
        with self.lock:
            users = [user.render() for user in self.users.values()]
            events, purchases = [], []
            for event in self.events.values():
                rendered = event.render(self.users[event.uid])
                (purchases if event.event_type == "purchase" else events).append(rendered)
            carts = {
                (user.email or user.user_id or str(user.uid)): user.data_fields["shoppingCartItems"]
                for user in self.users.values()
                if user.data_fields.get("shoppingCartItems")
            }
            return {
                "projectId": self.project_id,
                "settings": self.settings.to_dict(),
                "users": users,
                "events": events,
                "purchases": purchases,
                "carts": carts,
            }

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {"users": len(self.users), "events": len(self.events)}


def _check_with_policy(
    known: Any, data: dict[str, Any], category: str, create_new_fields: bool
) -> tuple[FieldCheck, list[str]]:
    """Type-check, then drop unknown top-level fields when the project may not create them."""
    dropped: list[str] = []
    if not create_new_fields:
        dropped = [key for key in data if key not in known]
        data = {k: v for k, v in data.items() if k in known}
    check = check_fields(known, data, category)
    if not create_new_fields:
        check.new_types = {}
    return check, dropped


def _unindex(index: dict[str, list[int]], key: str, uid: int) -> None:
    uids = index.get(key)
    if uids and uid in uids:
        uids.remove(uid)
        if not uids:
            del index[key]
