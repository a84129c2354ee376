"""Response and repair targets (SLA) and the working-hours calendar they may count in.

With ``use_working_hours`` off the clock runs day and night. With it on, only the working
hours (``work_start``–``work_end``) of working days count: the weekdays listed in
``work_weekdays``, minus public holidays and plus weekend days made working days (调休),
both kept as ``WorkCalendarDay`` rows. Urgent requests always count around the clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ..choices import Urgency
from ..models import MaintenanceSettings, WorkCalendarDay

#: More than a year of days in a row without one working day means the calendar is
#: misconfigured; the target then falls back to wall-clock time rather than looping for ever.
MAX_DAYS = 400


@dataclass(frozen=True)
class WorkCalendar:
    start: datetime.time = datetime.time(8, 0)
    end: datetime.time = datetime.time(17, 30)
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    exceptions: dict[datetime.date, bool] = field(default_factory=dict)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.isoweekday() in self.weekdays

    def _window(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(day, self.start, tzinfo=tz),
            datetime.datetime.combine(day, self.end, tzinfo=tz),
        )

    def add(self, start: datetime.datetime, seconds: int) -> datetime.datetime:
        """The moment ``seconds`` of working time after ``start``."""
        moment = timezone.localtime(start)
        remaining = datetime.timedelta(seconds=max(seconds, 0))
        day = moment.date()
        idle = 0  # days in a row without working time
        while idle < MAX_DAYS:
            idle += 1
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin = max(moment, opens)
                if begin < closes:
                    idle = 0
                    available = closes - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += datetime.timedelta(days=1)
        return start + datetime.timedelta(seconds=seconds)

    def between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """Working seconds from ``start`` to ``end`` (0 when ``end`` is not later)."""
        if end <= start:
            return 0
        begin, finish = timezone.localtime(start), timezone.localtime(end)
        total = datetime.timedelta()
        day = begin.date()
        for _ in range((finish.date() - day).days + 1):
            if self.is_working_day(day):
                opens, closes = self._window(day)
                low, high = max(begin, opens), min(finish, closes)
                if low < high:
                    total += high - low
            day += datetime.timedelta(days=1)
        return int(total.total_seconds())


ROUND_THE_CLOCK = None


def settings_for(school_id: int) -> MaintenanceSettings:
    """The school's settings row (created with the defaults on first use)."""
    found, _created = MaintenanceSettings.objects.get_or_create(school_id=school_id)
    return found


def calendar_for(
    config: MaintenanceSettings, urgency: str, since: datetime.date | None = None
) -> WorkCalendar | None:
    """The calendar the targets of ``urgency`` count in (holidays from ``since`` on);
    None means round the clock."""
    if not config.use_working_hours or urgency == Urgency.URGENT:
        return ROUND_THE_CLOCK
    since = min(since or timezone.localdate(), timezone.localdate()) - datetime.timedelta(days=7)
    exceptions = dict(
        WorkCalendarDay.objects.filter(school_id=config.school_id, date__gte=since).values_list(
            "date", "is_working"
        )
    )
    return WorkCalendar(
        start=config.work_start,
        end=config.work_end,
        weekdays=frozenset(int(c) for c in config.work_weekdays),
        exceptions=exceptions,
    )


def add_time(
    calendar: WorkCalendar | None, start: datetime.datetime, seconds: int
) -> datetime.datetime:
    if calendar is None:
        return start + datetime.timedelta(seconds=seconds)
    return calendar.add(start, seconds)


def time_between(
    calendar: WorkCalendar | None, start: datetime.datetime, end: datetime.datetime
) -> int:
    if calendar is None:
        return max(int((end - start).total_seconds()), 0)
    return calendar.between(start, end)


def due_dates(
    config: MaintenanceSettings, urgency: str, reported_at: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """(respond by, repair by) for a request of ``urgency`` reported at ``reported_at``."""
    respond, resolve = config.targets(urgency)
    calendar = calendar_for(config, urgency, since=timezone.localdate(reported_at))
    return (
        add_time(calendar, reported_at, respond * 60),
        add_time(calendar, reported_at, resolve * 60),
    )
