"""Objects of inventory (counts) for the URL meta-tests, keyed by model name."""

from __future__ import annotations

from typing import Any

from houqin.inventory.models import StockCount, StockItem
from houqin.inventory.services.counts import count_start
from tests import factories as f
from tests import supplies


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    if not StockItem.objects.filter(school=school, is_active=True).exists():
        supplies.stock_item(school)
    keeper = f.member(school, "storekeeper")
    count: StockCount = count_start(actor=keeper, school=school, title="盘点", categories=[])
    return {"stockcount": count}
