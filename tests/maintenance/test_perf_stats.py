"""The monthly rows the triggers keep give exactly the figures computed from the orders.

Orders of two schools over the months up to now (every state, cancelled ones, open ones,
times and ratings at random) are read from the monthly rows and all live, before and after
orders are changed, moved, deleted and added by every kind of write. Every figure of the
dashboard must be the same, for periods that start and end inside months too; the rows
must equal a rebuild from the orders; a few figures are checked against plain aggregates.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, F, Sum
from django.utils import timezone

from houqin.maintenance import selectors_stats as stats
from houqin.maintenance.choices import OrderStatus
from houqin.maintenance.models import WorkOrder, WorkOrderMonthStat
from houqin.maintenance.selectors_stats import StatsScope
from houqin.maintenance.stats_counters import (
    BOUNDS,
    COUNTERS,
    bucket_number,
    bucket_of,
    bucket_range,
)
from houqin.maintenance.stats_refresh import refresh_all
from houqin.maintenance.stats_source import NOTHING, Source
from tests import factories as f
from tests.maintenance.objects_reports import stats_order

pytestmark = pytest.mark.django_db
S = OrderStatus
STATES = [S.RATED] * 5 + [S.COMPLETED] * 3 + [S.CANCELLED, S.IN_PROGRESS, S.NEW, S.ON_HOLD]


def _orders(school: Any, rng: random.Random, count: int, days: int) -> list[WorkOrder]:
    buildings = [f.BuildingFactory(campus__school=school) for _ in range(3)]
    rooms = [f.RoomFactory(building=b) for b in buildings for _ in range(2)]
    workers = [f.member(school, "worker", real_name=f"师傅{n}") for n in range(3)]
    now = timezone.now()
    made = []
    for n in range(count):
        reported = now - datetime.timedelta(minutes=rng.randrange(60, days * 1440))
        status = rng.choice(STATES)
        done = status in (S.RATED, S.COMPLETED)
        response = rng.choice((None, 1, 5, 17, 44, 120, 600)) if status != S.NEW else None
        made.append(
            stats_order(
                school,
                reported=reported,
                code=rng.choice(("electric", "water", "doors")),
                status=status,
                room=rng.choice([*rooms, None]),
                assignee=rng.choice([*workers, None]),
                response_minutes=response,
                resolution_minutes=rng.randrange(30, 9000) if done else None,
                responded_on_time=None if response is None else rng.random() < 0.8,
                resolved_on_time=rng.random() < 0.7 if done else None,
                rating=rng.randrange(1, 6) if status == S.RATED else None,
                repeat_of=made[-1] if made and n % 7 == 0 else None,
                cost=f"{rng.randrange(0, 500)}.{rng.randrange(0, 100):02d}",
            )
        )
    return made


@pytest.fixture
def world(school: Any, other_school: Any) -> dict[str, Any]:
    rng = random.Random(7)
    orders = _orders(school, rng, 140, 400) + _orders(other_school, rng, 40, 300)
    # last changed when they were reported (as orders of months ago would be)
    WorkOrder.objects.update(updated_at=F("reported_at"))
    return {"orders": orders, "schools": (school.pk, other_school.pk)}


def _scopes(world: dict[str, Any]) -> list[StatsScope]:
    today = timezone.localdate()
    both = world["schools"]
    first = world["orders"][0].building_id
    return [
        StatsScope(school_ids=both, start=today.replace(day=1) - datetime.timedelta(days=330)),
        StatsScope(school_ids=both),
        StatsScope(school_ids=both[:1], start=today - datetime.timedelta(days=200), end=today),
        StatsScope(
            school_ids=both,
            start=today - datetime.timedelta(days=250),
            end=today - datetime.timedelta(days=45),
        ),
        StatsScope(school_ids=both[:1], building_id=first),
    ]


def _figures(world: dict[str, Any]) -> list[dict[str, Any]]:
    return [stats.dashboard_figures(scope) for scope in _scopes(world)]


def _live(world: dict[str, Any], monkeypatch: Any) -> list[dict[str, Any]]:
    """The figures counted from the orders alone, without the monthly rows."""
    with monkeypatch.context() as patched:
        patched.setattr(Source, "_split", lambda self: (NOTHING, self.period))
        return _figures(world)


def _rows() -> list[tuple[Any, ...]]:
    kept = WorkOrderMonthStat.objects.exclude(volume=0, cancelled=0)
    fields = ["school_id", "month", "dim", "key", *COUNTERS]
    return sorted(kept.values_list(*fields))


def test_it_gives_the_same_figures_from_the_monthly_rows_as_live(
    world: dict[str, Any], monkeypatch: Any
) -> None:
    assert WorkOrderMonthStat.objects.filter(dim="").count() >= 12
    source = Source(_scopes(world)[0])
    assert source.table_rows(""), "whole months are read from the monthly rows"
    assert source.live_orders().count() < stats.orders_in(source.scope, cancelled=True).count()
    assert _figures(world) == _live(world, monkeypatch)


def test_the_triggers_keep_the_rows_equal_to_a_rebuild(
    world: dict[str, Any], monkeypatch: Any
) -> None:
    kept = _rows()
    assert refresh_all() > 0
    assert _rows() == kept
    orders = world["orders"]
    old = [o for o in orders if o.reported_at < timezone.now() - datetime.timedelta(90)]
    for order in old[:5]:  # rated, cancelled, moved to another month and category
        order.status = S.RATED
        order.rating = 1
        order.save()
    old[5].status = S.CANCELLED
    old[5].save()
    WorkOrder.objects.filter(pk=old[6].pk).update(
        reported_at=timezone.now(), category=orders[1].category, assignee=None
    )
    WorkOrder.objects.filter(pk__in=[o.pk for o in old[7:10]]).update(
        response_seconds=F("response_seconds") + 3600, total_cost=Decimal("99.90")
    )
    WorkOrder.objects.filter(pk=old[10].pk).delete()
    # a repair reported long ago and entered only now
    stats_order(
        old[11].school,
        reported=old[11].reported_at,
        response_minutes=3,
        resolution_minutes=40,
        rating=5,
        cost="12.30",
    )
    changed = _rows()
    assert changed != kept
    assert _figures(world) == _live(world, monkeypatch)
    refresh_all()
    assert _rows() == changed


def test_the_figures_match_plain_aggregates_over_the_orders(world: dict[str, Any]) -> None:
    for scope in _scopes(world):
        orders = stats.orders_in(scope)
        plain = orders.aggregate(n=Count("pk"), cost=Sum("total_cost"), rated=Count("rating"))
        totals = stats.totals(scope)
        assert (totals["requests"], totals["cost"], totals["rated"]) == (
            plain["n"],
            plain["cost"] or Decimal("0.00"),
            plain["rated"],
        )
        times = stats.time_figures(scope)
        for name, column in stats.TIMES.items():
            count = orders.filter(**{f"{column}__isnull": False}).count()
            offset = stats.percentiles_by_offset(orders, column, count)
            assert times[name]["median"] == stats._minutes(offset[50])
            assert times[name]["p90"] == stats._minutes(offset[90])
        months = {row["month"]: row["requests"] for row in stats.by_month(scope) if row["requests"]}
        assert sum(months.values()) == plain["n"]


def test_the_time_buckets_cover_every_time() -> None:
    assert list(BOUNDS) == sorted(set(BOUNDS))
    for seconds in (0, 59, 60, 61, 3599, 86400, 10**9):
        low, high = bucket_range(bucket_number(seconds))
        assert low <= seconds and (high is None or seconds < high)


def test_the_database_buckets_times_like_python(school: Any) -> None:
    """``bucket_of`` (nested halvings in SQL) gives ``bucket_number`` at and around every
    bound, and nothing for an unknown time."""
    order = stats_order(school, reported=timezone.now(), code="water", status=S.COMPLETED)
    times = sorted({0, 10**8, *(b + d for b in BOUNDS for d in (-1, 0, 1))})
    found = {}
    for seconds in [*times, None]:
        WorkOrder.objects.filter(pk=order.pk).update(response_seconds=seconds)
        row = WorkOrder.objects.filter(pk=order.pk).annotate(b=bucket_of("response_seconds"))
        found[seconds] = row.values_list("b", flat=True).get()
    assert found == {seconds: bucket_number(seconds) for seconds in times} | {None: None}


def test_the_refresh_is_a_registered_periodic_job() -> None:
    from houqin.core.jobs import autodiscover

    assert "maintenance.stats_refresh" in autodiscover()


def test_a_live_order_counts_in_its_local_month(school: Any) -> None:
    """A live order counts in its local month at the months' edges, for a period with a
    start (read around the monthly rows) and one without."""
    from collections import Counter

    from houqin.maintenance.stats_counters import month_start
    from houqin.maintenance.stats_refresh import local_midnight

    today = timezone.localdate()
    this_month = local_midnight(month_start(today))
    last_month = local_midnight(month_start(this_month.date() - datetime.timedelta(days=1)))
    second = datetime.timedelta(seconds=1)
    moments = [this_month - second, this_month, last_month - second, last_month, timezone.now()]
    for moment in moments:
        stats_order(school, reported=moment, code="water", status=S.COMPLETED)
    expected = Counter(timezone.localtime(moment).strftime("%Y-%m") for moment in moments)
    for start in (today - datetime.timedelta(days=70), None):
        scope = StatsScope(school_ids=(school.pk,), start=start)
        months = {row["month"]: row["requests"] for row in stats.by_month(scope)}
        assert {month: n for month, n in months.items() if n} == dict(expected)
