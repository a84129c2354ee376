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

The counters behind the figures add up (``stats_counters``): every month the period takes
whole comes from ``WorkOrderMonthStat``, which triggers keep equal to the orders
(``stats_sql``); the days at the period's edges are counted live (``stats_source.Source``);
percentiles are read exactly inside the one bucket of the time histogram that holds them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Aggregate, Count, IntegerField, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from houqin.assets.models import Asset
from houqin.org.models import Building, Room, School

from .choices import OPEN_STATUSES, OrderStatus
from .models import RepairCategory, WorkOrder
from .stats_counters import CANCELLED, OPEN, reported_between
from .stats_counters import empty as empty_counters
from .stats_source import Source

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


def filtered_orders(scope: StatsScope) -> QuerySet[WorkOrder]:
    orders = WorkOrder.objects.filter(school_id__in=scope.school_ids)
    if scope.building_id is not None:
        orders = orders.filter(building_id=scope.building_id)
    if scope.category_id is not None:
        orders = orders.filter(category_id=scope.category_id)
    if scope.worker_id is not None:
        orders = orders.filter(assignee_id=scope.worker_id)
    return orders.order_by()


def period_condition(scope: StatsScope) -> Q:
    return reported_between(*scope.bounds())


def orders_in(scope: StatsScope, *, cancelled: bool = False) -> QuerySet[WorkOrder]:
    """The orders reported in the scope's period (without cancelled ones unless asked)."""
    orders = filtered_orders(scope).filter(period_condition(scope))
    if not cancelled:
        orders = orders.exclude(CANCELLED)
    return orders


def _rate(part: int | None, whole: int | None) -> float | None:
    """A percentage with one decimal, ``None`` when there is nothing to divide."""
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


def _minutes(seconds: float | int | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 60.0, 1)


def _mean(total: int | Decimal, count: int) -> float | None:
    return float(total) / count if count else None


def _core(c: dict[str, Any]) -> dict[str, Any]:
    """The figures shared by the totals and the per-school table, from counters."""
    return {
        "volume": c["volume"],
        "done": c["done"],
        "open": c["open"],
        "responded": c["responded"],
        "responded_on_time": c["responded_on_time"],
        "resolved": c["resolved"],
        "resolved_on_time": c["resolved_on_time"],
        "response_mean": _mean(c["response_sum"], c["response_count"]),
        "resolution_mean": _mean(c["resolution_sum"], c["resolution_count"]),
        "rated": c["rated"],
        "rating_mean": _mean(c["rating_sum"], c["rated"]),
        "rated_good": c["stars_4"] + c["stars_5"],
        "repeat_faults": c["repeat_faults"],
        "cost": c["cost"],
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


def time_figures(scope: StatsScope, source: Source | None = None) -> dict[str, dict[str, Any]]:
    """Response and repair times: count, mean, median and 90th percentile, in minutes."""
    source = source or Source(scope)
    total = source.total
    result: dict[str, dict[str, Any]] = {}
    for name, column in TIMES.items():
        count = total[f"{name}_count"]
        values: dict[int, int | None] = dict.fromkeys(PERCENTILES)
        if count:
            histogram = source.histogram(column)
            for percent in PERCENTILES:
                values[percent] = source.nth(column, histogram, nearest_rank(percent, count))
        result[name] = {
            "count": count,
            "mean": _minutes(_mean(total[f"{name}_sum"], count)),
            "median": _minutes(values[50]),
            "p90": _minutes(values[90]),
        }
    return result


# -- totals and breakdowns ------------------------------------------------------------------


def totals(scope: StatsScope, source: Source | None = None) -> dict[str, Any]:
    """Requests, done, open, on-time rates, satisfaction, repeats and cost of the period."""
    counters = (source or Source(scope)).total
    return _derive({"cancelled": counters["cancelled"], **_core(counters)})


def _category_label(name: str, name_en: str) -> str:
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name


def by_category(scope: StatsScope, source: Source | None = None) -> list[dict[str, Any]]:
    """Requests, done, repair-time mean and cost per repair category, largest first."""
    found = {k: c for k, c in (source or Source(scope)).categories.items() if c["volume"]}
    categories = {
        row["pk"]: row
        for row in RepairCategory.objects.filter(pk__in=list(found)).values(
            "pk", "name", "name_en", "sort_order"
        )
    }
    ordered = sorted(
        found.items(), key=lambda item: (-item[1]["volume"], categories[item[0]]["sort_order"])
    )
    return [
        {
            "category_id": pk,
            "label": _category_label(categories[pk]["name"], categories[pk]["name_en"]),
            "requests": c["volume"],
            "done": c["done"],
            "resolution_mean_minutes": _minutes(_mean(c["resolution_sum"], c["resolution_count"])),
            "cost": c["cost"],
        }
        for pk, c in ordered
    ]


def by_building(scope: StatsScope, source: Source | None = None) -> list[dict[str, Any]]:
    """Requests, done, repeats and cost per building, largest first."""
    found = {k: c for k, c in (source or Source(scope)).buildings.items() if c["volume"]}
    names = dict(Building.objects.filter(pk__in=[k for k in found if k]).values_list("pk", "name"))
    ordered = sorted(found.items(), key=lambda item: (-item[1]["volume"], names.get(item[0], "")))
    return [
        {
            "building_id": pk,
            "label": names.get(pk) or _("No building"),
            "requests": c["volume"],
            "done": c["done"],
            "repeats": c["repeat_faults"],
            "cost": c["cost"],
        }
        for pk, c in ordered
    ]


def by_month(scope: StatsScope, source: Source | None = None) -> list[dict[str, Any]]:
    """Per calendar month (Asia/Shanghai): requests, done and the on-time rates."""
    months = (source or Source(scope)).months
    return [
        {
            "month": month,
            "requests": c["volume"],
            "done": c["done"],
            "response_on_time_rate": _rate(c["responded_on_time"], c["responded"]),
            "resolution_on_time_rate": _rate(c["resolved_on_time"], c["resolved"]),
            "cost": c["cost"],
        }
        for month, c in sorted(months.items())
        if c["volume"]
    ]


def satisfaction(scope: StatsScope, source: Source | None = None) -> dict[str, Any]:
    """Mean rating, share of 4–5 stars, the number rated and how many got each star."""
    c = (source or Source(scope)).total
    good = c["stars_4"] + c["stars_5"]
    mean = _mean(c["rating_sum"], c["rated"])
    return {
        "rated": c["rated"],
        "mean": None if mean is None else round(mean, 2),
        "good": good,
        "rate": _rate(good, c["rated"]),
        "distribution": [{"stars": n, "count": c[f"stars_{n}"]} for n in range(1, 6)],
    }


def _room_label(building: str | None, number: str, name: str) -> str:
    """教学楼A A205 初二(5)班; a name that only repeats the room number is left out
    (男生宿舍楼 1-302, not 男生宿舍楼 1-302 男生宿舍 302)."""
    parts = [building or "", number]
    if name and number.rsplit("-", 1)[-1] not in name:
        parts.append(name)
    return " ".join(part for part in parts if part)


#: Rows read beyond the top ones, so that ties at the edge are ordered by name.
TIES = 5


def _top(grouped: QuerySet[Any], key: str, limit: int) -> list[dict[str, Any]]:
    """The rows that can be in the top ``limit`` by ``repeat_faults``, ranked by the database:
    the first ``TIES × limit`` and, of those, every one tied with the last of the top. Only
    these are named and ordered by name; a district's thousands of rooms are not read."""
    rows = [dict(row) for row in grouped.order_by("-repeat_faults", key)[: limit * TIES]]
    edge = rows[limit - 1]["repeat_faults"] if len(rows) >= limit else 0
    return [row for row in rows if row["repeat_faults"] >= edge]


def _named(model: Any, keys: list[int], *fields: str) -> dict[int, dict[str, Any]]:
    """``fields`` and the school's name of the objects ``keys``, in one query (also when
    there are none, so that a page runs the same queries whatever its data)."""
    found = model.objects.filter(pk__in=keys) if keys else model.objects.filter(pk__isnull=True)
    return {row["pk"]: row for row in found.values("pk", "school__name", *fields)}


def repeats_by_room(scope: StatsScope, limit: int = TOP) -> list[dict[str, Any]]:
    """Rooms with the most repeat faults (orders linked to an earlier one), top ``limit``.
    The orders are counted per room alone (the repeat index); rooms are named afterwards,
    and only the rooms shown have their distinct categories counted (counted for every
    room, they cost a district a sort of all its repeat orders)."""
    repeats = orders_in(scope).filter(repeat_of__isnull=False, room__isnull=False)
    counted = repeats.values("room_id").annotate(repeat_faults=Count("*"))
    candidates = _top(counted, "room_id", limit)
    rooms = _named(Room, [row["room_id"] for row in candidates], "number", "name", "building__name")
    candidates.sort(
        key=lambda row: (
            -row["repeat_faults"],
            rooms[row["room_id"]]["building__name"] or "",
            rooms[row["room_id"]]["number"],
        )
    )
    shown = candidates[:limit]
    # one query also when no room is shown, so that the page's queries stay the same
    ids = [row["room_id"] for row in shown]
    categories = dict(
        repeats.filter(room_id__in=ids if ids else [0])
        .values_list("room_id")
        .annotate(n=Count("category_id", distinct=True))
        .order_by()
    )
    schools = len(scope.school_ids) > 1
    return [
        {
            "room_id": row["room_id"],
            "label": _room_label(room["building__name"], room["number"], room["name"]),
            "school": room["school__name"] if schools else "",
            "repeats": row["repeat_faults"],
            "categories": categories.get(row["room_id"], 0),
        }
        for row in shown
        for room in [rooms[row["room_id"]]]
    ]


def repeats_by_asset(scope: StatsScope, limit: int = TOP) -> list[dict[str, Any]]:
    """Assets with the most repeat faults, top ``limit`` (counted per asset alone)."""
    counted = (
        orders_in(scope)
        .filter(repeat_of__isnull=False, asset__isnull=False)
        .values("asset_id")
        .annotate(repeat_faults=Count("*"))
    )
    candidates = _top(counted, "asset_id", limit)
    assets = _named(Asset, [row["asset_id"] for row in candidates], "code", "name")
    candidates.sort(key=lambda row: (-row["repeat_faults"], assets[row["asset_id"]]["code"]))
    schools = len(scope.school_ids) > 1
    return [
        {
            "asset_id": row["asset_id"],
            "label": f"{asset['code']} {asset['name']}",
            "school": asset["school__name"] if schools else "",
            "repeats": row["repeat_faults"],
        }
        for row in candidates[:limit]
        for asset in [assets[row["asset_id"]]]
    ]


def workload(scope: StatsScope, source: Source | None = None) -> list[dict[str, Any]]:
    """Per worker: orders done in the period, open now (whenever reported), mean repair time
    and mean rating of the period's orders: the period's counters per worker, the open
    orders by the status index, merged per worker."""
    period = {k: c for k, c in (source or Source(scope)).workers.items() if c["volume"]}
    mine = filtered_orders(scope).filter(assignee__isnull=False)
    open_now = dict(mine.filter(OPEN).values_list("assignee_id").annotate(n=Count("pk")).order_by())
    people = {
        row["pk"]: row
        for row in get_user_model()
        .objects.filter(pk__in=[*period, *open_now])
        .values("pk", "real_name", "username")
    }
    rows = []
    for pk in {*period, *open_now}:
        c = period.get(pk) or empty_counters()
        rows.append((pk, c, open_now.get(pk, 0), people[pk]))
    rows.sort(key=lambda r: (-r[1]["done"], -r[2], r[3]["real_name"] or ""))
    result = []
    for pk, c, open_count, person in rows:
        rating = _mean(c["rating_sum"], c["rated"])
        result.append(
            {
                "worker_id": pk,
                "label": person["real_name"] or person["username"],
                "assigned": c["volume"],
                "done": c["done"],
                "open_now": open_count,
                "resolution_mean_minutes": _minutes(
                    _mean(c["resolution_sum"], c["resolution_count"])
                ),
                "rating_mean": None if rating is None else round(rating, 2),
                "rated": c["rated"],
                "labour_hours": round((c["labour_minutes"] or 0) / 60.0, 1),
            }
        )
    return result


def backlog(scope: StatsScope) -> dict[str, Any]:
    """Open orders now, whenever reported: by status, overdue for a response or a repair.

    Three small queries (counts per status, then each kind of overdue in its own WHERE)
    rather than one aggregate with ``FILTER (WHERE … < %s)``: SQLite plans an aggregate that
    carries bound parameters over the open statuses as a full scan."""
    now = scope.now
    open_now = filtered_orders(scope).filter(OPEN)
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


def per_school(scope: StatsScope, source: Source | None = None) -> list[dict[str, Any]]:
    """The period's figures of every school side by side, with what is open now."""
    period = (source or Source(scope)).schools
    now_rows = (
        filtered_orders(scope)
        .filter(OPEN)
        .values("school_id")
        .annotate(
            open_now=Count("pk"),
            overdue_now=Count("pk", filter=Q(resolve_due__lt=scope.now)),
        )
        .order_by()
    )
    now = {row["school_id"]: row for row in now_rows}
    shown = [pk for pk in {*period, *now} if (period.get(pk) or {}).get("volume") or pk in now]
    names = dict(School.objects.filter(pk__in=shown).values_list("pk", "name"))
    rows = []
    for pk in sorted(shown, key=lambda pk: names[pk]):
        c = period.get(pk) or empty_counters()
        live: dict[str, Any] = dict(now.get(pk) or {})
        rows.append(
            {
                **_derive({"school_id": pk, **_core(c)}),
                "open_now": live.get("open_now", 0),
                "overdue_now": live.get("overdue_now", 0),
                "school_id": pk,
                "school__name": names[pk],
                "label": names[pk],
            }
        )
    return rows


def dashboard_figures(scope: StatsScope) -> dict[str, Any]:
    """Everything the dashboard shows, in a constant number of queries. Several schools
    (the bureau) are compared school by school: their buildings and workers are each
    school's own business, shown once a school is chosen (and in the workbook)."""
    source = Source(scope)
    several = len(scope.school_ids) > 1
    figures: dict[str, Any] = {
        "totals": totals(scope, source),
        "times": time_figures(scope, source),
        "months": by_month(scope, source),
        "categories": by_category(scope, source),
        "buildings": [] if several else by_building(scope, source),
        "satisfaction": satisfaction(scope, source),
        "repeat_rooms": repeats_by_room(scope),
        "repeat_assets": repeats_by_asset(scope),
        "workers": [] if several else workload(scope, source),
        "backlog": backlog(scope),
        "several": several,
    }
    if several:
        figures["schools"] = per_school(scope, source)
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
