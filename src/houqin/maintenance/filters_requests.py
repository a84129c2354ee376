"""Filters of the repair request list: status (with the triage queue), category, building,
channel and date."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet
from houqin.org.models import Building

from .choices import Channel, RequestStatus
from .models import RepairCategory, RepairRequest


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class RepairRequestFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("status"))
    category = django_filters.ModelChoiceFilter(
        queryset=RepairCategory.objects.all(), label=_("category")
    )
    building = django_filters.ModelChoiceFilter(
        field_name="room__building", queryset=Building.objects.all(), label=_("building")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("channel"))
    since = django_filters.DateFilter(
        label=_("from"),
        method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("to"),
        method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = RepairRequest
        fields = ["status", "category", "building", "channel", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Repair categories are shared by every school: nothing to narrow.
        field = self.form.fields["category"]
        field.queryset = RepairCategory.objects.order_by("sort_order", "code")  # type: ignore[attr-defined]

    def filter_since(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(created_at__gte=_day_start(value)) if value else queryset

    def filter_until(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))
