"""`/api/lists...`: static lists and their subscribers."""

from __future__ import annotations

from flask import Blueprint

from .common import body, project, success

lists = Blueprint("lists", __name__, url_prefix="/lists")


@lists.get("")
def all_lists():
    return {"lists": project().all_lists()}


@lists.post("")
def create_list():
    request_body = body("CreateListRequest")
    return {"listId": project().create_list(request_body["name"], request_body.get("description"))}


@lists.delete("/<int:list_id>")
def delete_list(list_id: int):
    project().delete_list(list_id)
    return success(f"List {list_id} in Project {project().project_id} was successfully deleted.")


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
