"""The budget book both money parts write into, and the ledger written from it.

Every money event on a budget line (commit, release, spend, refund, adjust) goes into the book
with its time; ``write_ledger`` writes the entries in time order with the running totals after
each, and the lines with their totals, so a line's totals are always the sum of its entries. A
line's first approved amount is its plan, raised to whole thousands where the history needed
more: no commitment, and no reduction, would have been refused under the blocking policy.
Written again by each part that adds events (the entries of the book's schools are replaced).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.db import connection

from houqin.finance.models import BudgetEntry, BudgetLine

from .base import Ctx

THOUSAND = Decimal("1000")

# (time, order, kind, amount, headroom needed, (actor, source type, source id, reference, note))
Event = tuple[datetime.datetime, int, str, Decimal, Decimal, tuple[Any, ...]]


@dataclass(slots=True)
class Line:
    id: int
    school_id: int
    year_id: int
    department_id: int
    category: str
    planned: Decimal
    created_at: datetime.datetime
    events: list[Event] = field(default_factory=list)


@dataclass
class Book:
    """The budget lines of the generated schools and every money event on them."""

    lines: dict[int, Line] = field(default_factory=dict)
    serial: int = 0
    written: bool = False

    def add(
        self,
        line_id: int,
        at: datetime.datetime,
        kind: str,
        amount: Decimal,
        *,
        headroom: Decimal = Decimal("0"),
        actor: int | None = None,
        source: tuple[str, int | None, str] = ("", None, ""),
        note: str = "",
    ) -> None:
        """A money event (``kind`` commit, release, spend, refund, adjust) or, with kind
        ``check``, a moment that needed ``headroom`` available (a submission)."""
        self.serial += 1
        meta = (actor, source[0], source[1], source[2][:60], note[:300])
        self.lines[line_id].events.append((at, self.serial, kind, amount, headroom, meta))


def _initial(line: Line) -> Decimal:
    """The plan, or what the history needed at its peak (whole thousands) when that is more."""
    committed = spent = adjusted = need = Decimal("0")
    for _at, _n, kind, amount, headroom, _meta in line.events:
        if kind == "commit":
            committed += amount
        elif kind == "release":
            committed -= min(amount, committed)
        elif kind == "spend":
            spent += amount
        elif kind == "refund":
            spent -= min(amount, spent)
        elif kind == "adjust":
            adjusted += amount
        need = max(need, committed + spent - adjusted + headroom)
    raised = (need / THOUSAND).to_integral_value(rounding=ROUND_CEILING) * THOUSAND
    return max(line.planned, raised)


def write_ledger(ctx: Ctx) -> None:
    """Write (again) every entry of the book in time order with its running totals, and the
    lines with their amounts and totals."""
    book: Book = ctx.shared["budget_book"]
    schools = sorted({line.school_id for line in book.lines.values()})
    if book.written and schools:
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(schools))
            cursor.execute(f"DELETE FROM finance_budgetentry WHERE school_id IN ({marks})", schools)
    totals: dict[int, tuple[Decimal, Decimal, Decimal, Decimal, datetime.datetime]] = {}

    def entries() -> Iterator[dict[str, Any]]:
        for line in book.lines.values():
            line.events.sort(key=lambda event: (event[0], event[1]))
            initial = _initial(line)
            committed = spent = Decimal("0")
            budget = initial
            last = line.created_at
            for at, _n, kind, amount, _headroom, meta in line.events:
                if kind == "check":
                    continue
                if kind == "commit":
                    committed += amount
                elif kind == "release":
                    amount = min(amount, committed)
                    committed -= amount
                elif kind == "spend":
                    spent += amount
                elif kind == "refund":
                    amount = min(amount, spent)
                    spent -= amount
                else:
                    budget += amount
                if amount == 0:
                    continue
                last = at
                actor, source_type, source_id, reference, note = meta
                yield {
                    "school_id": line.school_id,
                    "line_id": line.id,
                    "kind": kind,
                    "amount": amount,
                    "committed_after": committed,
                    "spent_after": spent,
                    "budget_after": budget,
                    "source_type": source_type,
                    "source_id": source_id,
                    "reference": reference,
                    "note": note,
                    "actor_id": actor,
                    "at": at,
                }
            totals[line.id] = (budget, initial, committed, spent, last)

    ctx.insert(BudgetEntry, entries())
    if not book.written:
        ctx.insert(BudgetLine, _line_rows(book, totals))
    else:
        _update_lines(totals)
    book.written = True


def _line_rows(
    book: Book, totals: dict[int, tuple[Decimal, Decimal, Decimal, Decimal, datetime.datetime]]
) -> Iterator[dict[str, Any]]:
    for line in book.lines.values():
        amount, initial, committed, spent, last = totals[line.id]
        yield {
            "id": line.id,
            "created_at": line.created_at,
            "updated_at": last,
            "school_id": line.school_id,
            "school_year_id": line.year_id,
            "department_id": line.department_id,
            "category": line.category,
            "amount": amount,
            "initial_amount": initial,
            "committed": committed,
            "spent": spent,
            "notes": "",
        }


def _update_lines(
    totals: dict[int, tuple[Decimal, Decimal, Decimal, Decimal, datetime.datetime]],
) -> None:
    ops = connection.ops
    rows = [
        (
            ops.adapt_decimalfield_value(amount, 14, 2),
            ops.adapt_decimalfield_value(initial, 14, 2),
            ops.adapt_decimalfield_value(committed, 14, 2),
            ops.adapt_decimalfield_value(spent, 14, 2),
            ops.adapt_datetimefield_value(last),
            pk,
        )
        for pk, (amount, initial, committed, spent, last) in totals.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE finance_budgetline SET amount = %s, initial_amount = %s, committed = %s, "
            "spent = %s, updated_at = %s WHERE id = %s",
            rows,
        )
