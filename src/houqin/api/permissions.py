"""The web's rules for the API: a permission held in some school (403 without it), and
querysets narrowed to the schools where it is held (404 outside them)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from houqin.core.scoping import all_permissions


class HoldsPermission(BasePermission):
    """The user holds ``view.required_permission()`` in at least one school."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        perm = view.required_permission() if hasattr(view, "required_permission") else ""
        if not perm:
            return True
        perms = all_permissions(user)
        return perm in perms or "*" in perms
