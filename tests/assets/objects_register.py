"""Objects of this part of the asset register for the URL meta-tests (keyed by model name)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any


def make_asset(school: Any, *, actor: Any = None, **fields: Any) -> Any:
    """A card registered through the service (numbered, valued, with its ledger row)."""
    from houqin.assets.models import Asset, AssetCategory
    from houqin.assets.services.register import asset_register

    category = fields.pop("category", None) or AssetCategory.objects.get(name="台式计算机")
    code = fields.pop("code", "")
    values: dict[str, Any] = {
        "name": "台式计算机",
        "unit_price": Decimal("4500.00"),
        "quantity": 1,
        "purchase_date": datetime.date(2024, 9, 1),
        **fields,
    }
    return asset_register(
        actor=actor, asset=Asset(school=school, category=category, **values), code=code
    )


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    asset = make_asset(school, room=room, department=department, custodian=person)
    return {"asset": asset, "assetcategory": asset.category}
