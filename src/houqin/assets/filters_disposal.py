"""Filters of the disposal list: status, method and year."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet

from .choices import DisposalMethod, RequestStatus
from .models import AssetDisposal


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, this_year - 11, -1)]


class DisposalFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("status"))
    method = django_filters.ChoiceFilter(choices=DisposalMethod.choices, label=_("disposal method"))
    year = django_filters.TypedChoiceFilter(
        choices=year_choices, coerce=int, label=_("year"), method="filter_year"
    )

    class Meta:
        model = AssetDisposal
        fields = ["status", "method"]

    def filter_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """The year the request was made (created), in the school's time zone."""
        if not value:
            return queryset
        return queryset.filter(created_at__year=int(value))
