"""Which strings Iterable accepts as an email address or a userId (reference §1.6)."""

from __future__ import annotations

import re
from typing import Any

# Pragmatic: one @, no whitespace, a dot in the domain. "000" and "a @b.com" fail.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
MAX_EMAIL_LENGTH = 254
# Non-empty, at most 52 characters, printable ASCII, no trailing space.
MAX_USER_ID_LENGTH = 52


def is_valid_email(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= MAX_EMAIL_LENGTH
        and _EMAIL.fullmatch(value) is not None
    )


def is_valid_user_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_USER_ID_LENGTH
        and value.isascii()
        and value.isprintable()
        and value == value.rstrip()
    )
