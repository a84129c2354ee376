"""Maintenance statistics against figures computed by hand on a small set of orders."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from houqin.maintenance import selectors_stats as stats
from houqin.maintenance.choices import OrderStatus
from houqin.maintenance.selectors_stats import StatsScope
from tests import factories as f
from tests.maintenance.objects_reports import at, stats_order

pytestmark = pytest.mark.django_db
S = OrderStatus
MARCH, APRIL_END = datetime.date(2026, 3, 1), datetime.date(2026, 4, 30)


@pytest.fixture
def data(school: Any, other_school: Any) -> dict[str, Any]:
    """Six requests in March–April 2026 (plus one cancelled, one before, one older still
    open, and one in another school). The expected figures are worked out in the tests."""
    b1 = f.BuildingFactory(campus__school=school, name="教学楼")
    b2 = f.BuildingFactory(campus=b1.campus, name="宿舍楼")
    r1 = f.RoomFactory(building=b1, number="101")
    r2 = f.RoomFactory(building=b2, number="302")
    w1 = f.member(school, "worker", real_name="李师傅")
    w2 = f.member(school, "worker", real_name="王师傅")
    asset = _asset(school, r1)
    o1 = stats_order(
        school, reported=at("2026-03-01", 0, 10), room=r1, assignee=w1, response_minutes=10,
        resolution_minutes=60, responded_on_time=True, resolved_on_time=True, rating=5,
        cost="100",
    )  # fmt: skip
    stats_order(
        school, reported=at("2026-03-05"), room=r1, asset=asset, assignee=w1,
        response_minutes=20, resolution_minutes=120, responded_on_time=True,
        resolved_on_time=True, rating=4, cost="50", repeat_of=o1,
    )  # fmt: skip
    o3 = stats_order(
        school, reported=at("2026-03-20"), code="water", status=S.COMPLETED, room=r2,
        assignee=w2, response_minutes=30, resolution_minutes=300, responded_on_time=True,
        resolved_on_time=False, cost="200",
    )  # fmt: skip
    # 00:30 on 1 April in Shanghai is still 31 March in UTC: it belongs to April.
    o4 = stats_order(
        school, reported=at("2026-04-01", 0, 30), code="water", room=r2, assignee=w2,
        response_minutes=300, resolution_minutes=3000, responded_on_time=False,
        resolved_on_time=False, rating=2, repeat_of=o3,
    )  # fmt: skip
    stats_order(
        school, reported=at("2026-04-10"), status=S.IN_PROGRESS, room=r2, assignee=w1,
        response_minutes=40, responded_on_time=True, resolve_due=at("2026-04-30"),
    )  # fmt: skip
    stats_order(school, reported=at("2026-04-12"), status=S.NEW, room=r2, repeat_of=o4)
    stats_order(
        school, reported=at("2026-04-15"), code="water", status=S.CANCELLED, room=r1,
        assignee=w2,
    )  # fmt: skip
    # Before the period: 23:59 on 28 February in Shanghai.
    stats_order(
        school, reported=at("2026-02-28", 23, 59), room=r1, assignee=w1, response_minutes=1,
        resolution_minutes=5, responded_on_time=True, resolved_on_time=True, rating=1,
    )  # fmt: skip
    # Reported in January and still on hold: open now, not in the period's figures.
    stats_order(
        school, reported=at("2026-01-10"), status=S.ON_HOLD, room=r1, assignee=w1,
        response_minutes=15, responded_on_time=True,
    )  # fmt: skip
    other_room = f.RoomFactory(building__campus__school=other_school)
    stats_order(
        other_school, reported=at("2026-03-10"), room=other_room, response_minutes=50,
        resolution_minutes=100, responded_on_time=True, resolved_on_time=True, rating=3,
        cost="10", assignee=f.member(other_school, "worker", real_name="外校师傅"),
    )  # fmt: skip
    return {"b1": b1, "b2": b2, "r1": r1, "r2": r2, "w1": w1, "w2": w2, "asset": asset}


def _asset(school: Any, room: Any) -> Any:
    from tests.assets.objects_register import make_asset

    return make_asset(school, room=room, name="吊扇")


def scope(school: Any, **kw: Any) -> StatsScope:
    return StatsScope(
        school_ids=(school.pk,), start=MARCH, end=APRIL_END, now=at("2026-04-20"), **kw
    )


def test_it_counts_the_period_without_cancelled_orders(school: Any, data: Any) -> None:
    totals = stats.totals(scope(school))
    assert totals["requests"] == 6
    assert totals["cancelled"] == 1
    assert totals["done"] == 4
    assert totals["open"] == 2
    assert totals["completion_rate"] == 66.7
    assert totals["response_on_time_rate"] == 80.0  # 4 of 5 responses
    assert totals["resolution_on_time_rate"] == 50.0  # 2 of 4 repairs
    assert totals["rated"] == 3
    assert totals["rating_mean"] == 3.67  # (5 + 4 + 2) / 3
    assert totals["satisfaction_rate"] == 66.7  # 2 of 3 gave 4-5 stars
    assert totals["repeats"] == 3
    assert totals["repeat_rate"] == 50.0
    assert totals["cost"] == Decimal("350.00")


def test_it_computes_mean_median_and_90th_percentile(school: Any, data: Any) -> None:
    times = stats.time_figures(scope(school))
    # Responses 10, 20, 30, 40, 300 min: median at rank ⌈2.5⌉ = 3, P90 at rank ⌈4.5⌉ = 5.
    assert times["response"] == {"count": 5, "mean": 80.0, "median": 30.0, "p90": 300.0}
    # Repairs 60, 120, 300, 3000 min: the lower middle value, P90 at rank ⌈3.6⌉ = 4.
    assert times["resolution"] == {"count": 4, "mean": 870.0, "median": 120.0, "p90": 3000.0}


def test_it_groups_by_month_in_shanghai_time(school: Any, data: Any) -> None:
    rows = stats.by_month(scope(school))
    assert [(r["month"], r["requests"], r["done"]) for r in rows] == [
        ("2026-03", 3, 3),
        ("2026-04", 3, 1),
    ]
    assert rows[0]["response_on_time_rate"] == 100.0
    assert rows[0]["resolution_on_time_rate"] == 66.7
    assert rows[1]["response_on_time_rate"] == 50.0
    assert rows[1]["resolution_on_time_rate"] == 0.0


def test_it_groups_by_category_and_building_with_costs(school: Any, data: Any) -> None:
    categories = stats.by_category(scope(school))
    assert [(r["label"], r["requests"], r["done"], r["cost"]) for r in categories] == [
        ("Electricity", 4, 2, Decimal("150.00")),
        ("Water", 2, 2, Decimal("200.00")),
    ]
    assert categories[0]["resolution_mean_minutes"] == 90.0
    buildings = stats.by_building(scope(school))
    assert [(r["label"], r["requests"], r["done"], r["repeats"], r["cost"]) for r in buildings] == [
        ("宿舍楼", 4, 2, 2, Decimal("200.00")),
        ("教学楼", 2, 2, 1, Decimal("150.00")),
    ]


def test_it_reports_satisfaction(school: Any, data: Any) -> None:
    result = stats.satisfaction(scope(school))
    assert result["rated"] == 3
    assert result["mean"] == 3.67
    assert result["rate"] == 66.7
    assert [row["count"] for row in result["distribution"]] == [0, 1, 0, 1, 1]


def test_it_ranks_repeat_faults_by_room_and_asset(school: Any, data: Any) -> None:
    rooms = stats.repeats_by_room(scope(school))
    assert [(r["label"], r["repeats"]) for r in rooms] == [("宿舍楼 302", 2), ("教学楼 101", 1)]
    assets = stats.repeats_by_asset(scope(school))
    assert len(assets) == 1
    assert assets[0]["repeats"] == 1
    assert "吊扇" in assets[0]["label"]


def test_it_reports_workload_by_worker(school: Any, data: Any) -> None:
    rows = stats.workload(scope(school))
    by_name = {row["label"]: row for row in rows}
    assert list(by_name) == ["李师傅", "王师傅"]
    li = by_name["李师傅"]
    # Orders 1, 2 and 5 in the period; open now also counts January's order on hold.
    assert (li["assigned"], li["done"], li["open_now"]) == (3, 2, 2)
    assert li["resolution_mean_minutes"] == 90.0
    assert li["rating_mean"] == 4.5
    wang = by_name["王师傅"]
    assert (wang["assigned"], wang["done"], wang["open_now"]) == (2, 2, 0)
    assert wang["resolution_mean_minutes"] == 1650.0
    assert wang["rating_mean"] == 2.0


def test_the_backlog_is_what_is_open_now_whenever_reported(school: Any, data: Any) -> None:
    backlog = stats.backlog(scope(school))
    assert backlog["total"] == 3
    # January's order and 12 April's (due 14 April) are past their repair target on 20 April.
    assert backlog["overdue"] == 2
    assert backlog["response_overdue"] == 1  # 12 April's nobody has accepted
    counts = {row["status"]: row["count"] for row in backlog["by_status"]}
    assert counts == {"new": 1, "assigned": 0, "in_progress": 1, "on_hold": 1, "returned": 0}


def test_filters_narrow_every_figure(school: Any, data: Any) -> None:
    by_building = stats.totals(scope(school, building_id=data["b1"].pk))
    assert by_building["requests"] == 2
    from houqin.maintenance.models import RepairCategory

    water = RepairCategory.objects.get(code="water").pk
    assert stats.totals(scope(school, category_id=water))["requests"] == 2
    assert stats.totals(scope(school, worker_id=data["w2"].pk))["requests"] == 2
    everything = stats.totals(StatsScope(school_ids=(school.pk,)))
    assert everything["requests"] == 8  # no dates: every order but the cancelled one


def test_another_schools_orders_are_never_counted(school: Any, other_school: Any, data: Any):
    figures = stats.dashboard_figures(scope(school))
    assert figures["totals"]["requests"] == 6
    assert "外校师傅" not in {row["label"] for row in figures["workers"]}
    assert "schools" not in figures
    assert figures["times"]["response"]["count"] == 5


def test_a_district_sees_its_schools_side_by_side(school: Any, other_school: Any, data: Any):
    both = StatsScope(
        school_ids=(school.pk, other_school.pk), start=MARCH, end=APRIL_END, now=at("2026-04-20")
    )
    rows = {row["label"]: row for row in stats.dashboard_figures(both)["schools"]}
    assert set(rows) == {"示范中学", "阳光幼儿园"}
    ours = rows["示范中学"]
    assert (ours["requests"], ours["done"], ours["open_now"], ours["overdue_now"]) == (6, 4, 3, 2)
    assert ours["resolution_on_time_rate"] == 50.0
    assert ours["response_mean_minutes"] == 80.0
    assert ours["cost"] == Decimal("350.00")
    theirs = rows["阳光幼儿园"]
    assert (theirs["requests"], theirs["satisfaction_rate"], theirs["cost"]) == (
        1,
        0.0,
        Decimal("10.00"),
    )


def test_summary_figures_compare_year_on_year(school: Any, data: Any) -> None:
    spring = stats.summary_figures(school.pk, MARCH, APRIL_END)
    assert spring == {
        "start": MARCH,
        "end": APRIL_END,
        "requests": 6,
        "done": 4,
        "completion_rate": 66.7,
        "response_on_time_rate": 80.0,
        "resolution_on_time_rate": 50.0,
        "rating_mean": 3.67,
        "satisfaction_rate": 66.7,
        "rated": 3,
        "repeats": 3,
        "repeat_rate": 50.0,
        "cost": Decimal("350.00"),
        "cancelled": 1,
        "response_mean_minutes": 80.0,
        "response_median_minutes": 30.0,
        "resolution_mean_minutes": 870.0,
        "resolution_median_minutes": 120.0,
    }
    winter = stats.summary_figures(school.pk, datetime.date(2026, 1, 1), datetime.date(2026, 2, 28))
    assert set(winter) == set(spring)
    assert (winter["requests"], winter["done"], winter["rating_mean"]) == (2, 1, 1.0)
    assert winter["response_median_minutes"] == 1.0  # ranks of 1 and 15: the lower one
    empty = stats.summary_figures(school.pk, datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert empty["requests"] == 0
    assert empty["completion_rate"] is None
    assert empty["response_median_minutes"] is None
    assert empty["cost"] == Decimal("0.00")
