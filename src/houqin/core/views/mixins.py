"""Permission and scope: every Houqin view goes through ``ScopedViewMixin``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponseBase

from ..schools import active_school_id
from ..scoping import all_permissions, school_ids


def narrow(queryset: QuerySet[Any], user: Any, perm: str | None) -> QuerySet[Any]:
    """Narrow any queryset to what ``user`` may see (with ``perm`` where given)."""
    if hasattr(queryset, "visible_to"):
        narrowed: QuerySet[Any] = queryset.visible_to(user, perm)
        return narrowed
    return queryset.none()


class ScopedViewMixin:
    """Requires a permission (403 without it) and narrows querysets to the user's scope."""

    model: type[Model]
    permission_required: str = ""
    #: ``True`` for lists that follow the school switcher.
    follows_active_school: bool = True
    #: Choice fields over global reference data (permissions…) that need no narrowing.
    unscoped_choice_fields: tuple[str, ...] = ()
    request: HttpRequest

    def get_permission_required(self) -> str:
        return self.permission_required

    def has_permission(self) -> bool:
        perm = self.get_permission_required()
        perms = all_permissions(self.request.user)
        return not perm or perm in perms or "*" in perms

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not self.has_permission():
            raise PermissionDenied
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response

    def base_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def get_queryset(self) -> QuerySet[Any]:
        return narrow(self.base_queryset(), self.request.user, self.get_permission_required())

    def narrow_to_active_school(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        field = getattr(self.model, "scope_field", None)
        active = active_school_id(self.request)
        if not self.follows_active_school or field is None or active is None:
            return queryset
        return queryset.filter(**{field: active})

    def allowed_school_ids(self) -> list[int]:
        return school_ids(self.request.user, self.get_permission_required())

    def narrow_form_choices(self, form: Any) -> None:
        """Every model choice in a form offers only objects within the user's scope."""
        perm = self.get_permission_required()
        for name, field in form.fields.items():
            if name in self.unscoped_choice_fields:
                continue
            if isinstance(field, ModelChoiceField) and field.queryset is not None:
                field.queryset = narrow(field.queryset, self.request.user, perm)
