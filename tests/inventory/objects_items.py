"""Objects of inventory (items) for the URL meta-tests, keyed by model name."""

from __future__ import annotations

from typing import Any

from tests import supplies


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    item = supplies.stock_item(school, name="测试物品", min_stock=5)
    movement = supplies.receive(item, 3, "2.5")
    return {"stockitem": item, "stockmovement": movement}
