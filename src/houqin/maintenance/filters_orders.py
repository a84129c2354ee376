"""Filters of the work order list."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.org.models import Building, Room

from .choices import OrderSource, OrderStatus, Urgency
from .models import Campaign, MaintenancePlan, MaintenanceTeam, RepairCategory, WorkOrder
from .selectors import filter_open_group, overdue_now
from .widgets import use_quick_selects

STATUS_CHOICES = [
    ("open", _("Open (all not finished)")),
    ("done", _("Repaired (all)")),
    *OrderStatus.choices,
]
DATE = forms.DateInput(attrs={"type": "date"})


class WorkOrderFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, label=_("status"), method="filter_status"
    )
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("urgency"))
    category = django_filters.ModelChoiceFilter(
        queryset=RepairCategory.objects.all(), label=_("category")
    )
    building = django_filters.ModelChoiceFilter(
        queryset=Building.objects.all(), label=_("building")
    )
    room = django_filters.ModelChoiceFilter(
        queryset=Room.objects.select_related("building"), label=_("room")
    )
    assignee = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.all(), label=_("worker")
    )
    team = django_filters.ModelChoiceFilter(queryset=MaintenanceTeam.objects.all(), label=_("team"))
    source = django_filters.ChoiceFilter(choices=OrderSource.choices, label=_("source"))
    overdue = YesNoFilter(label=_("overdue now"), method="filter_overdue")
    escalated = YesNoFilter(label=_("escalated"), method="filter_escalated")
    repeat = YesNoFilter(label=_("repeat fault"), method="filter_repeat")
    reported_from = django_filters.DateFilter(
        label=_("reported from"), method="filter_from", widget=DATE
    )
    reported_to = django_filters.DateFilter(label=_("reported to"), method="filter_to", widget=DATE)
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.all(), label=_("campaign")
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=MaintenancePlan.objects.all(), label=_("preventive plan")
    )
    asset = django_filters.NumberFilter(field_name="asset_id", widget=forms.HiddenInput)

    class Meta:
        model = WorkOrder
        fields = [
            "status",
            "urgency",
            "category",
            "building",
            "room",
            "assignee",
            "team",
            "source",
            "overdue",
            "escalated",
            "repeat",
            "reported_from",
            "reported_to",
            "campaign",
            "plan",
            "asset",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Repair categories are shared by every school: offer the ones in use.
        self.form.fields["category"].queryset = RepairCategory.objects.filter(is_active=True)
        # Workers: people of the visible schools who carry out work orders.
        user = getattr(self.request, "user", None)
        field = self.form.fields["assignee"]
        field.queryset = _workers_visible_to(user)
        room = self.form.fields["room"]
        room.queryset = _rooms_offered(room.queryset, self.data or {})
        use_quick_selects(self.form)

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return filter_open_group(queryset, value) if value else queryset

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "1":
            return overdue_now(queryset)
        if value == "0":
            return queryset.exclude(pk__in=overdue_now(queryset).values("pk"))
        return queryset

    def filter_escalated(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "1":
            return queryset.filter(escalation_level__gt=0)
        if value == "0":
            return queryset.filter(escalation_level=0)
        return queryset

    def filter_repeat(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value in ("1", "0"):
            return queryset.filter(repeat_of__isnull=value == "0")
        return queryset

    def filter_from(
        self, queryset: QuerySet[Any], name: str, value: datetime.date
    ) -> QuerySet[Any]:
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return queryset.filter(reported_at__gte=start)

    def filter_to(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        end = timezone.make_aware(
            datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time.min)
        )
        return queryset.filter(reported_at__lt=end)


def _number(data: Any, key: str) -> int | None:
    value = data.get(key)
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _rooms_offered(rooms: QuerySet[Any], data: Any) -> QuerySet[Any]:
    """The rooms of the chosen building (a district holds tens of thousands of rooms), or
    only the chosen room when no building is."""
    building, room = _number(data, "building"), _number(data, "room")
    if building is not None:
        return rooms.filter(building_id=building)
    return rooms.filter(pk=room) if room is not None else rooms.none()


def _workers_visible_to(user: Any) -> QuerySet[Any]:
    from houqin.accounts.models import Membership
    from houqin.core.scoping import school_ids

    schools = school_ids(user, "maintenance.view_workorder") if user is not None else []
    members = Membership.objects.filter(
        school_id__in=schools,
        is_active=True,
        role__permissions__content_type__app_label="maintenance",
        role__permissions__codename="work_workorder",
    ).values("user_id")
    users: QuerySet[Any] = get_user_model().objects.filter(pk__in=members)
    ordered: QuerySet[Any] = users.order_by("real_name", "username")
    return ordered
