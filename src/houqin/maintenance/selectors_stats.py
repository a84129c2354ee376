"""Maintenance statistics (维修统计): every figure is an SQL aggregate over ``WorkOrder``.

The order stores what the statistics need when each clock stops (``response_seconds``,
``resolution_seconds``, ``responded_on_time``, ``resolved_on_time``, ``rating``,
``repeat_of``, ``building``, ``total_cost``), so no figure joins or loops over orders; Python
only turns a handful of aggregated rows into rates and labels.

Definitions (the same on SQLite and PostgreSQL):

- An order counts in a period when it was *reported* in it (``reported_at``, days in
  Asia/Shanghai, both ends included). Cancelled orders are not requests; they are counted
  apart.
- Done: the repair is finished (awaiting verification, completed or rated). Open: somebody
  still has to work on it. Completion rate = done / requests.
- On-time rate = orders whose clock stopped on time / orders whose clock stopped.
- Percentiles are *nearest-rank*: sort the n values ascending and take the one at position
  ⌈p·n/100⌉ (1-based). The median is the 50th percentile, so for an even count it is the lower
  of the two middle values, always a time some order really took. PostgreSQL computes it with
  ``PERCENTILE_DISC`` inside the aggregate query; other databases read it with an ordered
  query and ``OFFSET``. Times are reported in minutes.
- Satisfaction: mean rating and the share of 4–5 star ratings among rated orders.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Avg, Count, IntegerField, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from houqin.core.dbfunctions import LocalMonth, literal_in

from .choices import DONE_STATUSES, OPEN_STATUSES, OrderStatus
from .models import WorkOrder

ZERO = Decimal("0.00")
PERCENTILES = (50, 90)
TIMES = {"response": "response_seconds", "resolution": "resolution_seconds"}
TOP = 20


@dataclass(frozen=True)
class StatsScope:
    """Which orders a figure covers: schools, optional building/category/worker, and the
    days (inclusive, local time) their reports fall in."""

    school_ids: tuple[int, ...]
    start: datetime.date | None = None
    end: datetime.date | None = None
    building_id: int | None = None
    category_id: int | None = None
    worker_id: int | None = None
    now: datetime.datetime = field(default_factory=timezone.now)

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        zone = timezone.get_default_timezone()
        low = high = None
        if self.start is not None:
            low = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        if self.end is not None:
            day_after = self.end + datetime.timedelta(days=1)
            high = datetime.datetime.combine(day_after, datetime.time.min, tzinfo=zone)
        return low, high


# -- querysets ------------------------------------------------------------------------------


def _filtered(scope: StatsScope) -> QuerySet[WorkOrder]:
    orders = WorkOrder.objects.filter(school_id__in=scope.school_ids)
    if scope.building_id is not None:
        orders = orders.filter(building_id=scope.building_id)
    if scope.category_id is not None:
        orders = orders.filter(category_id=scope.category_id)
    if scope.worker_id is not None:
        orders = orders.filter(assignee_id=scope.worker_id)
    return orders.order_by()


def _in_period(scope: StatsScope) -> Q:
    low, high = scope.bounds()
    condition = Q()
    if low is not None:
        condition &= Q(reported_at__gte=low)
    if high is not None:
        condition &= Q(reported_at__lt=high)
    return condition


def orders_in(scope: StatsScope, *, cancelled: bool = False) -> QuerySet[WorkOrder]:
    """The orders reported in the scope's period (without cancelled ones unless asked)."""
    orders = _filtered(scope).filter(_in_period(scope))
    if not cancelled:
        orders = orders.exclude(CANCELLED)
    return orders


STATUS = '"maintenance_workorder"."status"'
# Written into the SQL rather than bound (see ``literal_in``): SQLite then plans the few
# open orders among a million through the status index instead of scanning.
DONE = Q(literal_in(STATUS, DONE_STATUSES))
CANCELLED = Q(literal_in(STATUS, [OrderStatus.CANCELLED]))
OPEN = Q(literal_in(STATUS, OPEN_STATUSES))


def _rate(part: int | None, whole: int | None) -> float | None:
    """A percentage with one decimal, ``None`` when there is nothing to divide."""
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


def _minutes(seconds: float | int | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 60.0, 1)


def _when(where: Q | None, condition: Q | None = None) -> Q | None:
    if where is None:
        return condition
    return where if condition is None else where & condition


def _core_aggregates(where: Q | None = None) -> dict[str, Any]:
    """Counts and sums shared by the totals, the per-school table and the yearly summary;
    ``where`` narrows every one of them (inside one grouped query)."""

    def count(condition: Q | None = None) -> Count:
        return Count("pk", filter=_when(where, condition))

    return {
        "volume": count(),
        "done": count(DONE),
        "open": count(OPEN),
        "responded": count(Q(responded_on_time__isnull=False)),
        "responded_on_time": count(Q(responded_on_time=True)),
        "resolved": count(Q(resolved_on_time__isnull=False)),
        "resolved_on_time": count(Q(resolved_on_time=True)),
        "response_mean": Avg("response_seconds", filter=where),
        "resolution_mean": Avg("resolution_seconds", filter=where),
        "rated": count(Q(rating__isnull=False)),
        "rating_mean": Avg("rating", filter=where),
        "rated_good": count(Q(rating__gte=4)),
        "repeat_faults": count(Q(repeat_of__isnull=False)),
        "cost": Sum("total_cost", filter=where),
    }


def _derive(row: dict[str, Any]) -> dict[str, Any]:
    """Rates and minutes from the counts of ``_core_aggregates``."""
    rating = row.get("rating_mean")
    return {
        **row,
        "requests": row["volume"],
        "repeats": row["repeat_faults"],
        "cost": row.get("cost") or ZERO,
        "completion_rate": _rate(row["done"], row["volume"]),
        "response_on_time_rate": _rate(row["responded_on_time"], row["responded"]),
        "resolution_on_time_rate": _rate(row["resolved_on_time"], row["resolved"]),
        "response_mean_minutes": _minutes(row.get("response_mean")),
        "resolution_mean_minutes": _minutes(row.get("resolution_mean")),
        "rating_mean": None if rating is None else round(float(rating), 2),
        "satisfaction_rate": _rate(row["rated_good"], row["rated"]),
        "repeat_rate": _rate(row["repeat_faults"], row["volume"]),
    }


# -- percentiles ----------------------------------------------------------------------------


class PercentileDisc(Aggregate):
    """PostgreSQL's ``PERCENTILE_DISC(f) WITHIN GROUP (ORDER BY x)``: NULLs are ignored."""

    function = "PERCENTILE_DISC"
    name = "PercentileDisc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = IntegerField()


def nearest_rank(percent: int, count: int) -> int:
    """⌈percent·count/100⌉, at least 1: the 1-based position of the percentile."""
    return max(1, (percent * count + 99) // 100)


def _fraction(percent: int) -> str:
    # PERCENTILE_DISC takes the first value whose position reaches fraction·n, computed in
    # floating point, where for instance 0.07·100 is 7.000000000000001 (rank 8, not 7).
    # Positions p·n/100 differ from a whole number by at least 0.01, so a nudge of 1e-12
    # (harmless below 10^10 rows) makes the database land on exactly ⌈p·n/100⌉.
    return f"{percent / 100 - 1e-12:.15f}"


def percentiles_by_offset(
    orders: QuerySet[WorkOrder], column: str, count: int
) -> dict[int, int | None]:
    """Nearest-rank percentiles of ``column`` read with one ordered OFFSET query each."""
    if not count:
        return dict.fromkeys(PERCENTILES)
    ordered = (
        orders.filter(**{f"{column}__isnull": False})
        .order_by(column)
        .values_list(column, flat=True)
    )
    result: dict[int, int | None] = {}
    for percent in PERCENTILES:
        rank = nearest_rank(percent, count)
        found = list(ordered[rank - 1 : rank])
        result[percent] = found[0] if found else None
    return result


def uses_percentile_disc() -> bool:
    return connection.vendor == "postgresql"


def time_figures(scope: StatsScope) -> dict[str, dict[str, Any]]:
    """Response and repair times: count, mean, median and 90th percentile, in minutes."""
    orders = orders_in(scope)
    aggregates: dict[str, Any] = {}
    for name, column in TIMES.items():
        aggregates[f"{name}_count"] = Count(column)
        aggregates[f"{name}_mean"] = Avg(column)
        if uses_percentile_disc():
            for percent in PERCENTILES:
                aggregates[f"{name}_p{percent}"] = PercentileDisc(
                    column, fraction=_fraction(percent)
                )
    row = orders.aggregate(**aggregates)
    result: dict[str, dict[str, Any]] = {}
    for name, column in TIMES.items():
        count = row[f"{name}_count"]
        if uses_percentile_disc():
            values = {p: row[f"{name}_p{p}"] for p in PERCENTILES}
        else:
            values = percentiles_by_offset(orders, column, count)
        result[name] = {
            "count": count,
            "mean": _minutes(row[f"{name}_mean"]),
            "median": _minutes(values[50]),
            "p90": _minutes(values[90]),
        }
    return result


# -- totals and breakdowns ------------------------------------------------------------------


def totals(scope: StatsScope) -> dict[str, Any]:
    """Requests, done, open, on-time rates, satisfaction, repeats and cost of the period."""
    row = orders_in(scope, cancelled=True).aggregate(
        cancelled=Count("pk", filter=CANCELLED),
        **_core_aggregates(~CANCELLED),
    )
    return _derive(row)


def _category_label(name: str, name_en: str) -> str:
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name


def by_category(scope: StatsScope) -> list[dict[str, Any]]:
    """Requests, done, repair-time mean and cost per repair category, largest first."""
    rows = (
        orders_in(scope)
        .values("category_id", "category__name", "category__name_en", "category__sort_order")
        .annotate(
            volume=Count("pk"),
            done=Count("pk", filter=DONE),
            resolution_mean=Avg("resolution_seconds"),
            cost=Sum("total_cost"),
        )
        .order_by("-volume", "category__sort_order")
    )
    return [
        {
            "category_id": row["category_id"],
            "label": _category_label(row["category__name"], row["category__name_en"]),
            "requests": row["volume"],
            "done": row["done"],
            "resolution_mean_minutes": _minutes(row["resolution_mean"]),
            "cost": row["cost"] or ZERO,
        }
        for row in rows
    ]


def by_building(scope: StatsScope) -> list[dict[str, Any]]:
    """Requests, done, repeats and cost per building, largest first."""
    rows = (
        orders_in(scope)
        .values("building_id", "building__name")
        .annotate(
            volume=Count("pk"),
            done=Count("pk", filter=DONE),
            repeat_faults=Count("pk", filter=Q(repeat_of__isnull=False)),
            cost=Sum("total_cost"),
        )
        .order_by("-volume", "building__name")
    )
    return [
        {
            "building_id": row["building_id"],
            "label": row["building__name"] or _("No building"),
            "requests": row["volume"],
            "done": row["done"],
            "repeats": row["repeat_faults"],
            "cost": row["cost"] or ZERO,
        }
        for row in rows
    ]


def by_month(scope: StatsScope) -> list[dict[str, Any]]:
    """Per calendar month (Asia/Shanghai): requests, done and the on-time rates."""
    rows = (
        orders_in(scope)
        .annotate(month=LocalMonth("reported_at"))
        .values("month")
        .annotate(
            volume=Count("pk"),
            done=Count("pk", filter=DONE),
            responded=Count("pk", filter=Q(responded_on_time__isnull=False)),
            responded_on_time=Count("pk", filter=Q(responded_on_time=True)),
            resolved=Count("pk", filter=Q(resolved_on_time__isnull=False)),
            resolved_on_time=Count("pk", filter=Q(resolved_on_time=True)),
            cost=Sum("total_cost"),
        )
        .order_by("month")
    )
    result = []
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):  # TruncMonth in a zone with summer time
            month = timezone.localtime(month) if timezone.is_aware(month) else month
            month = month.strftime("%Y-%m")
        result.append(
            {
                "month": month,
                "requests": row["volume"],
                "done": row["done"],
                "response_on_time_rate": _rate(row["responded_on_time"], row["responded"]),
                "resolution_on_time_rate": _rate(row["resolved_on_time"], row["resolved"]),
                "cost": row["cost"] or ZERO,
            }
        )
    return result


def satisfaction(scope: StatsScope) -> dict[str, Any]:
    """Mean rating, share of 4–5 stars, the number rated and how many got each star."""
    stars = {f"stars_{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)}
    row = orders_in(scope).aggregate(rated=Count("rating"), mean=Avg("rating"), **stars)
    good = row["stars_4"] + row["stars_5"]
    return {
        "rated": row["rated"],
        "mean": None if row["mean"] is None else round(float(row["mean"]), 2),
        "good": good,
        "rate": _rate(good, row["rated"]),
        "distribution": [{"stars": n, "count": row[f"stars_{n}"]} for n in range(1, 6)],
    }


def _room_label(building: str | None, number: str, name: str) -> str:
    """教学楼A A205 初二(5)班; a name that only repeats the room number is left out
    (男生宿舍楼 1-302, not 男生宿舍楼 1-302 男生宿舍 302)."""
    parts = [building or "", number]
    if name and number.rsplit("-", 1)[-1] not in name:
        parts.append(name)
    return " ".join(part for part in parts if part)


def repeats_by_room(scope: StatsScope, limit: int = TOP) -> list[dict[str, Any]]:
    """Rooms with the most repeat faults (orders linked to an earlier one), top ``limit``."""
    rows = (
        orders_in(scope)
        .filter(repeat_of__isnull=False, room__isnull=False)
        .values("room_id", "room__number", "room__name", "room__building__name", "school__name")
        .annotate(repeat_faults=Count("pk"), categories=Count("category_id", distinct=True))
        .order_by("-repeat_faults", "room__building__name", "room__number")[:limit]
    )
    schools = len(scope.school_ids) > 1
    return [
        {
            "room_id": row["room_id"],
            "label": _room_label(
                row["room__building__name"], row["room__number"], row["room__name"]
            ),
            "school": row["school__name"] if schools else "",
            "repeats": row["repeat_faults"],
            "categories": row["categories"],
        }
        for row in rows
    ]


def repeats_by_asset(scope: StatsScope, limit: int = TOP) -> list[dict[str, Any]]:
    """Assets with the most repeat faults, top ``limit``."""
    rows = (
        orders_in(scope)
        .filter(repeat_of__isnull=False, asset__isnull=False)
        .values("asset_id", "asset__code", "asset__name", "school__name")
        .annotate(repeat_faults=Count("pk"))
        .order_by("-repeat_faults", "asset__code")[:limit]
    )
    schools = len(scope.school_ids) > 1
    return [
        {
            "asset_id": row["asset_id"],
            "label": f"{row['asset__code']} {row['asset__name']}",
            "school": row["school__name"] if schools else "",
            "repeats": row["repeat_faults"],
        }
        for row in rows
    ]


def workload(scope: StatsScope) -> list[dict[str, Any]]:
    """Per worker: orders done in the period, open now (whenever reported), mean repair time
    and mean rating of the period's orders. Two grouped queries (the period's orders by the
    reporting-time index, the open ones by the status index), merged per worker."""
    in_period = _in_period(scope) & ~CANCELLED
    names = ("assignee_id", "assignee__real_name", "assignee__username")
    mine = _filtered(scope).filter(assignee__isnull=False)
    period_rows = (
        mine.filter(in_period)
        .values(*names)
        .annotate(
            assigned=Count("pk"),
            done=Count("pk", filter=DONE),
            resolution_mean=Avg("resolution_seconds"),
            rating_mean=Avg("rating"),
            rated=Count("rating"),
            labour_minutes=Sum("labour_minutes"),
        )
        .order_by()
    )
    open_rows = mine.filter(OPEN).values(*names).annotate(open_now=Count("pk")).order_by()
    merged: dict[int, dict[str, Any]] = {}
    empty = {"assigned": 0, "done": 0, "resolution_mean": None, "rating_mean": None}
    for row in period_rows:
        merged[row["assignee_id"]] = {**row, "open_now": 0}
    for row in open_rows:
        merged.setdefault(row["assignee_id"], {**row, **empty, "rated": 0, "labour_minutes": 0})[
            "open_now"
        ] = row["open_now"]
    ordered = sorted(
        merged.values(),
        key=lambda row: (-row["done"], -row["open_now"], row["assignee__real_name"] or ""),
    )
    return [
        {
            "worker_id": row["assignee_id"],
            "label": row["assignee__real_name"] or row["assignee__username"],
            "assigned": row["assigned"],
            "done": row["done"],
            "open_now": row["open_now"],
            "resolution_mean_minutes": _minutes(row["resolution_mean"]),
            "rating_mean": None
            if row["rating_mean"] is None
            else round(float(row["rating_mean"]), 2),
            "rated": row["rated"],
            "labour_hours": round((row["labour_minutes"] or 0) / 60.0, 1),
        }
        for row in ordered
    ]


def backlog(scope: StatsScope) -> dict[str, Any]:
    """Open orders now, whenever reported: by status, overdue for a response or a repair.

    Three small queries (counts per status, then each kind of overdue in its own WHERE)
    rather than one aggregate with ``FILTER (WHERE … < %s)``: SQLite plans an aggregate that
    carries bound parameters over the open statuses as a full scan."""
    now = scope.now
    open_now = _filtered(scope).filter(OPEN)
    counts = dict(open_now.values_list("status").annotate(n=Count("pk")).order_by())
    labels = dict(OrderStatus.choices)
    return {
        "total": sum(counts.values()),
        "overdue": open_now.filter(resolve_due__lt=now).count(),
        "response_overdue": open_now.filter(accepted_at__isnull=True, respond_due__lt=now).count(),
        "by_status": [
            {"status": str(status), "label": str(labels[status]), "count": counts.get(status, 0)}
            for status in OPEN_STATUSES
        ],
    }


def per_school(scope: StatsScope) -> list[dict[str, Any]]:
    """The period's figures of every school side by side, with what is open now (one grouped
    query)."""
    in_period = _in_period(scope) & ~CANCELLED
    rows = (
        _filtered(scope)
        .filter(in_period | OPEN)
        .values("school_id", "school__name")
        .annotate(
            open_now=Count("pk", filter=OPEN),
            overdue_now=Count("pk", filter=OPEN & Q(resolve_due__lt=scope.now)),
            **_core_aggregates(in_period),
        )
        .order_by("school__name")
    )
    return [{**_derive(dict(row)), "label": row["school__name"]} for row in rows]


def dashboard_figures(scope: StatsScope) -> dict[str, Any]:
    """Everything the dashboard shows, in a constant number of queries."""
    figures: dict[str, Any] = {
        "totals": totals(scope),
        "times": time_figures(scope),
        "months": by_month(scope),
        "categories": by_category(scope),
        "buildings": by_building(scope),
        "satisfaction": satisfaction(scope),
        "repeat_rooms": repeats_by_room(scope),
        "repeat_assets": repeats_by_asset(scope),
        "workers": workload(scope),
        "backlog": backlog(scope),
    }
    if len(scope.school_ids) > 1:
        figures["schools"] = per_school(scope)
    return figures


# -- the yearly work summary ----------------------------------------------------------------


def summary_figures(school_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """What a yearly work summary reports about repairs, for ``start``–``end`` inclusive.

    The keys stay the same from year to year so that two calls compare year on year:
    ``requests``, ``done``, ``completion_rate`` (%), ``response_on_time_rate`` and
    ``resolution_on_time_rate`` (%), ``response_mean_minutes``, ``response_median_minutes``,
    ``resolution_mean_minutes``, ``resolution_median_minutes``, ``rating_mean``,
    ``satisfaction_rate`` (% of rated orders with 4–5 stars), ``rated``, ``repeats``,
    ``repeat_rate`` (%), ``cost`` (Decimal yuan), ``cancelled``, ``start``, ``end``.
    """
    scope = StatsScope(school_ids=(school_id,), start=start, end=end)
    row = totals(scope)
    times = time_figures(scope)
    keys = (
        "requests",
        "done",
        "completion_rate",
        "response_on_time_rate",
        "resolution_on_time_rate",
        "rating_mean",
        "satisfaction_rate",
        "rated",
        "repeats",
        "repeat_rate",
        "cost",
        "cancelled",
    )
    return {
        "start": start,
        "end": end,
        **{key: row[key] for key in keys},
        "response_mean_minutes": times["response"]["mean"],
        "response_median_minutes": times["response"]["median"],
        "resolution_mean_minutes": times["resolution"]["mean"],
        "resolution_median_minutes": times["resolution"]["median"],
    }
