"""`/api/users/...`: profiles, identity changes, deletion, field types."""

from __future__ import annotations

from flask import Blueprint

from ..errors import NoUserWithIdExists
from .common import body, project, query_text, success

users = Blueprint("users", __name__, url_prefix="/users")


@users.post("/update")
def update_user():
    project().update_user(body("ApiUserUpdateRequest"))
    return success()


@users.post("/bulkUpdate")
def bulk_update():
    request_body = body("BulkUpdateUsersRequest")
    return project().bulk_update_users(request_body["users"], request_body.get("createNewFields"))


@users.post("/updateEmail")
def update_email():
    request_body = body("UpdateEmailRequest")
    project().update_email(
        request_body.get("currentEmail"),
        request_body.get("currentUserId"),
        request_body["newEmail"],
    )
    return success()


@users.get("/getFields")
def get_fields():
    return {"fields": project().user_fields()}


@users.get("/getByEmail")
def get_by_email():
    return _user_by_email(query_text("email"))


@users.get("/<identifier:email>")
def get_user(email: str):
    return _user_by_email(email)


def _user_by_email(email: str):
    """Iterable answers an unknown email with 200 and an empty object."""
    user = project().get_user(email=email)
    return {"user": user} if user else {}


@users.get("/byUserId")
def get_by_user_id_query():
    return _user_by_user_id(query_text("userId"))


@users.get("/byUserId/<identifier:user_id>")
def get_by_user_id(user_id: str):
    return _user_by_user_id(user_id)


def _user_by_user_id(user_id: str):
    user = project().get_user(user_id=user_id)
    if user is None:
        raise NoUserWithIdExists(f"No user exists with userId {user_id}", {"userId": user_id})
    return {"user": user}


@users.delete("/byUserId/<identifier:user_id>")
def delete_by_user_id(user_id: str):
    project().delete_users(user_id=user_id)
    return success(f"All users associated with {user_id} were successfully deleted")


@users.delete("/<identifier:email>")
def delete_by_email(email: str):
    project().delete_users(email=email)
    return success()


@users.post("/forget")
def forget():
    request_body = body("UserRequest")
    project().forget(email=request_body.get("email"), user_id=request_body.get("userId"))
    return success()


@users.post("/unforget")
def unforget():
    request_body = body("UserRequest")
    project().unforget(email=request_body.get("email"), user_id=request_body.get("userId"))
    return success()
