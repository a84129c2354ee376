"""The SQL that keeps the monthly consumption tables equal to the ledger.

Triggers on ``inventory_stockmovement`` add every inserted movement to its month's row per
department (every kind: the ledger's count comes from there too) and every consumption
movement to its rows per person and per item (and take a deleted one away) in the writing
transaction, on SQLite and on PostgreSQL alike, so bulk loads and the stock service are
covered the same way. ``refill`` recomputes the tables from the ledger (after a restore of
the ledger alone, or to check them).
"""

from __future__ import annotations

import datetime

from django.conf import settings

from houqin.core.sqltriggers import execute_atomically, run

__all__ = ["create_triggers", "drop_triggers", "refill", "refill_statements", "run"]

KINDS = ("issue", "print", "repair", "return")
LEDGER = "inventory_stockmovement"
#: table -> its key columns beyond (school_id, month, kind, department_key), and how a
#: ledger row gives them.
TABLES = {
    "inventory_departmentconsumption": {},
    "inventory_personconsumption": {"person_key": "COALESCE({row}person_id, 0)"},
    "inventory_itemconsumption": {"item_id": "{row}item_id"},
}
#: The table that counts movements of every kind (the others only consumption).
ALL_KINDS = "inventory_departmentconsumption"
TRIGGERS = ("inventory_consumption_insert", "inventory_consumption_delete")


def _kinds() -> str:
    return ", ".join(f"'{kind}'" for kind in KINDS)


def _zone_offset_minutes() -> int:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.TIME_ZONE)
    offset = zone.utcoffset(datetime.datetime(2026, 1, 1))
    return int(offset.total_seconds() // 60) if offset else 0


def month_sql(vendor: str, column: str) -> str:
    """The first day of the local month of the moment ``column``."""
    if vendor == "postgresql":
        return f"(date_trunc('month', {column} AT TIME ZONE '{settings.TIME_ZONE}'))::date"
    return f"date({column}, '{_zone_offset_minutes():+d} minutes', 'start of month')"


def _columns(table: str, row: str) -> tuple[list[str], list[str]]:
    names = ["school_id", "month", "kind", "department_key"]
    values = ["{row}school_id", "MONTH", "{row}kind", "COALESCE({row}department_id, 0)"]
    for name, value in TABLES[table].items():
        names.append(name)
        values.append(value)
    return names, [v.replace("{row}", row) for v in values]


def _upsert(vendor: str, table: str, row: str, sign: str) -> str:
    keys, values = _columns(table, row)
    values = [v.replace("MONTH", month_sql(vendor, f"{row}at")) for v in values]
    prefix = f"{table}." if vendor == "postgresql" else ""
    return (
        f"INSERT INTO {table} ({', '.join(keys)}, amount, quantity, movements) "  # noqa: S608
        f"VALUES ({', '.join(values)}, {sign}{row}amount, {sign}{row}quantity, {sign}1) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
        f"amount = {prefix}amount + excluded.amount, "
        f"quantity = {prefix}quantity + excluded.quantity, "
        f"movements = {prefix}movements + excluded.movements"
    )


def _subtract(table: str, row: str) -> str:
    """Take a deleted movement off its monthly row. An update, never an insert: when a whole
    school's data is deleted at once (a flush), the row or its department may be gone already."""
    keys, values = _columns(table, row)
    values = [v.replace("MONTH", month_sql("sqlite", f"{row}at")) for v in values]
    match = " AND ".join(f"{key} = {value}" for key, value in zip(keys, values, strict=True))
    return (
        f"UPDATE {table} SET amount = amount - {row}amount, "  # noqa: S608
        f"quantity = quantity - {row}quantity, movements = movements - 1 WHERE {match}"
    )


def create_triggers(vendor: str) -> list[str]:
    every = [ALL_KINDS]
    consumed = [table for table in TABLES if table != ALL_KINDS]
    if vendor == "postgresql":
        each = "".join(_upsert(vendor, table, "r.", "sign * ") + "; " for table in every)
        used = "".join(_upsert(vendor, table, "r.", "sign * ") + "; " for table in consumed)
        return [
            "CREATE OR REPLACE FUNCTION inventory_consumption_add() RETURNS trigger AS $$ "
            "DECLARE r record; sign integer; BEGIN "
            "IF TG_OP = 'DELETE' THEN r := OLD; sign := -1; ELSE r := NEW; sign := 1; END IF; "
            f"{each}IF r.kind IN ({_kinds()}) THEN {used}END IF; "
            "RETURN NULL; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT OR DELETE ON {LEDGER} "
            "FOR EACH ROW EXECUTE FUNCTION inventory_consumption_add()",
        ]
    statements = []
    for name, event, row, sign in (
        (TRIGGERS[0], "INSERT", "NEW.", ""),
        (TRIGGERS[1], "DELETE", "OLD.", "-"),
    ):
        for suffix, tables, when in (
            ("", every, ""),
            ("_consumed", consumed, f"WHEN {row}kind IN ({_kinds()}) "),
        ):
            if event == "DELETE":
                body = "".join(_subtract(table, row) + "; " for table in tables)
            else:
                body = "".join(_upsert(vendor, table, row, sign) + "; " for table in tables)
            statements.append(
                f"CREATE TRIGGER {name}{suffix} AFTER {event} ON {LEDGER} "
                f"FOR EACH ROW {when}BEGIN {body}END"
            )
    return statements


def drop_triggers(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TRIGGERS[0]} ON {LEDGER}",
            "DROP FUNCTION IF EXISTS inventory_consumption_add()",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {name}{suffix}"
        for name in TRIGGERS
        for suffix in ("", "_consumed")
    ]


def refill_statements(vendor: str) -> list[str]:
    """Empty the tables and sum the ledger into them again."""
    statements = []
    for table in TABLES:
        keys, values = _columns(table, "")
        values = [v.replace("MONTH", month_sql(vendor, "at")) for v in values]
        groups = ", ".join(str(n + 1) for n in range(len(keys)))
        where = "" if table == ALL_KINDS else f"WHERE kind IN ({_kinds()})"
        insert = (
            f"INSERT INTO {table} ({', '.join(keys)}, amount, quantity, movements) "  # noqa: S608
            f"SELECT {', '.join(values)}, SUM(amount), SUM(quantity), COUNT(*) "
            f"FROM {LEDGER} {where} GROUP BY {groups}"
        )
        statements += ["DELETE FROM " + table, insert]  # noqa: S608
    return statements


def refill(using: str = "default") -> None:
    """Recompute the monthly consumption tables from the ledger, in one transaction."""
    execute_atomically(refill_statements, using)
