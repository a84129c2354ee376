"""Stock counts (库存盘点): snapshot the book, enter what is on the shelves, have the
differences approved, then post them as count surplus / shortage movements.

A count may hold every item of a large store (20,000 lines): starting it is one
``INSERT … SELECT``, entering and filling are bulk updates, and posting locks the items in
one query and writes the movements and the new running totals in batches. The arithmetic of
a posted adjustment is the stock ledger's own (``stock.stock_move``): moving average cost,
the last unit taking the value left, never below zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import transition

from ..choices import CountStatus, ItemCategory, MovementKind
from ..models import StockCount, StockCountLine, StockItem, StockMovement
from .stock import CENT, COST, as_quantity, fmt

S = CountStatus
MOVE = "inventory.move_stock"
EDITABLE = (S.COUNTING, S.RETURNED)
BATCH = 1000
MONEY = DecimalField(max_digits=16, decimal_places=2)
QTY = DecimalField(max_digits=14, decimal_places=3)
#: How many refused lines a message names before "and N more".
NAMED = 5


class CountError(Exception):
    """A refused stock count action; the message is meant for the user."""


def _require(actor: Any, count: StockCount) -> None:
    if not has_perm_in_school(actor, MOVE, count.school_id):
        raise CountError(_("You may not do this."))


def _locked(count: StockCount) -> StockCount:
    locked: StockCount = StockCount.objects.select_for_update(no_key=True).get(pk=count.pk)
    return locked


# Starting ----------------------------------------------------------------------------------


@transaction.atomic
def count_start(
    *, actor: Any, school: Any, title: str, categories: list[str], notes: str = ""
) -> StockCount:
    """Open a count of the school's items in use (of ``categories``, or all), snapshotting
    each item's book quantity and average cost in one statement."""
    school_id = getattr(school, "pk", school)
    if not has_perm_in_school(actor, MOVE, school_id):
        raise CountError(_("You may not do this."))
    unknown = set(categories) - set(ItemCategory.values)
    if unknown:
        raise CountError(_("Unknown category: %(codes)s") % {"codes": "、".join(sorted(unknown))})
    items = StockItem.objects.filter(school_id=school_id, is_active=True)
    if categories:
        items = items.filter(category__in=categories)
    if not items.exists():
        raise CountError(_("There is no item in use to count in these categories."))
    count = StockCount(
        school_id=school_id,
        number=next_number(school_id, "KC"),
        title=title.strip(),
        categories=sorted(set(categories)),
        started_by=actor,
        notes=notes,
    )
    count.full_clean()
    with acting_as(actor):
        count.save()
    _snapshot(count, categories)
    return count


def _snapshot(count: StockCount, categories: list[str]) -> int:
    line = StockCountLine._meta
    item = StockItem._meta

    def column(meta: Any, name: str) -> str:
        return str(connection.ops.quote_name(meta.get_field(name).column))

    where = [f"{column(item, 'school')} = %s", f"{column(item, 'is_active')} = %s"]
    params: list[Any] = [count.pk, count.school_id, True]
    if categories:
        where.append(f"{column(item, 'category')} IN ({', '.join(['%s'] * len(categories))})")
        params.extend(categories)
    targets = ", ".join(
        column(line, name)
        for name in ("count", "item", "book_quantity", "unit_cost", "note", "counted_quantity")
    )
    sql = (
        f"INSERT INTO {connection.ops.quote_name(line.db_table)} ({targets}) "  # noqa: S608
        f"SELECT %s, {column(item, 'id')}, {column(item, 'quantity')}, "
        f"{column(item, 'average_cost')}, '', NULL "
        f"FROM {connection.ops.quote_name(item.db_table)} WHERE {' AND '.join(where)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


# Counting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What was counted on one line: ``None`` clears the count."""

    counted: Decimal | None
    note: str | None = None


@transaction.atomic
def count_enter(*, actor: Any, count: StockCount, entries: Mapping[int, Entry]) -> int:
    """Save counted quantities (and notes) of lines of ``count``, in bulk; returns how many
    lines changed. Lines of another count are ignored."""
    _require(actor, count)
    count = _locked(count)
    if count.status not in EDITABLE:
        raise CountError(_("This count is no longer open for counting."))
    if not entries:
        return 0
    for entry in entries.values():
        if entry.counted is not None and entry.counted < 0:
            raise CountError(_("A counted quantity cannot be negative."))
    lines = list(StockCountLine.objects.filter(count=count, pk__in=list(entries)))
    changed = []
    for line in lines:
        entry = entries[line.pk]
        counted = None if entry.counted is None else as_quantity(entry.counted)
        note = line.note if entry.note is None else entry.note.strip()[:200]
        if counted == line.counted_quantity and note == line.note:
            continue
        line.counted_quantity, line.note = counted, note
        line.counted_by = actor if counted is not None else None
        changed.append(line)
    StockCountLine.objects.bulk_update(
        changed, ["counted_quantity", "note", "counted_by"], batch_size=BATCH
    )
    return len(changed)


@transaction.atomic
def count_fill(*, actor: Any, count: StockCount) -> int:
    """Take the book quantity as counted for every line not counted yet (the storekeeper
    confirms that the rest of the shelves match the book)."""
    _require(actor, count)
    count = _locked(count)
    if count.status not in EDITABLE:
        raise CountError(_("This count is no longer open for counting."))
    return StockCountLine.objects.filter(count=count, counted_quantity__isnull=True).update(
        counted_quantity=F("book_quantity"), counted_by=actor
    )


def moved_lines(count: StockCount) -> QuerySet[StockCountLine]:
    """Lines whose item's stock moved since the snapshot (or since their last refresh)."""
    return StockCountLine.objects.filter(count=count).exclude(book_quantity=F("item__quantity"))


@transaction.atomic
def count_refresh(*, actor: Any, count: StockCount) -> int:
    """Take the current book quantity and cost again for the lines whose stock moved since
    the snapshot; their counted quantity is cleared, to be counted again. Returns how many
    lines were refreshed."""
    _require(actor, count)
    count = _locked(count)
    if count.status not in EDITABLE:
        raise CountError(_("This count is no longer open for counting."))
    lines = list(moved_lines(count).select_related("item"))
    for line in lines:
        line.book_quantity, line.unit_cost = line.item.quantity, line.item.average_cost
        line.counted_quantity, line.counted_by = None, None
    StockCountLine.objects.bulk_update(
        lines, ["book_quantity", "unit_cost", "counted_quantity", "counted_by"], batch_size=BATCH
    )
    return len(lines)


def difference_value() -> ExpressionWrapper[Any]:
    return ExpressionWrapper(
        (F("counted_quantity") - F("book_quantity")) * F("unit_cost"), output_field=MONEY
    )


def summary(count: StockCount) -> dict[str, Any]:
    """Lines, counted lines, differing lines, surplus and shortage value: one query."""
    differs = Q(counted_quantity__isnull=False) & ~Q(counted_quantity=F("book_quantity"))
    zero = Value(Decimal("0"))
    totals = StockCountLine.objects.filter(count=count).aggregate(
        lines=Count("pk"),
        counted=Count("pk", filter=Q(counted_quantity__isnull=False)),
        differing=Count("pk", filter=differs),
        surplus=Coalesce(
            Sum(difference_value(), filter=Q(counted_quantity__gt=F("book_quantity"))),
            zero,
            output_field=MONEY,
        ),
        shortage=Coalesce(
            Sum(difference_value(), filter=Q(counted_quantity__lt=F("book_quantity"))),
            zero,
            output_field=MONEY,
        ),
    )
    totals["uncounted"] = totals["lines"] - totals["counted"]
    totals["surplus"] = Decimal(totals["surplus"]).quantize(CENT, rounding=ROUND_HALF_UP)
    totals["shortage"] = Decimal(totals["shortage"]).quantize(CENT, rounding=ROUND_HALF_UP)
    totals["net"] = totals["surplus"] + totals["shortage"]
    return totals


def adjustment_amount(count: StockCount) -> Decimal:
    """The value of every difference, surplus and shortage alike (what the approval chain's
    amount thresholds look at)."""
    value = StockCountLine.objects.filter(count=count, counted_quantity__isnull=False).aggregate(
        total=Coalesce(Sum(Abs(difference_value())), Value(Decimal("0")), output_field=MONEY)
    )["total"]
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def differing_lines(count: StockCount) -> QuerySet[StockCountLine]:
    return StockCountLine.objects.filter(count=count, counted_quantity__isnull=False).exclude(
        counted_quantity=F("book_quantity")
    )


# Submitting, posting, cancelling -----------------------------------------------------------


@transaction.atomic
def count_submit(*, actor: Any, count: StockCount) -> StockCount:
    """Hand the counted differences to the ``stock_count`` approval chain; a count without
    any difference that never went to approval is posted at once (nothing to adjust)."""
    from houqin.approvals.selectors import request_for
    from houqin.approvals.services import approval_submit

    _require(actor, count)
    count = _locked(count)
    if count.status not in EDITABLE:
        raise CountError(_("This count has already been submitted."))
    uncounted = StockCountLine.objects.filter(count=count, counted_quantity__isnull=True).count()
    if uncounted:
        raise CountError(
            _(
                "%(count)s lines are not counted yet. Count them, or take the book quantity "
                "for the rest."
            )
            % {"count": uncounted}
        )
    if not differing_lines(count).exists() and request_for(count) is None:
        transition(count, S.PENDING, actor=actor)
        return transition(  # type: ignore[no-any-return]
            count,
            S.POSTED,
            actor=actor,
            reason=_("No differences: nothing to adjust."),
            update={"posted_at": timezone.now()},
        )
    count.submitter = actor  # type: ignore[attr-defined]  # the approval's requester
    approval_submit(subject=count, request_type="stock_count", actor=actor)
    count.refresh_from_db()
    return count


@transaction.atomic
def count_cancel(*, actor: Any, count: StockCount) -> StockCount:
    _require(actor, count)
    return transition(count, S.CANCELLED, actor=actor)  # type: ignore[no-any-return]


@dataclass
class _Totals:
    quantity: Decimal
    value: Decimal
    average: Decimal


@transaction.atomic
def count_post(*, actor: Any, count: StockCount) -> StockCount:
    """Post every difference of an approved count as an ``adjust_up``/``adjust_down``
    movement, all or nothing.

    A shortage is refused when the stock moved since the snapshot so that taking the
    difference would go below zero; the message names the items to recount.
    """
    count = _locked(count)
    if count.status != S.PENDING:
        raise CountError(_("Only a count awaiting approval can be posted."))
    lines = list(
        differing_lines(count).values_list(
            "item_id", "book_quantity", "counted_quantity", "unit_cost"
        )
    )
    items = {
        item.pk: item
        for item in StockItem.objects.select_for_update(no_key=True)
        .filter(pk__in=differing_lines(count).values("item_id"))
        .order_by("pk")
    }
    now = timezone.now()
    reason = _("Stock count %(number)s") % {"number": count.number}
    movements: list[StockMovement] = []
    refused: list[str] = []
    for item_id, book, counted_or_none, snapshot_cost in lines:
        item = items[item_id]
        counted = Decimal(counted_or_none or 0)
        delta = counted - book
        state = _Totals(item.quantity, item.value, item.average_cost)
        if delta > 0:
            cost = snapshot_cost if snapshot_cost > 0 else state.average
            amount = (delta * cost).quantize(CENT, rounding=ROUND_HALF_UP)
            state.quantity += delta
            state.value += amount
            kind, signed_qty, signed_amount = MovementKind.ADJUST_UP, delta, amount
        else:
            shortage = -delta
            if shortage > state.quantity:
                refused.append(
                    _("%(item)s: counted %(counted)s, book %(book)s, now %(now)s %(unit)s")
                    % {
                        "item": item,
                        "counted": fmt(counted),
                        "book": fmt(book),
                        "now": fmt(state.quantity),
                        "unit": item.unit,
                    }
                )
                continue
            cost = state.average
            state.quantity -= shortage
            if state.quantity == 0:
                amount = state.value
            else:
                amount = min((shortage * cost).quantize(CENT, rounding=ROUND_HALF_UP), state.value)
            state.value -= amount
            kind, signed_qty, signed_amount = MovementKind.ADJUST_DOWN, -shortage, -amount
        if state.quantity > 0:
            state.average = (state.value / state.quantity).quantize(COST, rounding=ROUND_HALF_UP)
        elif kind == MovementKind.ADJUST_UP:
            state.average = cost
        item.quantity, item.value, item.average_cost = state.quantity, state.value, state.average
        movements.append(
            StockMovement(
                school_id=item.school_id,
                item_id=item.pk,
                kind=kind,
                quantity=signed_qty,
                unit_cost=Decimal(cost).quantize(COST, rounding=ROUND_HALF_UP),
                amount=signed_amount,
                balance=state.quantity,
                reason=reason,
                source_type="stock_count",
                source_id=count.pk,
                reference=count.number[:60],
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                at=now,
            )
        )
    if refused:
        more = len(refused) - NAMED
        listed = "；".join(refused[:NAMED])
        if more > 0:
            listed += _("; and %(count)s more") % {"count": more}
        raise CountError(
            _(
                "The stock moved since the count started, so these shortages would take more "
                "than is in stock now: %(lines)s. Return the count: the storekeeper takes the "
                "new book quantity of these items and counts them again."
            )
            % {"lines": listed}
        )
    StockMovement.objects.bulk_create(movements, batch_size=BATCH)
    StockItem.objects.bulk_update(
        list(items.values()), ["quantity", "value", "average_cost"], batch_size=BATCH
    )
    return transition(  # type: ignore[no-any-return]
        count,
        S.POSTED,
        actor=actor,
        check_permission=False,
        update={"posted_at": now},
    )
