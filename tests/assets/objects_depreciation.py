"""Objects of the depreciation pages for the URL meta-tests, and card helpers for its tests."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from houqin.assets.models import Asset, AssetCategory

_codes = itertools.count(1)


def category(name: str) -> AssetCategory:
    return AssetCategory.objects.select_related("parent__parent").get(name=name)


def card(
    school: Any,
    category_name: str = "台式计算机",
    price: str | Decimal = "6000",
    bought: datetime.date | None = None,
    *,
    quantity: int = 1,
    department: Any = None,
    status: str = "in_use",
    life_months: int | None = None,
    save: bool = True,
) -> Asset:
    """A card with the derived values the register service gives it (``prepare``)."""
    from houqin.assets.services.register import prepare

    asset = Asset(
        school=school,
        name=category_name,
        category=category(category_name),
        unit_price=Decimal(price),
        quantity=quantity,
        purchase_date=bought or datetime.date(2024, 1, 15),
        department=department,
        status=status,
        life_months=life_months,
        code=f"T-{next(_codes):06d}",
    )
    prepare(asset)
    if save:
        asset.save()
    return asset


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from houqin.assets.services.depreciation import depreciation_post
    from houqin.assets.services.register import last_closed_period

    card(school, department=department)
    run = depreciation_post(school_id=school.pk, period=last_closed_period())
    return {"depreciationrun": run}
