from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet

from . import events
from .models import Delivery


class DeliveryFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=Delivery.Status.choices, label=_("status"))
    channel = django_filters.ChoiceFilter(choices=Delivery.Channel.choices, label=_("channel"))
    event = django_filters.ChoiceFilter(choices=events.choices, label=_("event"))

    class Meta:
        model = Delivery
        fields = ["status", "channel", "event", "endpoint"]
