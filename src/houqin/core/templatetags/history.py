from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from ..models import AuditEntry
from ..tables import display

register = template.Library()


def _show(field: Any, value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    if field is not None and getattr(field, "choices", None) and value is not None:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return display(value)


@register.simple_tag
def audit_changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """Field label, old and new value of each change, in the reader's language."""
    model = entry.content_type.model_class()
    rows = []
    for name, pair in (entry.changes or {}).items():
        field = None
        label = name
        if model is not None:
            try:
                field = model._meta.get_field(name)
                label = str(getattr(field, "verbose_name", name))
            except FieldDoesNotExist:
                label = _(name)
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        rows.append((label, _show(field, old), _show(field, new)))
    return rows
