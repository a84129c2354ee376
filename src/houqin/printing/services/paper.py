"""Paper accounting: a finished job's sheets leave the paper stock of its size."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from houqin.inventory.choices import MovementKind
from houqin.inventory.models import StockItem, StockMovement
from houqin.inventory.services.stock import QTY, stock_move

from ..models import PrintJob


def paper_item_for(school_id: int, paper_size: str) -> StockItem | None:
    """The active paper item of ``paper_size``: the one with the most in stock when the
    store keeps several (then the oldest)."""
    return (
        StockItem.objects.filter(
            school_id=school_id,
            paper_size=paper_size,
            is_active=True,
            sheets_per_unit__isnull=False,
        )
        .order_by("-quantity", "pk")
        .first()
    )


def units_for(sheets: int, item: StockItem) -> Decimal:
    """Sheets as units of the item (reams…), to the ledger's 3 decimals, never zero."""
    per_unit = Decimal(item.sheets_per_unit or 1)
    units = (Decimal(sheets) / per_unit).quantize(QTY, rounding=ROUND_HALF_UP)
    return max(units, QTY)


def paper_deduct(*, actor: Any, job: PrintJob, sheets: int) -> StockMovement | None:
    """Take ``sheets`` from the job's paper item; None when the store keeps no paper of the
    job's size. A ``StockError`` (not enough paper) is left to the caller."""
    item = paper_item_for(job.school_id, job.paper_size)
    if item is None or sheets <= 0:
        return None
    return stock_move(
        item=item,
        kind=MovementKind.PRINT,
        quantity=units_for(sheets, item),
        actor=actor,
        reason=_("Print job %(number)s: %(sheets)s sheets")
        % {"number": job.number, "sheets": sheets},
        department=job.department,
        person=job.requester,
        source_type="print_job",
        source_id=job.pk,
        reference=job.number,
    )
