"""Iterable's public API under `/api`: one blueprint per resource, all behind the key check."""

from __future__ import annotations

from flask import Blueprint

from .commerce import commerce
from .common import guard
from .devices import devices
from .events import events
from .lists import lists
from .messaging import messaging
from .users import users


def api_blueprint() -> Blueprint:
    api = Blueprint("api", __name__, url_prefix="/api")
    # App-wide, so an unknown /api route is also refused without a key (401, not 404).
    api.before_app_request(guard)
    for resource in (users, devices, events, commerce, lists, messaging):
        api.register_blueprint(resource)
    return api
