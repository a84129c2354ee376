"""The OpenAPI schema and Swagger UI, served under the site's Content Security Policy."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView


class DocsView(TemplateView):
    """Swagger UI from the sidecar's static files; its set-up is ``houqin/swagger-init.js``
    (no inline script, so ``script-src 'self'`` holds)."""

    template_name = "api/swagger_ui.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["schema_url"] = reverse("api:schema") + "?format=json"
        return context


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other URL under ``/api/v1/``: a 404 in the API's error format."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise exceptions.NotFound()
