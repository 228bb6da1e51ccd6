"""`/api/users/registerDeviceToken` and `/api/users/disableDevice`: where push goes."""

from __future__ import annotations

from flask import Blueprint

from .common import body, project, success

devices = Blueprint("devices", __name__, url_prefix="/users")


@devices.post("/registerDeviceToken")
def register_device_token():
    project().register_device(body("RegisterDeviceTokenRequest"))
    return success()


@devices.post("/disableDevice")
def disable_device():
    request_body = body("DisableDeviceRequest")
    project().disable_device(
        request_body["token"], request_body.get("email"), request_body.get("userId")
    )
    return success()
