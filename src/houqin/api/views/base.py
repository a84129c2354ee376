"""The base of every scoped API resource: permission and narrowing exactly as on the web."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, viewsets
from rest_framework.request import Request

from houqin.core.audit import acting_as
from houqin.core.views.generic import perm_name
from houqin.core.views.mixins import narrow

from ..exceptions import Conflict
from ..permissions import HoldsPermission

#: The permission action each viewset action needs.
ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


@contextmanager
def acting(request: Request) -> Iterator[None]:
    """Attribute changes to the API user (the audit middleware saw only the session)."""
    with acting_as(request.user, request.META.get("REMOTE_ADDR")):
        yield


class ScopedViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Needs ``<app>.<action>_<model>`` in some school (403) and sees only the schools where
    the user holds it (404 for other schools' objects), like ``ScopedViewMixin``."""

    permission_classes = [HoldsPermission]
    lookup_value_regex = r"[0-9]+"
    queryset: QuerySet[Any]

    @property
    def model(self) -> type[Model]:
        return self.queryset.model

    def required_permission(self) -> str:
        action = ACTIONS.get(self.action or "", "view")
        return perm_name(self.model, action)

    def base_queryset(self) -> QuerySet[Any]:
        return self.queryset.all()

    def get_queryset(self) -> QuerySet[Any]:
        return narrow(self.base_queryset(), self.request.user, self.required_permission())


class ReadOnlyScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


class WritableScopedViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ReadOnlyScopedViewSet,
):
    """Writes run in a savepoint, attributed to the user; a row still in use is a 409."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head"]

    def perform_create(self, serializer: Any) -> None:
        with acting(self.request), _integrity():
            serializer.save()

    def perform_update(self, serializer: Any) -> None:
        with acting(self.request), _integrity():
            serializer.save()

    def perform_destroy(self, instance: Any) -> None:
        name = str(instance)
        try:
            with acting(self.request), transaction.atomic():
                instance.delete()
        except ProtectedError as exc:
            used_by = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
            raise Conflict(
                _("%(name)s cannot be deleted because it is still used by: %(used)s.")
                % {"name": name, "used": "、".join(used_by)}
            ) from exc


@contextmanager
def _integrity() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise exceptions.ValidationError(
            _("This conflicts with an existing record; check the unique fields.")
        ) from exc
