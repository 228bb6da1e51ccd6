"""`/api/lists...`: static lists and their subscribers."""

from __future__ import annotations

from flask import Blueprint

from ..errors import BadParams
from .common import body, project, success

lists = Blueprint("lists", __name__, url_prefix="/lists")


@lists.get("")
def all_lists():
    return {"lists": project().all_lists()}


@lists.post("")
def create_list():
    request_body = body("CreateListRequest")
    return {"listId": project().create_list(request_body["name"], request_body.get("description"))}


@lists.delete("/<list_id>")
def delete_list(list_id: str):
    number = _list_id(list_id)
    project().delete_list(number)
    return success(f"List {number} in Project {project().project_id} was successfully deleted.")


def _list_id(raw: str) -> int:
    """Play answers an unparsable Long path parameter with a 400 naming it."""
    try:
        return int(raw)
    except ValueError:
        raise BadParams(
            f'Cannot parse parameter listId as Long: For input string "{raw}"', {"listId": raw}
        ) from None


@lists.post("/subscribe")
def subscribe():
    request_body = body("SubscribeRequest")
    return project().subscribe(
        request_body["listId"],
        request_body["subscribers"],
        bool(request_body.get("updateExistingUsersOnly")),
    )


@lists.post("/unsubscribe")
def unsubscribe():
    request_body = body("UnsubscribeRequest")
    return project().unsubscribe(
        request_body["listId"], request_body["subscribers"], request_body.get("campaignId")
    )
