"""The shopping cart and purchases (reference §4.10-4.11).

Mixed into `Project`, whose lock, user-write and event rules these reuse: a cart
or purchase upserts its user exactly as `users/update` does.
"""

from __future__ import annotations

from typing import Any

from . import requestcontext
from .fieldtypes import FieldCheck, raise_mismatch
from .models import Event, Located


class CommerceMixin:
    def update_cart(self, user_record: dict[str, Any], items: list[dict[str, Any]]) -> Event:
        """Replace the cart with `items`, upsert the user, and log an `updateCart` event."""
        with self.lock:
            check, _ = self._check_user_data(
                user_record.get("dataFields"), user_record.get("createNewFields")
            )
            located = self._prepare_user_write(user_record, check)
            record = {"eventName": "updateCart"}
            user = self._apply_user_write(located, user_record, check)
            user.data_fields["shoppingCartItems"] = items
            event_check = FieldCheck(data={"updatedShoppingCartItems": items})
            return self._apply_event(
                Located(user, None, None), requestcontext.new_id(), record, event_check
            )

    def track_purchase(self, body: dict[str, Any]) -> Event:
        """Record a purchase (upserted by id), upsert the user, and empty their cart."""
        with self.lock:
            user_record = body["user"]
            check, _ = self._check_user_data(
                user_record.get("dataFields"), user_record.get("createNewFields")
            )
            record = {**body, "eventName": "purchase"}
            event_check, _ = self._check_event(record, "purchase")
            if event_check.errors:
                raise_mismatch(self.project_id, event_check.errors)
            located = self._prepare_user_write(user_record, check)
            event_id = self._event_id(body)
            self._created_at(body, 0)
            user = self._apply_user_write(located, user_record, check)
            user.data_fields["shoppingCartItems"] = []
            event = self._apply_event(
                Located(user, None, None), event_id, record, event_check, event_type="purchase"
            )
            event.extra = {
                **(event.extra or {}),
                "total": body["total"],
                "shoppingCartItems": body["items"],
            }
            return event
