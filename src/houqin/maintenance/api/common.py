"""What the maintenance API resources share: permissions that several roles may hold, the
refusal of a service as a 400 in the API's error format, and JSON fields in multipart forms."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from houqin.core.scoping import all_permissions
from houqin.core.workflow import TransitionError

from ..services.orders import WorkOrderError

#: Reporting a repair: every member of staff holds it.
REPORT = "maintenance.add_repairrequest"
VIEW_ORDERS = "maintenance.view_workorder"
VIEW_REQUESTS = "maintenance.view_repairrequest"
ADD_ORDERS = "maintenance.add_workorder"
DISPATCH = "maintenance.dispatch_workorder"
WORK = "maintenance.work_workorder"
TRIAGE = "maintenance.triage_repairrequest"

#: JSON bodies everywhere; photos come as multipart where an action takes them.
UPLOAD_PARSERS = [JSONParser, MultiPartParser]


class HoldsAnyPermission(BasePermission):
    """The user holds at least one of ``view.required_permissions()`` in some school."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        wanted = view.required_permissions()
        if not wanted:
            return True
        held = all_permissions(user)
        return "*" in held or any(perm in held for perm in wanted)


class MaintenanceRefused(exceptions.ValidationError):
    """A rule of the maintenance module refused the request (not yours, wrong state…)."""

    default_code = "maintenance_refused"


ERRORS: tuple[type[Exception], ...] = (WorkOrderError, TransitionError, DjangoValidationError)


def refused(exc: Exception) -> MaintenanceRefused:
    if isinstance(exc, DjangoValidationError):
        return MaintenanceRefused(" ".join(exc.messages))
    return MaintenanceRefused(str(exc))


def plain_data(request: Request, json_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """The request's fields as a dict. In a multipart form, ``photos`` is the list of
    uploaded files and the ``json_fields`` (lists of rows) come as JSON text."""
    data = request.data
    if not hasattr(data, "getlist"):
        return dict(data) if isinstance(data, dict) else {}
    plain: dict[str, Any] = {key: data.get(key) for key in data if key != "photos"}
    photos = data.getlist("photos")
    if photos:
        plain["photos"] = photos
    for key in json_fields:
        text = plain.get(key)
        if isinstance(text, str) and text.strip():
            try:
                plain[key] = json.loads(text)
            except ValueError:
                raise exceptions.ValidationError(
                    {key: [_("Send this field as a JSON list.")]}
                ) from None
        elif isinstance(text, str):
            plain.pop(key)
    return plain


def unknown(what: Any) -> dict[str, Any]:
    """Error messages of a related field for an id that is not there (or not yours)."""
    return {"does_not_exist": what, "incorrect_type": what}


UNKNOWN_USER = unknown(gettext_lazy("Unknown person."))
UNKNOWN_ROOM = unknown(gettext_lazy("Unknown room."))


class PhotosField(serializers.ListField):  # type: ignore[type-arg]
    """Up to 9 images (their content is checked; the attachment service checks size)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", serializers.ImageField())
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 9)
        super().__init__(**kwargs)
