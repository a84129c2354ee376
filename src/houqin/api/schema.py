"""OpenAPI additions: the token security scheme and the shared error responses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from houqin.core.filters import YesNoFilter

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Messages per field (validation errors only).",
                },
            },
        }
    },
}

ERRORS = {
    "400": "Invalid input",
    "401": "Not authenticated, or an invalid or expired token",
    "403": "Permission denied",
    "404": "Not found, or outside the caller's schools",
    "409": "Conflict, for example a row still in use",
    "429": "Locked out or throttled",
}


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "houqin.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token authentication: "Authorization: Token <token>" '
            "(POST /api/v1/auth/token/ issues one).",
        }


class SessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "houqin.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class FilterExtension(DjangoFilterExtension):  # type: ignore[no-untyped-call]
    """The web's yes/no filters take the strings "1" and "0", not JSON booleans."""

    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        params: list[dict[str, Any]] = super().resolve_filter_field(  # type: ignore[no-untyped-call]
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(filter_field, YesNoFilter):
            for param in params:
                param["schema"]["type"] = "string"
                param["schema"]["enum"] = ["0", "1"]
        return params


def add_error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Document the one error format on every operation (postprocessing hook)."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            # Operations without security are the token exchange (checked against lockout).
            public = operation.get("security") in (None, [], [{}])
            codes = ["400", "429"] if public else ["400", "401", "403"]
            if "{" in path:
                codes.append("404")
            if method == "delete":
                codes.append("409")
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": ERRORS[code],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return result
