"""Objects of this part of the asset register for the URL meta-tests (keyed by model name),
and the helpers the stocktake tests share."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any


def category(name: str = "台式计算机") -> Any:
    from houqin.assets.models import AssetCategory

    return AssetCategory.objects.get(name=name)


def make_asset(school: Any, room: Any, actor: Any, **fields: Any) -> Any:
    """A card registered through the service, in ``room``."""
    from houqin.assets.models import Asset
    from houqin.assets.services.register import asset_register

    values: dict[str, Any] = {
        "name": "台式电脑",
        "category": category(),
        "unit_price": Decimal("4500.00"),
        "purchase_date": datetime.date(2024, 9, 1),
        **fields,
    }
    return asset_register(actor=actor, asset=Asset(school=school, room=room, **values))


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    """A stocktake of ``room``'s building with one line, started by the school's keeper."""
    from houqin.assets.services.stocktakes import stocktake_start
    from tests import factories as f

    keeper = f.member(school, "assetkeeper")
    make_asset(school, room, keeper)
    stocktake = stocktake_start(
        actor=keeper, name="期末盘点", scope="building", building=room.building
    )
    return {"stocktake": stocktake, "stocktakeline": stocktake.lines.order_by("pk").first()}
