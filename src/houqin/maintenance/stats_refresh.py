"""Rebuilds the repair statistics (``WorkOrderMonthStat``) from the work orders.

Triggers keep the rows equal to the orders as they change (``houqin.maintenance.stats_sql``),
so a rebuild changes nothing unless rows were written around them: after a bulk load with
the triggers dropped, or a restore of only some tables. The nightly job
(``maintenance.stats_refresh``) rebuilds every school, one transaction each, as a check.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import WorkOrderMonthStat
from .stats_sql import refill


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def refresh_school(school_id: int) -> int:
    """Rebuild the rows of one school; returns the rows written."""
    refill(school_id)
    return WorkOrderMonthStat.objects.filter(school_id=school_id).count()


def refresh_all() -> int:
    """Rebuild the rows of every school; returns the rows written."""
    from houqin.org.models import School

    written = 0
    for school_id in School.objects.order_by("pk").values_list("pk", flat=True):
        written += refresh_school(school_id)
    return written
