"""The SQL that keeps the monthly repair statistics (``WorkOrderMonthStat``) equal to the
work orders.

Triggers on ``maintenance_workorder`` add a new order's counters to its month's rows (the
month as a whole, its category, building and worker, and the buckets of its response and
repair times), take a deleted order off them, and move a changed order from its old rows to
its new ones, in the writing transaction, on SQLite and PostgreSQL alike. Every month, the
current one too, is then read from the table; only the days at a period's edges are counted
from the orders. An order is taken off by an update, never an insert: when a school's data
is deleted at once its rows may be gone already. ``refill_statements`` sums one school's
orders (or every school's) into the table again, as a bulk load or the nightly check needs.
"""

from __future__ import annotations

from collections.abc import Callable

from houqin.core.sqltriggers import TriggerSet, execute_atomically, run
from houqin.inventory.consumption_sql import month_sql

from .choices import DONE_STATUSES, OPEN_STATUSES, OrderStatus
from .stats_counters import BOUNDS, COUNTERS, STARS

__all__ = ["create_triggers", "drop_triggers", "refill", "refill_statements", "run"]

ORDERS = "maintenance_workorder"
STATS = "maintenance_workordermonthstat"
TRIGGERS = ("maintenance_stats_insert", "maintenance_stats_delete", "maintenance_stats_update")
FUNCTION = "maintenance_stats_change"
#: The columns whose change moves an order between rows or changes its counters.
WATCHED = ("school_id", "reported_at", "status", "category_id", "building_id", "assignee_id",
           "responded_on_time", "resolved_on_time", "response_seconds", "resolution_seconds",
           "rating", "repeat_of_id", "total_cost", "labour_minutes")  # fmt: skip
SET = TriggerSet(ORDERS, FUNCTION, TRIGGERS, WATCHED)


def _statuses(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


LIVE = f"{{row}}status <> '{OrderStatus.CANCELLED}'"


def _when(condition: str, then: str = "1") -> str:
    return f"CASE WHEN {condition} THEN {then} ELSE 0 END"


#: counter -> what one order adds to it (``{row}``: ``NEW.``, ``OLD.`` or '').
COUNTER_SQL: dict[str, str] = {
    "volume": _when(LIVE),
    "cancelled": _when(f"{{row}}status = '{OrderStatus.CANCELLED}'"),
    "done": _when(f"{{row}}status IN ({_statuses(DONE_STATUSES)})"),
    "open": _when(f"{{row}}status IN ({_statuses(OPEN_STATUSES)})"),
    "responded": _when(f"{LIVE} AND {{row}}responded_on_time IS NOT NULL"),
    "responded_on_time": _when(f"{LIVE} AND {{row}}responded_on_time IS TRUE"),
    "resolved": _when(f"{LIVE} AND {{row}}resolved_on_time IS NOT NULL"),
    "resolved_on_time": _when(f"{LIVE} AND {{row}}resolved_on_time IS TRUE"),
    "response_count": _when(f"{LIVE} AND {{row}}response_seconds IS NOT NULL"),
    "response_sum": _when(LIVE, "COALESCE({row}response_seconds, 0)"),
    "resolution_count": _when(f"{LIVE} AND {{row}}resolution_seconds IS NOT NULL"),
    "resolution_sum": _when(LIVE, "COALESCE({row}resolution_seconds, 0)"),
    "rated": _when(f"{LIVE} AND {{row}}rating IS NOT NULL"),
    "rating_sum": _when(LIVE, "COALESCE({row}rating, 0)"),
    **{f"stars_{n}": _when(f"{LIVE} AND {{row}}rating = {n}") for n in STARS},
    "repeat_faults": _when(f"{LIVE} AND {{row}}repeat_of_id IS NOT NULL"),
    "cost": _when(LIVE, "{row}total_cost"),
    "labour_minutes": _when(LIVE, "{row}labour_minutes"),
}
assert set(COUNTER_SQL) == set(COUNTERS)


def _bucket(column: str, low: int = 0, high: int = len(BOUNDS)) -> str:
    """The bucket of a known time as nested halvings (``stats_counters.bucket_of`` in SQL)."""
    if low == high:
        return str(low)
    middle = (low + high) // 2
    return (
        f"CASE WHEN {column} < {BOUNDS[middle]} THEN {_bucket(column, low, middle)} "
        f"ELSE {_bucket(column, middle + 1, high)} END"
    )


def _dims() -> dict[str, tuple[str, str, dict[str, str]]]:
    """dimension -> (its key, the condition an order has a row there, its counters)."""
    histogram = dict.fromkeys(COUNTERS, "0") | {"volume": "1"}
    found = {
        "": ("0", "1 = 1", COUNTER_SQL),
        "c": ("COALESCE({row}category_id, 0)", "1 = 1", COUNTER_SQL),
        "b": ("COALESCE({row}building_id, 0)", "1 = 1", COUNTER_SQL),
        "w": ("{row}assignee_id", "{row}assignee_id IS NOT NULL", COUNTER_SQL),
    }
    for column, dim in (("response_seconds", "r"), ("resolution_seconds", "s")):
        known = f"{LIVE} AND {{row}}{column} IS NOT NULL"
        found[dim] = (_bucket(f"{{row}}{column}"), known, histogram)
    return found


DIMS = _dims()
KEYS = ("school_id", "month", "dim", "key")


def _now(vendor: str) -> str:
    return "now()" if vendor == "postgresql" else "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def _values(vendor: str, dim: str, row: str) -> tuple[list[str], str, list[str]]:
    """(key values, condition, counter values) of an order's row in ``dim``."""
    key, condition, counters = DIMS[dim]
    keys = [f"{row}school_id", month_sql(vendor, f"{row}reported_at"), f"'{dim}'", key]
    values = [counters[name] for name in COUNTERS]
    return (
        [value.replace("{row}", row) for value in keys],
        condition.replace("{row}", row),
        [value.replace("{row}", row) for value in values],
    )


def _add(vendor: str, dim: str, row: str) -> str:
    keys, condition, values = _values(vendor, dim, row)
    prefix = f"{STATS}." if vendor == "postgresql" else ""
    updates = ", ".join(f"{name} = {prefix}{name} + excluded.{name}" for name in COUNTERS)
    columns = ", ".join([*KEYS, *COUNTERS, "refreshed_at"])
    return (
        f"INSERT INTO {STATS} ({columns}) "
        f"SELECT {', '.join([*keys, *values, _now(vendor)])} WHERE {condition} "
        f"ON CONFLICT ({', '.join(KEYS)}) DO UPDATE SET {updates}, "
        "refreshed_at = excluded.refreshed_at"
    )


def _take(vendor: str, dim: str, row: str) -> str:
    keys, condition, values = _values(vendor, dim, row)
    pairs = zip(COUNTERS, values, strict=True)
    sets = ", ".join(f"{name} = {name} - {value}" for name, value in pairs)
    match = " AND ".join(f"{name} = {value}" for name, value in zip(KEYS, keys, strict=True))
    return (
        f"UPDATE {STATS} SET {sets}, refreshed_at = {_now(vendor)} "  # noqa: S608
        f"WHERE {match} AND {condition}"
    )


def _each(make: Callable[[str, str, str], str], vendor: str, row: str) -> str:
    return "".join(make(vendor, dim, row) + "; " for dim in DIMS)


def _changed(vendor: str) -> str:
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in WATCHED)


def create_triggers(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return SET.postgresql(
            _each(_take, vendor, "OLD."), _each(_add, vendor, "NEW."), _changed(vendor)
        )
    return [
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {ORDERS} "
        f"FOR EACH ROW BEGIN {_each(_add, vendor, 'NEW.')}END",
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON {ORDERS} "
        f"FOR EACH ROW BEGIN {_each(_take, vendor, 'OLD.')}END",
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF {', '.join(WATCHED)} ON {ORDERS} "
        f"FOR EACH ROW WHEN {_changed(vendor)} BEGIN "
        f"{_each(_take, vendor, 'OLD.')}{_each(_add, vendor, 'NEW.')}END",
    ]


def drop_triggers(vendor: str) -> list[str]:
    return SET.drop(vendor)


def refill_statements(vendor: str, school_id: int | None = None) -> list[str]:
    """Empty the rows (of one school) and sum the orders into them again. On PostgreSQL the
    orders are locked against changes meanwhile, so that none is missed or counted twice."""
    mine = "1 = 1" if school_id is None else f"school_id = {int(school_id)}"
    statements = []
    if vendor == "postgresql":
        statements.append(f"LOCK TABLE {ORDERS} IN SHARE MODE")
    statements.append(f"DELETE FROM {STATS} WHERE {mine}")  # noqa: S608
    columns = ", ".join([*KEYS, *COUNTERS, "refreshed_at"])
    for dim in DIMS:
        keys, condition, values = _values(vendor, dim, "")
        sums = [f"SUM({value})" for value in values]
        statements.append(
            f"INSERT INTO {STATS} ({columns}) "  # noqa: S608
            f"SELECT {', '.join([*keys, *sums, _now(vendor)])} FROM {ORDERS} "
            f"WHERE {mine} AND {condition} GROUP BY 1, 2, 3, 4"
        )
    return statements


def refill(school_id: int | None = None, using: str = "default") -> None:
    """Recompute the statistics rows (of one school) from the orders, in one transaction."""
    execute_atomically(lambda vendor: refill_statements(vendor, school_id), using)
