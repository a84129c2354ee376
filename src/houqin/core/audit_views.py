"""The school-wide audit page: who changed what, filtered and exported."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .filters import ScopedFilterSet
from .models import AuditedModel, AuditEntry
from .tables import Column, Table
from .templatetags.history import audit_changes
from .views import ObjectListView


def audited_types() -> list[tuple[int, str]]:
    from django.apps import apps

    models = [m for m in apps.get_models() if issubclass(m, AuditedModel)]
    types = ContentType.objects.get_for_models(*models)
    return sorted(
        ((ct.pk, str(model._meta.verbose_name)) for model, ct in types.items()),
        key=lambda item: item[1],
    )


class AuditFilter(ScopedFilterSet):
    actor = django_filters.ModelChoiceFilter(queryset=None, label=_("by"))
    content_type = django_filters.ChoiceFilter(label=_("object type"), choices=audited_types)
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label=_("action"))
    since = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("from")
    )
    until = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("until")
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "content_type", "action"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from houqin.accounts.models import User

        self.base_filters["actor"].queryset = User.objects.all()
        super().__init__(*args, **kwargs)
        for name in ("since", "until"):
            self.form.fields[name].widget.input_type = "date"


def _changes(entry: AuditEntry) -> str:
    """The same labels and values as an object's History tab, on one line."""
    return "; ".join(
        f"{label}: {old} → {new}" if entry.action != "create" else f"{label}: {new}"
        for label, old, new in audit_changes(entry)
    )[:500]


class AuditTable(Table):
    columns = (
        Column("created_at", _("time")),
        Column(
            "actor",
            _("by"),
            accessor=lambda e: _("System") if e.actor_repr == "system" else e.actor_repr,
            order_by="actor_repr",
        ),
        Column("action", _("action")),
        Column(
            "type",
            _("object type"),
            accessor=lambda e: (
                e.content_type.model_class()._meta.verbose_name
                if e.content_type.model_class()
                else e.content_type.model
            ),
            sortable=False,
            hide_on_phone=True,
        ),
        Column("object_repr", _("object")),
        Column("changes", _("changes"), accessor=_changes, sortable=False, hide_on_phone=True),
        Column("remote_addr", _("address"), hide_on_phone=True),
    )


class AuditListView(ObjectListView):
    model = AuditEntry
    table_class = AuditTable
    filterset_class = AuditFilter
    search_fields = ("object_repr", "actor_repr")
    default_sort = "-created_at"
    title = _("Audit trail")

    def base_queryset(self) -> QuerySet[Any]:
        return AuditEntry.objects.select_related("content_type")
