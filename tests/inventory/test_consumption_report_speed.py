"""The consumption report's query shape and its short cache of past periods."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.inventory.reports import ConsumptionScope, figures
from tests.inventory.test_consumption_report import data, scope  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_a_live_period_takes_few_queries(data: dict[str, Any]) -> None:  # noqa: F811
    with CaptureQueriesContext(connection) as queries:
        found = figures(scope(data), schools=True)
    sums = [q["sql"] for q in queries.captured_queries if "SUM(" in q["sql"].upper()]
    # Five groupings (school-department-month and person, both periods; items), each read
    # from the monthly tables and, for the days at the edges of a term, from the ledger.
    assert len(sums) <= 15
    ledger = [sql for sql in sums if "inventory_stockmovement" in sql]
    assert ledger and all("'issue', 'print', 'repair', 'return'" in sql for sql in ledger)
    assert len(queries) <= 20
    assert found["as_of"] is not None  # only the previous autumn (ended) may be kept


def test_a_past_period_is_kept_briefly(data: dict[str, Any]) -> None:  # noqa: F811
    past = scope(
        data,
        start=data["old_autumn"].start,
        end=data["old_autumn"].end,
        previous_start=datetime.date(2024, 9, 1),
        previous_end=datetime.date(2025, 1, 20),
    )
    first = figures(past)
    assert first["totals"]["amount"] == 300 and first["as_of"] is not None
    with CaptureQueriesContext(connection) as queries:
        again = figures(past)
    assert again["totals"] == first["totals"] and again["as_of"] == first["as_of"]
    assert not [q for q in queries.captured_queries if "SUM(" in q["sql"].upper()]


def test_the_current_period_stays_live(data: dict[str, Any]) -> None:  # noqa: F811
    figures(scope(data))
    with CaptureQueriesContext(connection) as queries:
        figures(scope(data))
    live = [q for q in queries.captured_queries if "SUM(" in q["sql"].upper()]
    assert live and len(live) <= 9  # this period's three groupings, none of the previous
    assert isinstance(ConsumptionScope, type)
