"""Filters of transfers and loans."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet

from .choices import LoanStatus, RequestStatus
from .models import AssetLoan, AssetTransfer

OPEN, OVERDUE, RETURNED = "open", "overdue", "returned"


class TransferFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("status"))

    class Meta:
        model = AssetTransfer
        fields = ["status"]


class LoanFilter(ScopedFilterSet):
    state = django_filters.ChoiceFilter(
        choices=[(OPEN, _("On loan")), (OVERDUE, _("Overdue")), (RETURNED, _("Returned"))],
        label=_("status"),
        method="in_state",
    )

    class Meta:
        model = AssetLoan
        fields = ["department"]

    def in_state(self, queryset: QuerySet[AssetLoan], name: str, value: Any) -> QuerySet[AssetLoan]:
        if value == OPEN:
            return queryset.filter(status=LoanStatus.OUT)
        if value == OVERDUE:
            return queryset.filter(status=LoanStatus.OUT, due_date__lt=timezone.localdate())
        if value == RETURNED:
            return queryset.filter(status=LoanStatus.RETURNED)
        return queryset
