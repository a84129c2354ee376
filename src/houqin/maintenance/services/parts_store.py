"""Parts taken from the consumables store for a work order (维修领料).

A part that names a store item is issued from stock at the item's average cost (kind
``repair``, for the worker, no department); the part's name, unit and price follow the item.
When the work is recorded again (after a failed verification) only the difference moves:
more taken out, or the surplus returned to the store. Not enough in stock refuses the part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from houqin.inventory.choices import MovementKind
from houqin.inventory.models import StockItem, StockMovement
from houqin.inventory.services.stock import StockError, as_quantity, lock_items, stock_move

from ..models import WorkOrder
from .orders import WorkOrderError

SOURCE = "work_order"
CENT = Decimal("0.01")


def store_items(school_id: int) -> QuerySet[StockItem]:
    """What a worker may pick: the school's active items (repair materials first)."""
    return (
        StockItem.objects.filter(school_id=school_id, is_active=True)
        .order_by("-category", "name", "pk")
        .only("pk", "name", "specification", "unit", "quantity", "category", "school_id")
    )


def taken_so_far(order: WorkOrder) -> dict[int, Decimal]:
    """item id -> what this order has taken from the store, net of what went back."""
    rows = (
        StockMovement.objects.filter(
            source_type=SOURCE,
            source_id=order.pk,
            kind__in=(MovementKind.REPAIR, MovementKind.RETURN),
        )
        .values("item_id")
        .annotate(net=Sum("quantity"))
    )
    return {row["item_id"]: -row["net"] for row in rows if row["net"]}


def take_from_store(
    *, actor: Any, order: WorkOrder, parts: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Fill in the store parts from their items and move the stock; returns the parts to
    save. Called inside the finishing transaction: a refusal undoes everything."""
    rows = [dict(part) for part in parts]
    wanted_ids = {int(row["stock_item_id"]) for row in rows if row.get("stock_item_id")}
    before = taken_so_far(order)
    items = lock_items(wanted_ids | set(before))
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        item_id = row.get("stock_item_id")
        if not item_id:
            row["stock_item_id"] = None
            continue
        item = items.get(int(item_id))
        if item is None or item.school_id != order.school_id or not item.is_active:
            raise WorkOrderError(_("A part chosen from the store is not in this school's store."))
        row["stock_item_id"] = item.pk
        row["name"] = row.get("name") or item.name
        row["specification"] = item.specification[:100]
        row["unit"] = item.unit
        row["unit_price"] = item.average_cost.quantize(CENT, rounding=ROUND_HALF_UP)
        wanted[item.pk] += as_quantity(row.get("quantity") or 1)
    for item_id in sorted(set(wanted) | set(before)):
        difference = wanted.get(item_id, Decimal("0")) - before.get(item_id, Decimal("0"))
        if not difference:
            continue
        try:
            stock_move(
                item=item_id,
                kind=MovementKind.REPAIR if difference > 0 else MovementKind.RETURN,
                quantity=abs(difference),
                actor=actor,
                reason=_("Work order %(number)s: %(title)s")
                % {"number": order.number, "title": order.title},
                department=None,
                person=actor,
                source_type=SOURCE,
                source_id=order.pk,
                reference=order.number,
            )
        except StockError as exc:
            raise WorkOrderError(
                _("Part “%(name)s”: %(error)s") % {"name": items[item_id].name, "error": exc}
            ) from exc
    return rows
