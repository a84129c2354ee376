"""Filters of the supplier list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet, YesNoFilter

from .models import Supplier

QUALIFICATION_STATES = (
    ("expiring", _("Expiring or expired")),
    ("expired", _("Expired")),
    ("valid", _("All valid")),
)


class SupplierFilter(ScopedFilterSet):
    is_active = YesNoFilter(field_name="is_active", label=_("active"))
    qualifications = django_filters.ChoiceFilter(
        choices=QUALIFICATION_STATES, label=_("qualifications"), method="by_qualifications"
    )
    rated = YesNoFilter(field_name="rated", label=_("rated"), method="by_rated")

    class Meta:
        model = Supplier
        fields = ["is_active"]

    def by_qualifications(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Needs the ``expiring_count`` and ``expired_count`` annotations of the list."""
        if value == "expiring":
            return queryset.filter(expiring_count__gt=0)
        if value == "expired":
            return queryset.filter(expired_count__gt=0)
        if value == "valid":
            return queryset.filter(expiring_count=0)
        return queryset

    def by_rated(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value in ("1", "0"):
            return queryset.filter(rating__isnull=value == "0")
        return queryset
