"""Filters of the asset register (web list and API)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.accounts.models import User
from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.org.models import Building, Department, Room

from .choices import AssetStatus
from .models import Asset, AssetCategory
from .selectors import category_subtree

SHOW_ALL = "all"


class AssetFilter(ScopedFilterSet):
    category = django_filters.ModelChoiceFilter(
        queryset=AssetCategory.objects.all(), label=_("category"), method="in_category"
    )
    building = django_filters.ModelChoiceFilter(
        queryset=Building.objects.order_by("name"), field_name="room__building", label=_("building")
    )
    room = django_filters.ModelChoiceFilter(
        queryset=Room.objects.select_related("building").order_by(
            "building__name", "floor", "number"
        ),
        label=_("room"),
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("sort_order", "name"), label=_("using department")
    )
    custodian = django_filters.ModelChoiceFilter(
        queryset=User.objects.order_by("real_name"), label=_("custodian")
    )
    status = django_filters.ChoiceFilter(choices=AssetStatus.choices, label=_("status"))
    value_min = django_filters.NumberFilter(
        field_name="original_value", lookup_expr="gte", label=_("value from (yuan)")
    )
    value_max = django_filters.NumberFilter(
        field_name="original_value", lookup_expr="lte", label=_("value to (yuan)")
    )
    year = django_filters.NumberFilter(label=_("purchase year"), method="purchased_in")
    low_value = YesNoFilter(field_name="is_low_value", label=_("low-value item"))
    show = django_filters.ChoiceFilter(
        choices=[(SHOW_ALL, _("All cards, also disposed of or lost"))],
        empty_label=_("Cards on the register"),
        label=_("cards"),
        method="show_cards",
    )

    class Meta:
        model = Asset
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Categories are shared by every school: not narrowed.
        category = self.form.fields["category"]
        category.queryset = AssetCategory.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "sort_order", "code", "name"
        )
        self.form.fields["year"].widget.attrs.update({"min": 1950, "max": 2100})
        for name in ("value_min", "value_max"):
            self.form.fields[name].widget.attrs.update({"min": 0, "step": "0.01"})

    def narrow_to_school(self, school_id: int | None) -> None:
        """Offer only the buildings, rooms, departments and people of the chosen school."""
        if school_id is None:
            return
        for name in ("building", "room", "department"):
            field = self.form.fields[name]
            field.queryset = field.queryset.filter(school_id=school_id)  # type: ignore[attr-defined]
        custodian = self.form.fields["custodian"]
        custodian.queryset = custodian.queryset.filter(  # type: ignore[attr-defined]
            memberships__school_id=school_id, memberships__is_active=True
        ).distinct()

    def in_category(self, queryset: QuerySet[Asset], name: str, value: Any) -> QuerySet[Asset]:
        if not value:
            return queryset
        if not isinstance(value, AssetCategory):  # "null": every card has a category
            return queryset.none()
        return queryset.filter(category_id__in=category_subtree(value))

    def purchased_in(self, queryset: QuerySet[Asset], name: str, value: Any) -> QuerySet[Asset]:
        if value in (None, ""):
            return queryset
        year = int(value)
        if not 1 <= year <= 9998:
            return queryset.none()
        return queryset.filter(
            purchase_date__gte=datetime.date(year, 1, 1),
            purchase_date__lt=datetime.date(year + 1, 1, 1),
        )

    def show_cards(self, queryset: QuerySet[Asset], name: str, value: Any) -> QuerySet[Asset]:
        return queryset  # applied by ``only_active`` so that it holds unfiltered too


def only_active(queryset: QuerySet[Asset], params: Any) -> QuerySet[Asset]:
    """The register shows the cards still on it unless a status or ``show=all`` is asked."""
    if params.get("status") in AssetStatus.values or params.get("show") == SHOW_ALL:
        return queryset
    return queryset.active()  # type: ignore[attr-defined, no-any-return]
