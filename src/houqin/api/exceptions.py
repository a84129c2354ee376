"""One error format for every API error, in the request's language.

    {"error": {"status": 404, "code": "not_found", "message": "…", "fields": {…}}}

``fields`` maps a field name to its messages (validation errors only).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

#: Django's own logger for server errors, so the site's error reporting sees API errors too.
logger = logging.getLogger("django.request")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the object.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _(
        "This account is locked for a while after repeated wrong passwords. Try again "
        "later or ask the administrator."
    )
    default_code = "locked_out"


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError()
    return None


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return [str(value)]


def _first_code(codes: Any) -> str | None:
    if isinstance(codes, dict):
        for item in codes.values():
            found = _first_code(item)
            if found:
                return found
        return None
    if isinstance(codes, list | tuple):
        return _first_code(codes[0]) if codes else None
    return str(codes) if codes else None


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    detail = exc.detail
    fields: dict[str, Any] = {}
    code = exc.default_code
    if isinstance(exc, exceptions.ValidationError):
        message = str(_("Invalid input."))
        if isinstance(detail, dict):
            fields = dict(detail)
            non_field = _texts(detail.get(api_settings.NON_FIELD_ERRORS_KEY, []))
            if non_field:
                message = non_field[0]
            code = "invalid"
        else:
            texts = _texts(detail)
            if texts:
                message = texts[0]
            code = _first_code(exc.get_codes()) or "invalid"
    else:
        texts = _texts(detail)
        message = texts[0] if texts else str(exc.default_detail)
    body: dict[str, Any] = {"status": exc.status_code, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        request = getattr(context.get("request"), "_request", None)
        logger.error(
            "Internal Server Error: %s",
            getattr(request, "path", "?"),
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        api_exc = exceptions.APIException()
    headers: dict[str, str] = {}
    auth_header = getattr(api_exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(api_exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))
    set_rollback()
    return Response(error_body(api_exc), status=api_exc.status_code, headers=headers)
