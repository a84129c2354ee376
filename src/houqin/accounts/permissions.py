"""Readable, translated names of permissions (the stored names are English only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "view": _("view"),
    "add": _("add"),
    "change": _("change"),
    "delete": _("delete"),
}


def permission_label(permission: Any) -> str:
    model = permission.content_type.model_class()
    action, _sep, _rest = permission.codename.partition("_")
    if model is None or action not in ACTIONS:
        return str(permission.name)
    return f"{model._meta.verbose_name_plural}: {ACTIONS[action]}"
