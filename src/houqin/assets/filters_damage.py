"""Filters of the damage report list."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.org.models import Building

from .choices import DamageStatus, ResponsibleKind
from .models import CompensationPriceItem, DamageReport


class DamageReportFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=DamageStatus.choices, label=_("status"))
    responsible_kind = django_filters.ChoiceFilter(
        choices=ResponsibleKind.choices, label=_("responsible party")
    )
    building = django_filters.ModelChoiceFilter(
        field_name="room__building", queryset=Building.objects.all(), label=_("building")
    )
    student_class = django_filters.CharFilter(label=_("class"), lookup_expr="icontains")
    month = django_filters.CharFilter(
        label=_("month"),
        method="filter_month",
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    class Meta:
        model = DamageReport
        fields = ["status", "responsible_kind", "building", "student_class", "month"]

    def filter_month(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        try:
            year, month = (int(part) for part in value.split("-", 1))
        except ValueError:
            return queryset
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            return queryset
        start = timezone.make_aware(datetime.datetime(year, month, 1))
        end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
        return queryset.filter(occurred_at__gte=start, occurred_at__lt=end)


class PriceItemFilter(ScopedFilterSet):
    is_active = YesNoFilter(field_name="is_active", label=_("in use"))

    class Meta:
        model = CompensationPriceItem
        fields = ["is_active"]
