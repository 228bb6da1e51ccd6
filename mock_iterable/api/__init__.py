"""Iterable's public API under `/api`: one blueprint per resource, all behind the key check."""

from __future__ import annotations

from flask import Blueprint

from .commerce import commerce
from .common import authenticate
from .events import events
from .users import users


def api_blueprint() -> Blueprint:
    api = Blueprint("api", __name__, url_prefix="/api")
    api.before_request(authenticate)
    for resource in (users, events, commerce):
        api.register_blueprint(resource)
    return api
