"""Objects of this part of the asset register for the URL meta-tests (keyed by model name),
and helpers the movement tests share."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone


def category() -> Any:
    """A seeded category with a depreciation life (computers: 6 years)."""
    from houqin.assets.models import AssetCategory

    found = AssetCategory.objects.filter(life_years__isnull=False, is_active=True).order_by("pk")
    return found.first()


def make_asset(
    school: Any,
    actor: Any,
    *,
    name: str = "台式计算机",
    price: str = "4800",
    room: Any = None,
    department: Any = None,
    custodian: Any = None,
    status: str = "in_use",
) -> Any:
    from houqin.assets.models import Asset
    from houqin.assets.services.register import asset_register

    asset = Asset(
        school=school,
        name=name,
        category=category(),
        unit_price=Decimal(price),
        quantity=1,
        purchase_date=datetime.date(2024, 9, 1),
        room=room,
        department=department,
        custodian=custodian,
        status=status,
    )
    return asset_register(actor=actor, asset=asset)


def make_transfer(school: Any, actor: Any, assets: list[Any], **targets: Any) -> Any:
    from houqin.assets.models import AssetTransfer
    from houqin.assets.services.movements import transfer_save

    transfer = AssetTransfer(school=school, reason=targets.pop("reason", "教室调整"), **targets)
    return transfer_save(actor=actor, transfer=transfer, assets=assets)


def make_loan(asset: Any, actor: Any, borrower: Any = None, days: int = 7, **kw: Any) -> Any:
    from houqin.assets.models import AssetLoan
    from houqin.assets.services.movements import loan_lend

    loan = AssetLoan(
        asset=asset,
        borrower=borrower,
        borrower_name=kw.pop("borrower_name", ""),
        purpose=kw.pop("purpose", "公开课"),
        due_date=timezone.localdate() + datetime.timedelta(days=days),
        **kw,
    )
    return loan_lend(actor=actor, loan=loan)


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from tests import factories as f

    keeper = f.member(school, "assetkeeper")
    asset = make_asset(school, keeper, room=room, department=department)
    lent = make_asset(school, keeper, name="投影仪", room=room)
    transfer = make_transfer(school, keeper, [asset], to_department=department)
    loan = make_loan(lent, keeper, borrower=person)
    return {"asset": asset, "assettransfer": transfer, "assetloan": loan}
