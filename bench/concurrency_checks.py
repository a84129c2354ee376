"""The invariants the concurrency test checks afterwards, in SQL (see ``bench.concurrency``).

Each check gives ``ok`` (the data is consistent) and ``complete`` (every piece of work that
could succeed did: a server error under load leaves work undone without breaking the data).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bench.reliability import number_problems, sql

STOCK = 20
PRICE = Decimal("500.00")
BUDGET = Decimal("10000.00")
DOCUMENTS_EACH = 3


def tally(outcomes: list[tuple[str, int, float]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for kind, status, _ms in outcomes:
        bucket = counts.setdefault(kind, {})
        bucket[str(status)] = bucket.get(str(status), 0) + 1
    return counts


def check_stock(world: dict[str, Any], counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    item = (world["item"],)
    quantity = sql("SELECT quantity FROM inventory_stockitem WHERE id = %s", item)[0][0]
    moved = sql(
        "SELECT COALESCE(SUM(quantity), 0) FROM inventory_stockmovement WHERE item_id = %s", item
    )[0][0]
    issued = -sql(
        "SELECT COALESCE(SUM(quantity), 0) FROM inventory_stockmovement "
        "WHERE item_id = %s AND kind = 'issue'",
        item,
    )[0][0]
    negative = sql(
        "SELECT COUNT(*) FROM inventory_stockmovement WHERE item_id = %s AND balance < 0", item
    )[0][0]
    found = {
        "available": STOCK,
        "issues_accepted": counts.get("issue", {}).get("200", 0),
        "issued": float(issued),
        "stock_after": float(quantity),
        "sum_of_movements": float(moved),
        "negative_balances": negative,
    }
    found["ok"] = quantity >= 0 and quantity == moved and issued <= STOCK and not negative
    found["complete"] = issued == STOCK and found["issues_accepted"] == STOCK
    return found


def check_budget(world: dict[str, Any], counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    line = (world["budget_line"],)
    amount, committed, spent = sql(
        "SELECT amount, committed, spent FROM finance_budgetline WHERE id = %s", line
    )[0]
    entries = dict(
        sql(
            "SELECT kind, SUM(amount) FROM finance_budgetentry WHERE line_id = %s GROUP BY kind",
            line,
        )
    )
    zero = Decimal(0)
    from_entries = (
        entries.get("commit", zero) - entries.get("release", zero) - entries.get("spend", zero)
    )
    approved = counts.get("budget", {}).get("200", 0)
    found = {
        "budget": float(amount),
        "committed": float(committed),
        "spent": float(spent),
        "committed_from_entries": float(from_entries),
        "approvals_accepted": approved,
        "approvals_refused": sum(v for k, v in counts.get("budget", {}).items() if k != "200"),
    }
    found["ok"] = (
        committed + spent <= amount and committed == from_entries and committed == approved * PRICE
    )
    found["complete"] = approved == int(BUDGET / PRICE)
    return found


def check_twins(world: dict[str, Any], counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    ids = tuple(pk for pk, _tokens in world["twin_approvals"])
    marks = ",".join(["%s"] * len(ids))
    decisions = sql(
        "SELECT request_id, step_id, COUNT(*) FROM approvals_approvalaction "
        f"WHERE request_id IN ({marks}) "
        "AND action IN ('approve', 'reject', 'return') GROUP BY request_id, step_id",
        ids,
    )
    steps = sql(
        "SELECT request_id, COUNT(*) FROM approvals_approvalrequeststep "
        f"WHERE request_id IN ({marks}) AND acted_by_id IS NOT NULL GROUP BY request_id",
        ids,
    )
    doubled = sum(1 for _r, _s, n in decisions if n > 1)
    accepted = counts.get("twin", {}).get("200", 0)
    found = {
        "shared_steps": len(ids),
        "with_two_distinct_approvers": world["twin_distinct_deciders"],
        "decisions_accepted": accepted,
        "decisions_refused": sum(v for k, v in counts.get("twin", {}).items() if k != "200"),
        "steps_decided_twice": doubled,
        "requests_fully_decided": sum(1 for _r, n in steps if n >= 1),
    }
    found["ok"] = not doubled and accepted <= len(ids)
    found["complete"] = accepted == len(ids)
    return found


def check_numbers(world: dict[str, Any], numbers: list[str], clients: int) -> dict[str, Any]:
    school, base = world["school"], world["baseline"]
    found: dict[str, Any] = {}
    for table_name in ("maintenance_repairrequest", "inventory_requisition"):
        found[table_name] = number_problems(
            table_name, "school_id = %s AND id > %s", (school, base[table_name])
        )
        found[table_name]["created"] = sql(
            f"SELECT COUNT(*) FROM {table_name} WHERE school_id = %s AND id > %s",
            (school, base[table_name]),
        )[0][0]
    found["answered_numbers"] = len(numbers)
    found["answered_distinct"] = len(set(numbers))
    expected = clients * DOCUMENTS_EACH
    tables = ("maintenance_repairrequest", "inventory_requisition")
    found["ok"] = len(numbers) == len(set(numbers)) and all(
        not found[t]["duplicates"] and not found[t]["gaps"] for t in tables
    )
    found["complete"] = len(numbers) == 2 * expected and all(
        found[t]["created"] == expected for t in tables
    )
    return found
