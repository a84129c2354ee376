"""Filters of the budget pages: school year (the current one by default), department,
category, how much of the budget is used; adjustments by status."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet
from houqin.core.views.mixins import narrow
from houqin.org.models import SchoolYear

from .models import BudgetAdjustment, BudgetAdjustmentStatus, BudgetLine, ExpenseCategory

CURRENT = "current"
USAGE = [
    ("over90", _("More than nine tenths used")),
    ("overspent", _("Over budget")),
    ("unused", _("Nothing used yet")),
]


def current_year_filter(today: datetime.date | None = None) -> Q:
    day = today or timezone.localdate()
    return Q(school_year__start__lte=day, school_year__end__gte=day)


def with_usage(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    """Lines more than 90 % used, over budget, or not used at all (exact, in SQL)."""
    used = F("committed") + F("spent")
    if value == "over90":
        over90: QuerySet[Any] = queryset.alias(hq_excess=used * 10 - F("amount") * 9)
        return over90.filter(hq_excess__gt=0)
    if value == "overspent":
        over: QuerySet[Any] = queryset.alias(hq_over=used - F("amount"))
        return over.filter(hq_over__gt=0)
    if value == "unused":
        return queryset.filter(committed=0, spent=0)
    return queryset


class BudgetLineFilter(ScopedFilterSet):
    year = django_filters.ChoiceFilter(label=_("school year"), method="filter_year")
    category = django_filters.ChoiceFilter(choices=ExpenseCategory.choices, label=_("category"))
    usage = django_filters.ChoiceFilter(choices=USAGE, label=_("usage"), method="filter_usage")

    class Meta:
        model = BudgetLine
        fields = ["year", "department", "category", "usage"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        years = narrow(SchoolYear.objects.all(), user, "finance.view_budgetline").order_by(
            "-start", "school_id"
        )
        choices: list[tuple[str, Any]] = [(CURRENT, _("Current school year"))]
        seen: set[str] = set()
        for year in years[:40]:
            if year.name not in seen:
                seen.add(year.name)
                choices.append((year.name, year.name))
        field = self.form.fields["year"]
        field.choices = [("", _("All")), *choices]  # type: ignore[attr-defined]
        self.form.fields["department"].label_from_instance = str  # type: ignore[attr-defined]

    def filter_year(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == CURRENT:
            return queryset.filter(current_year_filter())
        if value:
            return queryset.filter(school_year__name=value)
        return queryset

    def filter_usage(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return with_usage(queryset, value)


class AdjustmentFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=BudgetAdjustmentStatus.choices, label=_("status"))
    category = django_filters.ChoiceFilter(
        field_name="line__category", choices=ExpenseCategory.choices, label=_("category")
    )

    class Meta:
        model = BudgetAdjustment
        fields = ["status", "category"]
