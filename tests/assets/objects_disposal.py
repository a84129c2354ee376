"""Objects of this part of the asset register for the URL meta-tests (keyed by model name),
and the helpers the disposal tests share."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from tests import factories as f


def make_asset(
    school: Any,
    name: str = "台式计算机",
    price: str = "4800.00",
    *,
    category: str = "台式计算机",
    quantity: int = 1,
    room: Any = None,
    keeper: Any = None,
    bought: datetime.date = datetime.date(2019, 9, 1),
    status: str = "in_use",
) -> Any:
    from houqin.assets.models import Asset, AssetCategory
    from houqin.assets.services.register import asset_register

    asset = Asset(
        school=school,
        name=name,
        category=AssetCategory.objects.filter(name=category).order_by("pk").first(),
        unit_price=Decimal(price),
        quantity=quantity,
        purchase_date=bought,
        room=room,
        status=status,
    )
    return asset_register(actor=keeper, asset=asset)


def make_disposal(school: Any, keeper: Any, assets: list[Any], **kw: Any) -> Any:
    from houqin.assets.models import AssetDisposal
    from houqin.assets.services.disposal import disposal_save

    disposal = AssetDisposal(
        school=school,
        reason=kw.pop("reason", "使用年限已满，无法修复"),
        condition=kw.pop("condition", "主板损坏"),
        method=kw.pop("method", "recycling"),
        proceeds=Decimal(kw.pop("proceeds", "0")),
        **kw,
    )
    return disposal_save(actor=keeper, disposal=disposal, assets=assets)


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    keeper = f.member(school, "assetkeeper")
    asset = make_asset(school, "旧打印机", "1800.00", category="打印机", room=room, keeper=keeper)
    return {"assetdisposal": make_disposal(school, keeper, [asset], department=department)}


def disposal_world(school: Any) -> Any:
    """An asset keeper, approvers, a two-step chain (director always, principal from
    100,000 yuan) and a few assets in different states."""
    from types import SimpleNamespace

    from houqin.approvals.models import ApprovalChain, ApprovalChainStep

    room = f.RoomFactory(building__campus__school=school)
    keeper = f.member(school, "assetkeeper", username="keeper")
    chain = ApprovalChain.objects.create(
        school=school, request_type="asset_disposal", name="资产报废审批"
    )
    ApprovalChainStep.objects.create(
        chain=chain, order=1, name="总务处审核", approver_kind="role", role=f.role("director")
    )
    ApprovalChainStep.objects.create(
        chain=chain,
        order=2,
        name="校长审批（10 万元以上）",
        approver_kind="role",
        role=f.role("principal"),
        min_amount=Decimal("100000"),
    )

    def asset(name: str, price: str, category: str = "台式计算机", **kw: Any) -> Any:
        return make_asset(school, name, price, category=category, room=room, keeper=keeper, **kw)

    return SimpleNamespace(
        school=school,
        room=room,
        keeper=keeper,
        director=f.member(school, "director", username="dir"),
        principal=f.member(school, "principal", username="boss"),
        teacher=f.member(school, "teacher", username="t1"),
        chain=chain,
        pc=asset("台式计算机", "4800.00"),
        desks=asset("学生课桌椅", "120.00", category="学生课桌椅", quantity=50),
        idle=asset("旧投影仪", "3600.00", category="投影仪", status="idle"),
        server=asset("服务器", "150000.00", category="服务器"),
        asset=asset,
    )
