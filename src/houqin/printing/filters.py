"""Filters of the print job lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from houqin.accounts.models import User
from houqin.core.filters import ScopedFilterSet
from houqin.org.models import Department

from .models import PrintJob, PrintStatus, Purpose


class PrintJobFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=PrintStatus.choices, label=_("status"))
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label=_("purpose"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department")
    )
    requester = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("requester"))
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("requested from")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("requested until")
    )

    class Meta:
        model = PrintJob
        fields = ["status", "purpose", "department", "requester", "created_after", "created_before"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("created_after", "created_before"):
            self.form.fields[name].widget.input_type = "date"  # type: ignore[attr-defined]


class MyJobFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=PrintStatus.choices, label=_("status"))
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label=_("purpose"))

    class Meta:
        model = PrintJob
        fields = ["status", "purpose"]
