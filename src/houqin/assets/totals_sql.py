"""The SQL that keeps ``assets_assetregistertotal`` equal to the register.

Triggers on ``assets_asset`` add an inserted card to its row (school, status, category,
low-value flag), take a deleted card off it, and move a changed card from its old row to its
new one, in the writing transaction, on SQLite and PostgreSQL alike, so the services, imports,
the depreciation run and bulk loads are all covered. Money is kept in fen. A deleted card is
taken off by an update, never an insert: when a school's data is deleted at once the row may
be gone already. ``refill`` sums the register into the table again.
"""

from __future__ import annotations

from houqin.core.sqltriggers import TriggerSet, execute_atomically, run

__all__ = ["create_triggers", "drop_triggers", "refill", "refill_statements", "run"]

REGISTER = "assets_asset"
TOTALS = "assets_assetregistertotal"
KEYS = ("school_id", "status", "category_key", "is_low_value")
#: key or figure -> how a register row gives it ({row} is NEW., OLD. or empty).
VALUES = {
    "school_id": "{row}school_id",
    "status": "{row}status",
    "category_key": "{row}category_id",
    "is_low_value": "{row}is_low_value",
    "cards": "1",
    "quantity": "{row}quantity",
    "original_fen": "CAST(ROUND(COALESCE({row}original_value, 0) * 100) AS BIGINT)",
    "depreciation_fen": "CAST(ROUND(COALESCE({row}accumulated_depreciation, 0) * 100) AS BIGINT)",
}
FIGURES = ("cards", "quantity", "original_fen", "depreciation_fen")
#: The columns whose change moves a card between rows or changes its figures.
WATCHED = ("school_id", "status", "category_id", "is_low_value", "quantity", "original_value",
           "accumulated_depreciation")  # fmt: skip
TRIGGERS = ("assets_register_total_insert", "assets_register_total_delete",
            "assets_register_total_update")  # fmt: skip
FUNCTION = "assets_register_total_change"
SET = TriggerSet(REGISTER, FUNCTION, TRIGGERS, WATCHED)


def _value(name: str, row: str) -> str:
    return VALUES[name].replace("{row}", row)


def _add(vendor: str, row: str) -> str:
    names = [*KEYS, *FIGURES]
    prefix = f"{TOTALS}." if vendor == "postgresql" else ""
    updates = ", ".join(f"{f} = {prefix}{f} + excluded.{f}" for f in FIGURES)
    return (
        f"INSERT INTO {TOTALS} ({', '.join(names)}) "  # noqa: S608
        f"VALUES ({', '.join(_value(n, row) for n in names)}) "
        f"ON CONFLICT ({', '.join(KEYS)}) DO UPDATE SET {updates}"
    )


def _take(row: str) -> str:
    sets = ", ".join(f"{f} = {f} - {_value(f, row)}" for f in FIGURES)
    match = " AND ".join(f"{key} = {_value(key, row)}" for key in KEYS)
    return f"UPDATE {TOTALS} SET {sets} WHERE {match}"  # noqa: S608


def create_triggers(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return SET.postgresql(f"{_take('OLD.')}; ", f"{_add(vendor, 'NEW.')}; ")
    return [
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {REGISTER} "
        f"FOR EACH ROW BEGIN {_add(vendor, 'NEW.')}; END",
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON {REGISTER} "
        f"FOR EACH ROW BEGIN {_take('OLD.')}; END",
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF {', '.join(WATCHED)} ON {REGISTER} "
        f"FOR EACH ROW BEGIN {_take('OLD.')}; {_add(vendor, 'NEW.')}; END",
    ]


def drop_triggers(vendor: str) -> list[str]:
    return SET.drop(vendor)


def refill_statements() -> list[str]:
    """Empty the table and sum the register into it again."""
    names = [*KEYS, *FIGURES]
    sums = [f"SUM({_value(f, '')})" for f in FIGURES]
    keys = [_value(k, "") for k in KEYS]
    return [
        f"DELETE FROM {TOTALS}",  # noqa: S608
        f"INSERT INTO {TOTALS} ({', '.join(names)}) "  # noqa: S608
        f"SELECT {', '.join(keys + sums)} FROM {REGISTER} GROUP BY {', '.join(keys)}",
    ]


def refill(using: str = "default") -> None:
    """Recompute the register totals from the cards, in one transaction."""
    execute_atomically(lambda _vendor: refill_statements(), using)
