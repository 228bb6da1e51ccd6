"""What Iterable accepts as an email address or a userId."""

from __future__ import annotations

import re

from .errors import InvalidEmailAddressError, InvalidUserIdError

# Pragmatic: one @, no whitespace, a dot in the domain. "000" and "a @b.com" fail.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAX_USER_ID_LENGTH = 52
PLACEHOLDER_DOMAIN = "placeholder.email"


def check_email(email: str) -> str:
    if not isinstance(email, str) or not _EMAIL.fullmatch(email) or len(email) > 254:
        raise InvalidEmailAddressError(f"Invalid email: {email}")
    return email


def check_user_id(user_id: str) -> str:
    valid = (
        isinstance(user_id, str)
        and 0 < len(user_id) <= MAX_USER_ID_LENGTH
        and user_id.isascii()
        and user_id.isprintable()
        and user_id == user_id.rstrip()
    )
    if not valid:
        raise InvalidUserIdError(f"Invalid userId: {user_id}")
    return user_id


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()
