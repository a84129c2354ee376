"""SLA arithmetic: targets across nights, weekends, holidays and 调休 working weekends."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from houqin.maintenance.choices import Urgency
from houqin.maintenance.models import WorkCalendarDay
from houqin.maintenance.services.sla import (
    WorkCalendar,
    add_time,
    calendar_for,
    due_dates,
    settings_for,
    time_between,
)

SH = ZoneInfo("Asia/Shanghai")
H = 3600
# 2026-11-23 is a Monday.
MON, TUE, WED, FRI, SAT, SUN = (datetime.date(2026, 11, d) for d in (23, 24, 25, 27, 28, 29))
NEXT_MON = datetime.date(2026, 11, 30)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SH)


OFFICE = WorkCalendar()  # Monday to Friday, 8:00–17:30


def test_the_site_clock_is_shanghai_without_daylight_saving() -> None:
    assert settings.TIME_ZONE == "Asia/Shanghai"
    # The days the clocks change in Europe and America are 24-hour days in Shanghai.
    for day in (datetime.date(2026, 3, 8), datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)):
        start = at(day, 0)
        assert add_time(None, start, 24 * H) == at(day + datetime.timedelta(days=1), 0)
        assert start.utcoffset() == datetime.timedelta(hours=8)


@pytest.mark.parametrize(
    ("start", "seconds", "expected"),
    [
        (at(MON, 9), 2 * H, at(MON, 11)),  # inside one day
        (at(MON, 16, 30), 2 * H, at(TUE, 9)),  # across the night
        (at(FRI, 17), H, at(NEXT_MON, 8, 30)),  # across the weekend
        (at(MON, 6), 30 * 60, at(MON, 8, 30)),  # reported before the day starts
        (at(MON, 20), 30 * 60, at(TUE, 8, 30)),  # reported after the day ends
        (at(SAT, 11), H, at(NEXT_MON, 9)),  # reported on a weekend
        (at(MON, 8), int(9.5 * H), at(MON, 17, 30)),  # exactly one working day
        (at(MON, 8), int(9.5 * H) + 1, at(TUE, 8, 0) + datetime.timedelta(seconds=1)),
        (at(MON, 17, 30), 60, at(TUE, 8, 1)),  # at closing time
        (at(WED, 10), 0, at(WED, 10)),
        (at(MON, 10), 48 * H, at(MON, 10) + datetime.timedelta(days=7, minutes=30)),
    ],
)
def test_it_adds_working_time(
    start: datetime.datetime, seconds: int, expected: datetime.datetime
) -> None:
    assert OFFICE.add(start, seconds) == expected
    assert OFFICE.between(start, expected) == seconds


def test_a_holiday_is_skipped_and_a_working_saturday_counts() -> None:
    holiday = WorkCalendar(exceptions={TUE: False})
    assert holiday.add(at(MON, 17), H) == at(WED, 8, 30)
    assert holiday.between(at(MON, 17), at(WED, 8, 30)) == H
    swapped = WorkCalendar(exceptions={SAT: True})  # 调休: Saturday is worked
    assert swapped.add(at(FRI, 17), H) == at(SAT, 8, 30)
    assert swapped.between(at(FRI, 17), at(SAT, 8, 30)) == H
    assert not swapped.is_working_day(SUN) and swapped.is_working_day(SAT)


def test_between_is_zero_backwards_and_outside_hours() -> None:
    assert OFFICE.between(at(TUE, 10), at(MON, 10)) == 0
    assert OFFICE.between(at(MON, 18), at(TUE, 7)) == 0
    assert OFFICE.between(at(SAT, 0), at(SUN, 23)) == 0
    assert OFFICE.between(at(FRI, 17), at(NEXT_MON, 9)) == int(1.5 * H)


def test_it_reads_moments_in_any_time_zone() -> None:
    utc = at(MON, 16, 30).astimezone(datetime.UTC)
    assert OFFICE.add(utc, 2 * H) == at(TUE, 9)
    assert OFFICE.between(utc, at(TUE, 9).astimezone(datetime.UTC)) == 2 * H


@pytest.mark.django_db
def test_due_dates_follow_the_schools_calendar(school: Any) -> None:
    config = settings_for(school.pk)
    config.use_working_hours = True
    config.save()
    reported = at(FRI, 16)
    # Normal: respond within 4 h (1.5 h on Friday, 2.5 h on Monday), repair within 48 h.
    respond, resolve = due_dates(config, Urgency.NORMAL, reported)
    assert respond == at(NEXT_MON, 10, 30)
    assert OFFICE.between(reported, resolve) == 48 * H
    # Monday is a holiday and the Sunday before it a working day (调休).
    WorkCalendarDay.objects.create(school=school, date=NEXT_MON, is_working=False, name="节")
    WorkCalendarDay.objects.create(school=school, date=SUN, is_working=True, name="调休")
    respond, _resolve = due_dates(config, Urgency.NORMAL, reported)
    assert respond == at(SUN, 10, 30)


@pytest.mark.django_db
def test_urgent_requests_count_around_the_clock(school: Any) -> None:
    config = settings_for(school.pk)
    config.use_working_hours = True
    config.save()
    assert calendar_for(config, Urgency.URGENT) is None
    respond, resolve = due_dates(config, Urgency.URGENT, at(FRI, 22))
    assert respond == at(FRI, 22, 30) and resolve == at(SAT, 2)


@pytest.mark.django_db
def test_without_working_hours_the_clock_never_stops(school: Any) -> None:
    config = settings_for(school.pk)
    assert not config.use_working_hours
    respond, resolve = due_dates(config, Urgency.NORMAL, at(FRI, 16))
    assert respond == at(FRI, 20) and resolve == at(SUN, 16)
    assert time_between(None, at(FRI, 16), at(SAT, 16)) == 24 * H
    assert time_between(None, at(SAT, 16), at(FRI, 16)) == 0


@pytest.mark.django_db
def test_the_settings_targets_and_calendar(school: Any) -> None:
    config = settings_for(school.pk)
    assert config.targets(Urgency.URGENT) == (30, 240)
    assert config.targets(Urgency.NORMAL) == (240, 2880)
    assert settings_for(school.pk).pk == config.pk  # made once
    config.use_working_hours = True
    config.work_start, config.work_end = datetime.time(7, 30), datetime.time(12, 0)
    config.work_weekdays = "123456"
    calendar = calendar_for(config, Urgency.PLANNED)
    assert calendar is not None and calendar.is_working_day(SAT)
    assert calendar.add(at(MON, 11), 2 * H) == at(TUE, 8, 30)


# Property: adding working time and measuring it back give the same number of seconds. --------

starts = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1),
    max_value=datetime.datetime(2027, 12, 31),
    timezones=st.just(SH),
)
hours = st.tuples(st.integers(0, 11), st.sampled_from([0, 15, 30, 45])).map(
    lambda hm: datetime.time(*hm)
)
ends = st.tuples(st.integers(12, 23), st.sampled_from([0, 30, 59])).map(
    lambda hm: datetime.time(*hm)
)
calendars = st.builds(
    WorkCalendar,
    start=hours,
    end=ends,
    weekdays=st.frozensets(st.integers(1, 7), min_size=1),
    exceptions=st.dictionaries(
        st.dates(datetime.date(2025, 1, 1), datetime.date(2028, 3, 31)), st.booleans(), max_size=30
    ),
)


def within_a_year(calendar: WorkCalendar) -> int:
    """Working seconds the calendar offers within about a year (keeps examples quick)."""
    day = datetime.datetime.combine(MON, calendar.end) - datetime.datetime.combine(
        MON, calendar.start
    )
    return int(day.total_seconds()) * max(len(calendar.weekdays) * 52 - 30, 0)


@given(calendar=calendars, start=starts, seconds=st.integers(0, 60 * 24 * H // 10))
@hsettings(max_examples=300, deadline=None)
def test_between_measures_back_what_add_added(
    calendar: WorkCalendar, start: datetime.datetime, seconds: int
) -> None:
    assume(seconds <= within_a_year(calendar))
    end = calendar.add(start, seconds)
    assert end >= start
    assert calendar.between(start, end) == seconds


@given(calendar=calendars, start=starts, seconds=st.integers(1, 30 * 24 * H // 10))
@hsettings(max_examples=200, deadline=None)
def test_the_due_moment_lies_in_working_time(
    calendar: WorkCalendar, start: datetime.datetime, seconds: int
) -> None:
    assume(seconds <= within_a_year(calendar))
    end = calendar.add(start, seconds)
    local = end.astimezone(SH)
    assert calendar.is_working_day(local.date())
    assert calendar.start < local.time() <= calendar.end


def test_a_long_target_on_a_sparse_calendar_still_counts_working_time() -> None:
    sparse = WorkCalendar(
        start=datetime.time(8), end=datetime.time(9), weekdays=frozenset({1})
    )  # one hour on Mondays
    start = at(MON, 8)
    end = sparse.add(start, 60 * H)  # the 60th Monday
    assert end == at(MON, 9) + datetime.timedelta(weeks=59)
    assert sparse.between(start, end) == 60 * H
