"""The stock ledger: the only way stock changes.

``stock_move`` locks the item row, refuses to take more than is there, keeps the moving
average cost, writes the movement with the balance after it and updates the running totals
in the same transaction. A database constraint backs the rule that stock never goes below
zero, so even code that bypassed this module could not make it negative.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import INCOMING, MovementKind
from ..models import StockItem, StockMovement

QTY = Decimal("0.001")
CENT = Decimal("0.01")
COST = Decimal("0.0001")


class StockError(Exception):
    """A refused stock movement; the message is meant for the user."""


def as_quantity(value: Any) -> Decimal:
    """A quantity as the ledger stores it (3 decimal places)."""
    return Decimal(str(value)).quantize(QTY, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """A quantity for a message, without trailing zeros (12.500 → 12.5)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def lock_items(item_ids: Iterable[int]) -> dict[int, StockItem]:
    """Lock several items at once, always in the same order, so two issues that touch the
    same items cannot deadlock."""
    ids = sorted(set(item_ids))
    return {
        item.pk: item
        for item in StockItem.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
    }


@transaction.atomic
def stock_move(
    *,
    item: StockItem | int,
    kind: str,
    quantity: Decimal | int | str,
    actor: Any,
    reason: str,
    unit_cost: Decimal | None = None,
    department: Any = None,
    person: Any = None,
    source_type: str = "",
    source_id: int | None = None,
    reference: str = "",
    at: datetime.datetime | None = None,
) -> StockMovement:
    """Move ``quantity`` (a positive number) of ``item`` in or out, as ``kind`` says.

    Incoming kinds take ``unit_cost`` (the purchase price; the current average when None)
    and update the moving average. Outgoing kinds are valued at the average cost and are
    refused when the stock is not enough.
    """
    if kind not in MovementKind.values:
        raise StockError(_("Unknown kind of stock movement."))
    qty = as_quantity(quantity)
    if qty <= 0:
        raise StockError(_("The quantity must be more than zero."))
    if not (reason or "").strip():
        raise StockError(_("Give the reason for this stock movement."))
    item_id = item if isinstance(item, int) else item.pk
    locked = StockItem.objects.select_for_update(no_key=True).filter(pk=item_id).first()
    if locked is None:
        raise StockError(_("This item does not exist."))
    if kind in INCOMING:
        cost = locked.average_cost if unit_cost is None else Decimal(unit_cost)
        if cost < 0:
            raise StockError(_("The unit cost cannot be negative."))
        amount = (qty * cost).quantize(CENT, rounding=ROUND_HALF_UP)
        new_quantity = locked.quantity + qty
        new_value = locked.value + amount
        signed_qty, signed_amount = qty, amount
    else:
        if qty > locked.quantity:
            raise StockError(
                _(
                    "Not enough %(item)s in stock: %(left)s %(unit)s left, "
                    "%(asked)s %(unit)s asked for."
                )
                % {
                    "item": locked,
                    "left": fmt(locked.quantity),
                    "asked": fmt(qty),
                    "unit": locked.unit,
                }
            )
        cost = locked.average_cost
        if kind == MovementKind.SUPPLIER_RETURN and unit_cost is not None:
            cost = Decimal(unit_cost)
        new_quantity = locked.quantity - qty
        if new_quantity == 0:
            amount = locked.value  # the last unit takes what value is left: no residue
        else:
            amount = min((qty * cost).quantize(CENT, rounding=ROUND_HALF_UP), locked.value)
        new_value = locked.value - amount
        signed_qty, signed_amount = -qty, -amount
    average = (
        (new_value / new_quantity).quantize(COST, rounding=ROUND_HALF_UP)
        if new_quantity > 0
        else (cost if kind in INCOMING else locked.average_cost)
    )
    movement = StockMovement.objects.create(
        school_id=locked.school_id,
        item=locked,
        kind=kind,
        quantity=signed_qty,
        unit_cost=Decimal(cost).quantize(COST, rounding=ROUND_HALF_UP),
        amount=signed_amount,
        balance=new_quantity,
        department=department,
        person=person,
        reason=reason.strip()[:300],
        source_type=source_type,
        source_id=source_id,
        reference=reference[:60],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or timezone.now(),
    )
    StockItem.objects.filter(pk=locked.pk).update(
        quantity=new_quantity, value=new_value, average_cost=average
    )
    locked.quantity, locked.value, locked.average_cost = new_quantity, new_value, average
    if not isinstance(item, int):
        item.quantity, item.value, item.average_cost = new_quantity, new_value, average
    return movement
