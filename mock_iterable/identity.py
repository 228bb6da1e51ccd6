"""What Iterable accepts as an email address or a userId."""

from __future__ import annotations

from iterable_rules.identifiers import is_valid_email, is_valid_user_id

from .errors import InvalidEmailAddressError, InvalidUserIdError

PLACEHOLDER_DOMAIN = "placeholder.email"


def check_email(email: str) -> str:
    if not is_valid_email(email):
        raise InvalidEmailAddressError(f"Invalid email: {email}")
    return email


def check_user_id(user_id: str) -> str:
    if not is_valid_user_id(user_id):
        raise InvalidUserIdError(f"Invalid userId: {user_id}")
    return user_id


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()
