"""Iterable's error codes, one class each, each knowing the HTTP status Iterable uses.

Raising one of these anywhere below a view produces Iterable's envelope
`{"msg", "code", "params"}` with the right status (see `app.py`).
"""

from __future__ import annotations

from typing import Any


class IterableError(Exception):
    status = 400
    code = "GenericError"
    headers: dict[str, str] | None = None

    def __init__(self, msg: str, params: dict[str, Any] | None = None, status: int | None = None):
        super().__init__(msg)
        self.msg = msg
        self.params = params
        if status is not None:
            self.status = status

    def body(self) -> dict[str, Any]:
        return {"msg": self.msg, "code": self.code, "params": self.params}


class BareError(IterableError):
    """Errors Iterable answers from its edge, with no `params` key at all."""

    def body(self) -> dict[str, Any]:
        return {"msg": self.msg, "code": self.code}


class BadApiKey(IterableError):
    status = 401
    code = "BadApiKey"


class Unauthorized(IterableError):
    status = 401
    code = "Unauthorized"


class BadJsonBody(IterableError):
    code = "BadJsonBody"


class BadParams(IterableError):
    code = "BadParams"


class BatchTooLarge(IterableError):
    code = "BatchTooLarge"


class InvalidEmailAddressError(IterableError):
    code = "InvalidEmailAddressError"


class InvalidUserIdError(IterableError):
    code = "InvalidUserIdError"


class UnknownEmailError(IterableError):
    code = "UnknownEmailError"


class UnknownUserIdError(IterableError):
    code = "UnknownUserIdError"


class EmailAlreadyExists(IterableError):
    code = "EmailAlreadyExists"


class ExternalKeyConflict(IterableError):
    """Hybrid projects: the email and the userId belong to two different users."""

    status = 409
    code = "ExternalKeyConflict"


class ForgottenUserError(IterableError):
    status = 409
    code = "ForgottenUserError"


class RequestFieldsTypesMismatched(IterableError):
    code = "RequestFieldsTypesMismatched"


class NotFound(IterableError):
    status = 404
    code = "NotFound"


class NoUserWithIdExists(IterableError):
    """Iterable answers an unknown userId lookup with a raw i18n key as its code."""

    status = 404
    code = "error.users.noUserWithIdExists"


class PayloadTooLarge(IterableError):
    status = 413
    code = "BatchTooLarge"


class RateLimitExceeded(BareError):
    status = 429
    code = "RateLimitExceeded"


class GenericError(IterableError):
    status = 500
    code = "GenericError"
