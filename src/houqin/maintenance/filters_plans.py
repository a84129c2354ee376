"""Filters of the preventive plan and holiday campaign lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet, YesNoFilter

from .choices import CampaignStatus, Recurrence
from .models import Campaign, MaintenancePlan


class PlanFilter(ScopedFilterSet):
    recurrence = django_filters.ChoiceFilter(choices=Recurrence.choices, label=_("recurrence"))
    is_active = YesNoFilter(field_name="is_active", label=_("active"))

    class Meta:
        model = MaintenancePlan
        fields = ["recurrence", "is_active"]


class CampaignFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices, label=_("status"))

    class Meta:
        model = Campaign
        fields = ["status"]
