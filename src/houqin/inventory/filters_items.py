"""Filters of the item list, the movement list and the stock count list."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.org.models import Department

from .choices import CountStatus, ItemCategory, MovementKind
from .models import StockCount, StockItem, StockMovement
from .services.items import low_condition

DATE = forms.DateInput(attrs={"type": "date"})


class StockItemFilter(ScopedFilterSet):
    category = django_filters.ChoiceFilter(choices=ItemCategory.choices, label=_("category"))
    shelf = django_filters.CharFilter(label=_("shelf"), lookup_expr="istartswith")
    low = YesNoFilter(label=_("low stock"), method="filter_low")
    restricted = YesNoFilter(field_name="is_restricted", label=_("restricted"))
    paper = YesNoFilter(label=_("paper"), method="filter_paper")
    active = YesNoFilter(field_name="is_active", label=_("in use"))

    class Meta:
        model = StockItem
        fields = ["category", "shelf", "low", "restricted", "paper", "active"]

    def filter_low(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "1":
            return queryset.filter(low_condition())
        if value == "0":
            return queryset.exclude(low_condition())
        return queryset

    def filter_paper(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "1":
            return queryset.exclude(paper_size="")
        if value == "0":
            return queryset.filter(paper_size="")
        return queryset


class StockMovementFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=MovementKind.choices, label=_("kind"))
    code = django_filters.CharFilter(label=_("item code"), method="filter_code")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("school_id", "sort_order", "name"),
        label=_("department"),
    )
    person = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.order_by("real_name"), label=_("for")
    )
    date_from = django_filters.DateFilter(label=_("from"), method="filter_from", widget=DATE)
    date_to = django_filters.DateFilter(label=_("to"), method="filter_to", widget=DATE)
    item = django_filters.ModelChoiceFilter(
        queryset=StockItem.objects.all(), widget=forms.HiddenInput
    )
    source_type = django_filters.CharFilter(widget=forms.HiddenInput)

    class Meta:
        model = StockMovement
        fields = ["kind", "code", "department", "person", "date_from", "date_to", "item"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["person"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.real_name or user.get_username()
        )

    def filter_code(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(item__code__iexact=value) | Q(item__name__icontains=value))

    def filter_from(
        self, queryset: QuerySet[Any], name: str, value: datetime.date
    ) -> QuerySet[Any]:
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return queryset.filter(at__gte=start)

    def filter_to(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        end = timezone.make_aware(
            datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time.min)
        )
        return queryset.filter(at__lt=end)


class StockCountFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=CountStatus.choices, label=_("status"))

    class Meta:
        model = StockCount
        fields = ["status"]
