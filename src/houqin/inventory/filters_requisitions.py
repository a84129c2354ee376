"""Filters of the requisition lists and the quota list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.org.models import Department, Term

from .choices import RequisitionStatus
from .models import DepartmentQuota, Requisition

STATUS_CHOICES = [("open", _("Waiting to be issued")), *RequisitionStatus.choices]


class RequisitionFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, label=_("status"), method="filter_status"
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department")
    )
    needs_approval = YesNoFilter(label=_("needs approval"))
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("from")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("to")
    )

    class Meta:
        model = Requisition
        fields = ["status", "department", "needs_approval", "created_after", "created_before"]

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "open":
            return queryset.filter(status__in=Requisition.OPEN)
        return queryset.filter(status=value) if value else queryset


class QuotaFilter(ScopedFilterSet):
    term = django_filters.ModelChoiceFilter(queryset=Term.objects.all(), label=_("term"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department")
    )

    class Meta:
        model = DepartmentQuota
        fields = ["term", "department"]
