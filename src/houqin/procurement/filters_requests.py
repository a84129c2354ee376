"""Filters of the purchase request list and of the 待建卡 list."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet
from houqin.finance.models import ExpenseCategory
from houqin.org.models import Department

from .choices import IntakeStatus, RequestStatus
from .models import AssetIntake, PurchaseRequest

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class PurchaseRequestFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("status"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department")
    )
    category = django_filters.ChoiceFilter(choices=ExpenseCategory.choices, label=_("category"))
    since = django_filters.DateFilter(label=_("created from"), method="filter_since", **DATE)
    until = django_filters.DateFilter(label=_("created to"), method="filter_until", **DATE)
    needed_before = django_filters.DateFilter(
        field_name="needed_by", lookup_expr="lte", label=_("needed by at the latest"), **DATE
    )

    class Meta:
        model = PurchaseRequest
        fields = ["status", "department", "category", "since", "until", "needed_before"]

    def filter_since(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(created_at__gte=_day_start(value)) if value else queryset

    def filter_until(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))


class AssetIntakeFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=IntakeStatus.choices, label=_("status"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department")
    )

    class Meta:
        model = AssetIntake
        fields = ["status", "department"]
