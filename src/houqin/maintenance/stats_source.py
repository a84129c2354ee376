"""Where a period's counters come from: the monthly rows the triggers keep equal to the
orders (``WorkOrderMonthStat``) for every month the period takes whole, the current one
included, plus the orders of the days at its edges, live.

``Source(scope)`` splits the period once (no query) and then reads each figure's
counters lazily and adds them up: the pre-aggregated counters of the dimensions the scope
shows in one query and the time histograms in another; the live orders once per school,
category and month (the months, categories and schools all come from it), their times per
bucket, and per building or worker when asked. With a building, category or worker filter
every figure is live.
"""

from __future__ import annotations

import datetime
import operator
from collections import defaultdict
from functools import cached_property, reduce
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    Case,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.utils import timezone

from houqin.core.dbfunctions import LocalMonth

from .models import WorkOrder, WorkOrderMonthStat
from .stats_counters import (
    LIVE,
    TIME_DIMS,
    add,
    bucket_of,
    bucket_range,
    counted,
    empty,
    month_start,
    next_month,
    reported_between,
    stat_counters,
)
from .stats_refresh import local_midnight

if TYPE_CHECKING:
    from .selectors_stats import StatsScope

BUCKETS = ("response_bucket", "resolution_bucket")
#: No pre-aggregated row (a condition that still runs its query: counts stay constant).
NOTHING = Q(month=datetime.date(1, 1, 1))
#: No live order (likewise a condition that still runs its queries).
NO_ORDER = Q(pk=0)
Interval = tuple[datetime.date, datetime.date]  # first month, last month (both included)


def _month_text(month: Any) -> str:
    return month if isinstance(month, str) else month.strftime("%Y-%m")


def _months_within(scope: StatsScope, today: datetime.date) -> Interval | None:
    """The months whose orders the period takes whole (None when there are none): those
    lying wholly inside it, and the current month when the period reaches today (no order
    is reported later than now). An open start begins with the first month there is
    (``date.min`` here)."""
    end = scope.end if scope.end is not None else today
    if end >= today:
        last = month_start(today)
    else:
        last = month_start(end)
        if next_month(last) - datetime.timedelta(days=1) != end:
            last = month_start(last - datetime.timedelta(days=1))
    first = datetime.date.min
    if scope.start is not None:
        first = scope.start if scope.start.day == 1 else next_month(scope.start)
    return None if first > last else (first, last)


class Source:
    """The counters of one statistics scope, pre-aggregated where possible."""

    def __init__(self, scope: StatsScope) -> None:
        from .selectors_stats import filtered_orders, period_condition

        self.scope = scope
        self.orders = filtered_orders(scope)
        self.period = period_condition(scope)
        self.table, self.live = self._split()
        self._table: dict[str, list[dict[str, Any]]] = {}
        # Several schools (the bureau) are compared by school: no buildings or workers.
        several = len(scope.school_ids) > 1
        self.counter_dims = ("", "c") if several else ("", "c", "b", "w")

    # -- splitting the period ---------------------------------------------------------------

    def _split(self) -> tuple[Q, Q]:
        """(rows of the months the period takes whole, orders of the days around them)."""
        scope = self.scope
        filtered = (
            scope.building_id is not None
            or scope.category_id is not None
            or scope.worker_id is not None
        )
        span = _months_within(scope, timezone.localdate(scope.now))
        if filtered or span is None:
            return NOTHING, self.period
        first, last = span
        table = Q(school_id__in=scope.school_ids, month__lte=last)
        start, end = scope.bounds()
        edges = []
        if scope.start is not None:
            table &= Q(month__gte=first)
            if start is not None and start < local_midnight(first):
                edges.append(reported_between(start, local_midnight(first)))
        after = local_midnight(next_month(last))
        if end is None or after < end:
            edges.append(reported_between(after, end))
        live = reduce(operator.or_, edges) if edges else NO_ORDER
        return table, Q(school_id__in=scope.school_ids) & live

    # -- reading counters ---------------------------------------------------------------------

    def live_orders(self) -> QuerySet[WorkOrder]:
        return self.orders.filter(self.live)

    def table_rows(self, dim: str) -> list[dict[str, Any]]:
        """The fresh pre-aggregated rows of one dimension summed per key, and per school and
        month for the ``""`` rows. The first dimension asked reads every dimension the scope
        shows in one query (``counter_dims``); another one is read apart."""
        if dim not in self._table:
            wanted = [d for d in self.counter_dims if d not in self._table]
            dims = wanted if dim in wanted else [dim]
            whole = Q(dim="")  # per school and month for the month as a whole only
            month = Case(When(whole, then=F("month")), output_field=DateField())
            school = Case(When(whole, then=F("school_id")), output_field=IntegerField())
            rows = WorkOrderMonthStat.objects.filter(self.table, dim__in=dims)
            grouped = rows.annotate(by_month=month, by_school=school).values(
                "dim", "key", "by_month", "by_school"
            )
            for name in dims:
                self._table[name] = []
            for row in grouped.annotate(**stat_counters()).order_by():
                found = {**row, "month": row["by_month"], "school_id": row["by_school"]}
                self._table[row["dim"]].append(found)
        return self._table[dim]

    @cached_property
    def table_histograms(self) -> list[dict[str, Any]]:
        """How many orders of the fresh months took a time in each bucket (one query: the
        histogram rows count only their volume)."""
        rows = WorkOrderMonthStat.objects.filter(self.table, dim__in=list(TIME_DIMS.values()))
        grouped = rows.values("dim", "key").annotate(volume=Sum("volume")).order_by()
        return [dict(row) for row in grouped]

    @cached_property
    def live_grid(self) -> list[dict[str, Any]]:
        """The live orders' counters per school, category and month (one query: the months,
        the categories and the schools all add these up)."""
        rows = self.live_orders().annotate(month=LocalMonth("reported_at"))
        return counted(rows, ("school_id", "category_id", "month"))

    @cached_property
    def live_buckets(self) -> list[dict[str, Any]]:
        """The live orders' response and repair times counted per bucket (one query). The
        buckets are computed in a subquery and grouped outside it: grouped directly, the
        database works each bucket expression out twice per order."""
        inner = (
            self.live_orders()
            .filter(LIVE)
            .annotate(
                response_bucket=bucket_of("response_seconds"),
                resolution_bucket=bucket_of("resolution_seconds"),
            )
            .values(
                "response_bucket", "resolution_bucket", "response_seconds", "resolution_seconds"
            )
            .order_by()
        )
        sql, params = inner.query.sql_with_params()
        quote = connection.ops.quote_name
        buckets = f"{quote('response_bucket')}, {quote('resolution_bucket')}"
        counts = f"COUNT({quote('response_seconds')}), COUNT({quote('resolution_seconds')})"
        outer = f"SELECT {buckets}, {counts} FROM ({sql}) {quote('times')} GROUP BY 1, 2"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(outer, params)
            rows = cursor.fetchall()
        names = (*BUCKETS, "response_count", "resolution_count")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _from_grid(self, column: str, found: dict[Any, dict[str, Any]]) -> dict[Any, Any]:
        for row in self.live_grid:
            add(found[row[column]], row)
        return dict(found)

    def grouped(self, dim: str, column: str) -> dict[Any, dict[str, Any]]:
        """Counters per category (``c``/``category_id``), building or worker."""
        found: dict[Any, dict[str, Any]] = defaultdict(empty)
        for row in self.table_rows(dim):
            add(found[row["key"] or None], row)
        if column == "category_id":
            return self._from_grid(column, found)
        live = self.live_orders()
        if column == "assignee_id":
            live = live.filter(assignee__isnull=False)
        for row in counted(live, (column,)):
            add(found[row[column]], row)
        return dict(found)

    @cached_property
    def months(self) -> dict[str, dict[str, Any]]:
        """Counters per month ``YYYY-MM``."""
        found: dict[str, dict[str, Any]] = defaultdict(empty)
        for row in self.table_rows(""):
            add(found[_month_text(row["month"])], row)
        for row in self.live_grid:
            add(found[_month_text(row["month"])], row)
        return dict(found)

    @cached_property
    def total(self) -> dict[str, Any]:
        found = empty()
        for row in self.months.values():
            add(found, row)
        return found

    @cached_property
    def categories(self) -> dict[Any, dict[str, Any]]:
        return self.grouped("c", "category_id")

    @cached_property
    def buildings(self) -> dict[Any, dict[str, Any]]:
        return self.grouped("b", "building_id")

    @cached_property
    def workers(self) -> dict[Any, dict[str, Any]]:
        return self.grouped("w", "assignee_id")

    @cached_property
    def schools(self) -> dict[Any, dict[str, Any]]:
        """Counters per school (the ``""`` rows by school, and the live orders)."""
        found: dict[Any, dict[str, Any]] = defaultdict(empty)
        for row in self.table_rows(""):
            add(found[row["school_id"]], row)
        return self._from_grid("school_id", found)

    # -- times ------------------------------------------------------------------------------------

    def histogram(self, column: str) -> dict[int, int]:
        """How many of the period's orders took a time in each bucket of ``column``."""
        dim = TIME_DIMS[column]
        name = column.split("_")[0]  # response, resolution
        found: dict[int, int] = defaultdict(int)
        for row in self.table_histograms:
            if row["dim"] == dim:
                found[row["key"]] += row["volume"] or 0
        for row in self.live_buckets:
            if row[f"{name}_bucket"] is not None:
                found[row[f"{name}_bucket"]] += row[f"{name}_count"] or 0
        return dict(found)

    def nth(self, column: str, histogram: dict[int, int], rank: int) -> int | None:
        """The ``rank``-th smallest time (1-based) of the period: found in its bucket, then read
        in order inside that bucket only."""
        seen = 0
        for bucket in sorted(histogram):
            count = histogram[bucket]
            if seen + count >= rank:
                low, high = bucket_range(bucket)
                inside = self.orders.filter(self.period, LIVE, **{f"{column}__gte": low})
                if high is not None:
                    inside = inside.filter(**{f"{column}__lt": high})
                offset = rank - seen - 1
                values = inside.order_by(column).values_list(column, flat=True)
                found = list(values[offset : offset + 1])
                return found[0] if found else None
            seen += count
        return None
