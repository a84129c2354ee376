"""Percentiles: nearest rank, the same answer from PERCENTILE_DISC (PostgreSQL) and from the
ordered OFFSET query (every database)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection

from houqin.maintenance import selectors_stats as stats
from houqin.maintenance.models import WorkOrder
from tests.maintenance.objects_reports import at, stats_order

pytestmark = pytest.mark.django_db
SIZES = (1, 2, 3, 4, 5, 7, 10, 11, 19, 20, 21, 30, 69, 70, 71, 99, 100)


def by_hand(values: list[int], percent: int) -> int:
    """⌈p·n/100⌉-th smallest value, computed in whole numbers."""
    ordered = sorted(values)
    rank = -(-percent * len(ordered) // 100)
    return ordered[max(rank, 1) - 1]


def test_nearest_rank_positions() -> None:
    assert [stats.nearest_rank(50, n) for n in (1, 2, 3, 4, 5)] == [1, 1, 2, 2, 3]
    assert [stats.nearest_rank(90, n) for n in (1, 9, 10, 11, 70)] == [1, 9, 9, 10, 63]


@pytest.fixture
def orders(school: Any) -> list[WorkOrder]:
    chance = random.Random(5)
    rows = [
        stats_order(
            school,
            reported=at("2026-03-02"),
            response_minutes=chance.choice((1, 5, 5, 30, 45, 90, 240, 600)),
            resolution_minutes=chance.randint(10, 5000),
            save=False,
        )
        for _ in range(max(SIZES))
    ]
    return WorkOrder.objects.bulk_create(rows)


@pytest.mark.parametrize("column", ["response_seconds", "resolution_seconds"])
def test_the_offset_query_gives_the_nearest_rank(orders: list[WorkOrder], column: str) -> None:
    for size in SIZES:
        chosen = orders[:size]
        queryset = WorkOrder.objects.filter(pk__in=[o.pk for o in chosen])
        values = [getattr(o, column) for o in chosen]
        found = stats.percentiles_by_offset(queryset, column, size)
        assert found == {p: by_hand(values, p) for p in stats.PERCENTILES}, size


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PERCENTILE_DISC is PostgreSQL's")
@pytest.mark.parametrize("column", ["response_seconds", "resolution_seconds"])
def test_percentile_disc_agrees_with_the_offset_query(orders: list[WorkOrder], column: str) -> None:
    for size in SIZES:
        queryset = WorkOrder.objects.filter(pk__in=[o.pk for o in orders[:size]]).order_by()
        database = queryset.aggregate(
            **{
                f"p{p}": stats.PercentileDisc(column, fraction=stats._fraction(p))
                for p in stats.PERCENTILES
            }
        )
        offset = stats.percentiles_by_offset(queryset, column, size)
        assert {p: database[f"p{p}"] for p in stats.PERCENTILES} == offset, size


def test_time_figures_ignore_orders_without_a_time(school: Any) -> None:
    for minutes in (10, None, 20, None, 30):
        stats_order(school, reported=at("2026-03-02"), response_minutes=minutes)
    scope = stats.StatsScope(school_ids=(school.pk,))
    assert stats.time_figures(scope)["response"] == {
        "count": 3,
        "mean": 20.0,
        "median": 20.0,
        "p90": 30.0,
    }
    assert stats.time_figures(scope)["resolution"] == {
        "count": 0,
        "mean": None,
        "median": None,
        "p90": None,
    }
