"""Filters of the purchase order and acceptance lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet

from .choices import AcceptanceResult, AcceptanceStatus, OrderStatus
from .models import Acceptance, PurchaseOrder, Supplier

DATE = forms.DateInput(attrs={"type": "date"})


class PurchaseOrderFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=_("status"))
    supplier = django_filters.ModelChoiceFilter(
        queryset=Supplier.objects.all(), label=_("supplier")
    )
    purchaser = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.all(), label=_("purchaser")
    )
    created_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("created from"), widget=DATE
    )
    created_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("created until"), widget=DATE
    )

    class Meta:
        model = PurchaseOrder
        fields = ["status", "supplier", "purchaser", "created_from", "created_to"]


class AcceptanceFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=AcceptanceStatus.choices, label=_("status"))
    result = django_filters.ChoiceFilter(choices=AcceptanceResult.choices, label=_("result"))
    supplier = django_filters.ModelChoiceFilter(
        field_name="order__supplier", queryset=Supplier.objects.all(), label=_("supplier")
    )
    delivered_from = django_filters.DateFilter(
        field_name="delivered_on", lookup_expr="gte", label=_("delivered from"), widget=DATE
    )
    delivered_to = django_filters.DateFilter(
        field_name="delivered_on", lookup_expr="lte", label=_("delivered until"), widget=DATE
    )

    class Meta:
        model = Acceptance
        fields = ["status", "result", "supplier", "delivered_from", "delivered_to"]
