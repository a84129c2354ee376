"""The SQL that keeps the monthly paper tables equal to the finished print jobs.

Triggers on ``printing_printjob`` add a job that is done or collected to its month's rows
(per department and per purpose), take a deleted one off them, and move a changed job from
its old rows to its new ones (a job finished, its sheets corrected, or taken back), in the
writing transaction, on SQLite and PostgreSQL alike. A job is taken off by an update, never
an insert: when a school's data is deleted at once its rows may be gone already. ``refill``
sums the jobs into the tables again.
"""

from __future__ import annotations

from typing import Any

from houqin.core.sqltriggers import TriggerSet, execute_atomically, run
from houqin.inventory.consumption_sql import month_sql

__all__ = ["create_triggers", "drop_triggers", "refill", "refill_statements", "run"]

JOBS = "printing_printjob"
FINISHED = ("done", "collected")
#: table -> its key column beyond (school_id, month), and how a job gives it.
TABLES = {
    "printing_departmentpaper": ("department_key", "{row}department_id"),
    "printing_purposepaper": ("purpose", "{row}purpose"),
}
SHEETS = "(COALESCE({row}sheets_used, {row}sheets_estimated, 0) + {row}spoiled_sheets)"
#: figure -> how a job gives it.
FIGURES = {
    "jobs": "1",
    "sheets": SHEETS,
    "spoiled": "{row}spoiled_sheets",
    "colour_sheets": f"CASE WHEN {{row}}colour THEN {SHEETS} ELSE 0 END",
}
#: The columns whose change moves a job between rows or changes its figures.
WATCHED = ("school_id", "status", "done_at", "department_id", "purpose", "colour",
           "sheets_used", "sheets_estimated", "spoiled_sheets")  # fmt: skip
TRIGGERS = ("printing_paper_insert", "printing_paper_delete", "printing_paper_update_old",
            "printing_paper_update_new")  # fmt: skip
FUNCTION = "printing_paper_change"
SET = TriggerSet(JOBS, FUNCTION, TRIGGERS, WATCHED)


def counts(row: str) -> str:
    """The condition under which a job's paper counts (``row``: ``NEW.``, ``OLD.`` or '')."""
    statuses = ", ".join(f"'{status}'" for status in FINISHED)
    return f"{row}status IN ({statuses}) AND {row}done_at IS NOT NULL"


def _keys(vendor: str, table: str, row: str) -> tuple[list[str], list[str]]:
    column, value = TABLES[table]
    return (
        ["school_id", "month", column],
        [f"{row}school_id", month_sql(vendor, f"{row}done_at"), value.replace("{row}", row)],
    )


def _figures(row: str) -> list[str]:
    return [value.replace("{row}", row) for value in FIGURES.values()]


def _add(vendor: str, table: str, row: str) -> str:
    keys, values = _keys(vendor, table, row)
    prefix = f"{table}." if vendor == "postgresql" else ""
    updates = ", ".join(f"{name} = {prefix}{name} + excluded.{name}" for name in FIGURES)
    return (
        f"INSERT INTO {table} ({', '.join([*keys, *FIGURES])}) "  # noqa: S608
        f"VALUES ({', '.join([*values, *_figures(row)])}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )


def _take(vendor: str, table: str, row: str) -> str:
    keys, values = _keys(vendor, table, row)
    sets = ", ".join(
        f"{name} = {name} - {value}" for name, value in zip(FIGURES, _figures(row), strict=True)
    )
    match = " AND ".join(f"{key} = {value}" for key, value in zip(keys, values, strict=True))
    return f"UPDATE {table} SET {sets} WHERE {match}"  # noqa: S608


def _each(make: Any, vendor: str, row: str) -> str:
    return "".join(make(vendor, table, row) + "; " for table in TABLES)


def create_triggers(vendor: str) -> list[str]:
    watched = ", ".join(WATCHED)
    if vendor == "postgresql":
        return SET.postgresql(
            f"IF {counts('OLD.')} THEN {_each(_take, vendor, 'OLD.')}END IF; ",
            f"IF {counts('NEW.')} THEN {_each(_add, vendor, 'NEW.')}END IF; ",
        )
    return [
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {JOBS} "
        f"FOR EACH ROW WHEN {counts('NEW.')} BEGIN {_each(_add, vendor, 'NEW.')}END",
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON {JOBS} "
        f"FOR EACH ROW WHEN {counts('OLD.')} BEGIN {_each(_take, vendor, 'OLD.')}END",
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF {watched} ON {JOBS} "
        f"FOR EACH ROW WHEN {counts('OLD.')} BEGIN {_each(_take, vendor, 'OLD.')}END",
        f"CREATE TRIGGER {TRIGGERS[3]} AFTER UPDATE OF {watched} ON {JOBS} "
        f"FOR EACH ROW WHEN {counts('NEW.')} BEGIN {_each(_add, vendor, 'NEW.')}END",
    ]


def drop_triggers(vendor: str) -> list[str]:
    return SET.drop(vendor)


def refill_statements(vendor: str) -> list[str]:
    """Empty the tables and sum the finished jobs into them again."""
    statements = []
    for table in TABLES:
        keys, values = _keys(vendor, table, "")
        sums = [f"SUM({value})" for value in _figures("")]
        statements += [
            f"DELETE FROM {table}",  # noqa: S608
            f"INSERT INTO {table} ({', '.join([*keys, *FIGURES])}) "  # noqa: S608
            f"SELECT {', '.join([*values, *sums])} FROM {JOBS} WHERE {counts('')} "
            "GROUP BY 1, 2, 3",
        ]
    return statements


def refill(using: str = "default") -> None:
    """Recompute the monthly paper tables from the jobs, in one transaction."""
    execute_atomically(refill_statements, using)
