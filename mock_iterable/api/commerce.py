"""`/api/commerce/...`: the shopping cart and purchases."""

from __future__ import annotations

from flask import Blueprint

from .common import body, project, success

commerce = Blueprint("commerce", __name__, url_prefix="/commerce")


@commerce.post("/updateCart")
def update_cart():
    request_body = body("UpdateCartRequest")
    project().update_cart(request_body["user"], request_body["items"])
    return success()


@commerce.post("/trackPurchase")
def track_purchase():
    event = project().track_purchase(body("TrackPurchaseRequest"))
    return success(f"Purchase with id: {event.id} tracked.", {"id": event.id})
