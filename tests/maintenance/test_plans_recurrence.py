"""When a preventive plan falls due: every recurrence, table-driven."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from houqin.maintenance.models import MaintenancePlan
from houqin.maintenance.services.plans import add_months, next_due_date, plan_due_dates
from tests import factories as f

D = datetime.date


def plan(recurrence: str, start: D, interval: int = 1, end: D | None = None, **kw: Any) -> Any:
    return MaintenancePlan(
        recurrence=recurrence, start_date=start, interval=interval, end_date=end, **kw
    )


CASES = [
    # (recurrence, first, interval, last, window start, window end, expected)
    (
        "daily",
        D(2026, 3, 1),
        1,
        None,
        D(2026, 3, 1),
        D(2026, 3, 4),
        ["03-01", "03-02", "03-03", "03-04"],
    ),
    ("daily", D(2026, 3, 1), 3, None, D(2026, 3, 2), D(2026, 3, 10), ["03-04", "03-07", "03-10"]),
    ("weekly", D(2026, 3, 2), 1, None, D(2026, 3, 1), D(2026, 3, 20), ["03-02", "03-09", "03-16"]),
    ("weekly", D(2026, 3, 2), 2, None, D(2026, 3, 3), D(2026, 4, 1), ["03-16", "03-30"]),
    (
        "monthly",
        D(2026, 1, 31),
        1,
        None,
        D(2026, 1, 1),
        D(2026, 5, 31),
        ["01-31", "02-28", "03-31", "04-30", "05-31"],
    ),
    (
        "monthly",
        D(2026, 1, 15),
        3,
        None,
        D(2026, 1, 1),
        D(2026, 12, 31),
        ["01-15", "04-15", "07-15", "10-15"],
    ),
    (
        "monthly",
        D(2026, 1, 10),
        1,
        D(2026, 3, 10),
        D(2026, 1, 1),
        D(2026, 12, 31),
        ["01-10", "02-10", "03-10"],
    ),
    (
        "monthly",
        D(2026, 1, 10),
        1,
        D(2026, 3, 9),
        D(2026, 1, 1),
        D(2026, 12, 31),
        ["01-10", "02-10"],
    ),
    ("yearly", D(2026, 6, 1), 1, None, D(2026, 1, 1), D(2028, 12, 31), ["06-01", "06-01", "06-01"]),
    ("daily", D(2026, 3, 10), 1, None, D(2026, 3, 1), D(2026, 3, 9), []),
]


@pytest.mark.parametrize(
    ("recurrence", "first", "interval", "last", "low", "high", "expected"), CASES
)
def test_it_lists_due_dates(
    recurrence: str, first: D, interval: int, last: D | None, low: D, high: D, expected: list[str]
) -> None:
    found = plan_due_dates(plan(recurrence, first, interval, last), low, high)
    assert [d.strftime("%m-%d") for d in found] == expected


def test_it_clamps_month_ends_and_keeps_the_day() -> None:
    assert add_months(D(2026, 1, 31), 1, keep_day=31) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1, keep_day=31) == D(2028, 2, 29)
    found = plan_due_dates(plan("monthly", D(2028, 1, 31)), D(2028, 2, 1), D(2028, 3, 31))
    assert found == [D(2028, 2, 29), D(2028, 3, 31)]


def test_it_moves_29_february_to_28_in_common_years() -> None:
    found = plan_due_dates(plan("yearly", D(2028, 2, 29)), D(2028, 1, 1), D(2032, 12, 31))
    assert found == [D(2028, 2, 29), D(2029, 2, 28), D(2030, 2, 28), D(2031, 2, 28), D(2032, 2, 29)]


def test_it_skips_years_by_interval() -> None:
    found = plan_due_dates(plan("yearly", D(2026, 5, 1), 2), D(2026, 1, 1), D(2031, 1, 1))
    assert found == [D(2026, 5, 1), D(2028, 5, 1), D(2030, 5, 1)]


def test_it_uses_listed_dates_within_the_window() -> None:
    p = plan("dates", D(2026, 1, 1), dates=["2026-07-10", "2026-01-20", "2027-01-05", "2026-07-10"])
    assert plan_due_dates(p, D(2026, 1, 1), D(2026, 12, 31)) == [D(2026, 1, 20), D(2026, 7, 10)]
    p.end_date = D(2026, 6, 30)
    assert plan_due_dates(p, D(2026, 1, 1), D(2027, 12, 31)) == [D(2026, 1, 20)]


def test_it_answers_nothing_for_bad_listed_dates() -> None:
    assert (
        plan_due_dates(plan("dates", D(2026, 1, 1), dates=["soon"]), D(2026, 1, 1), D(2027, 1, 1))
        == []
    )


def test_it_finds_the_next_due_date() -> None:
    assert next_due_date(plan("monthly", D(2026, 1, 31)), D(2026, 2, 1)) == D(2026, 2, 28)
    assert next_due_date(plan("daily", D(2026, 1, 1), 7), D(2026, 1, 2)) == D(2026, 1, 8)
    assert next_due_date(plan("monthly", D(2026, 1, 1), end=D(2026, 1, 1)), D(2026, 2, 1)) is None


@pytest.mark.django_db
def test_it_falls_due_each_term_at_the_same_offset(school: Any) -> None:
    year = f.SchoolYearFactory(
        school=school, name="2026-2027", start=D(2026, 9, 1), end=D(2027, 8, 31)
    )
    f.TermFactory(school_year=year, kind="autumn", start=D(2026, 9, 1), end=D(2027, 1, 20))
    f.TermFactory(school_year=year, kind="spring", start=D(2027, 2, 20), end=D(2027, 7, 10))
    year2 = f.SchoolYearFactory(
        school=school, name="2027-2028", start=D(2027, 9, 1), end=D(2028, 8, 31)
    )
    f.TermFactory(school_year=year2, kind="autumn", start=D(2027, 9, 1), end=D(2028, 1, 20))
    window = (D(2026, 1, 1), D(2028, 12, 31))
    # Two weeks into the autumn term: two weeks into every term.
    p = plan("term", D(2026, 9, 15), school=school)
    assert plan_due_dates(p, *window) == [D(2026, 9, 15), D(2027, 3, 6), D(2027, 9, 15)]
    # Every other term.
    p.interval = 2
    assert plan_due_dates(p, *window) == [D(2026, 9, 15), D(2027, 9, 15)]
    # Starting in the holidays: the first day of each later term.
    p = plan("term", D(2027, 1, 25), school=school)
    assert plan_due_dates(p, *window) == [D(2027, 2, 20), D(2027, 9, 1)]
