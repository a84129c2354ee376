"""Configuration changes that are more than one form's save: a range of calendar days."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from houqin.core.audit import acting_as

from ..models import WorkCalendarDay
from .sla import settings_for


class ConfigError(Exception):
    """A refused configuration change; the message is meant for the user."""


@transaction.atomic
def calendar_days_mark(
    *,
    actor: Any,
    school_id: int,
    start: datetime.date,
    end: datetime.date,
    is_working: bool = False,
    name: str = "",
    skip_weekends: bool = True,
) -> int:
    """Mark every day from ``start`` to ``end`` as a holiday (or a working day), replacing
    what the calendar said about those days. With ``skip_weekends`` a holiday range leaves
    out the days that are off anyway (by the school's working weekdays), and a working range
    leaves out the days that are worked anyway. Returns the number of days written."""
    if end < start:
        raise ConfigError("end before start")
    weekdays = {int(c) for c in settings_for(school_id).work_weekdays}
    days: list[datetime.date] = []
    day = start
    while day <= end:
        usual = day.isoweekday() in weekdays
        if not skip_weekends or usual != is_working:
            days.append(day)
        day += datetime.timedelta(days=1)
    existing = {
        row.date: row
        for row in WorkCalendarDay.objects.select_for_update().filter(
            school_id=school_id, date__in=days
        )
    }
    with acting_as(actor):
        for day in days:
            row = existing.get(day) or WorkCalendarDay(school_id=school_id, date=day)
            if row.pk and row.is_working == is_working and row.name == name.strip():
                continue
            row.is_working = is_working
            row.name = name.strip()
            try:
                row.full_clean(validate_unique=False)
            except ValidationError as exc:
                raise ConfigError(" ".join(exc.messages)) from exc
            row.save()
    return len(days)
