"""Demo data of this part of the asset register, made through its services: a completed
transfer, one awaiting approval, two open loans (one overdue) and a returned one."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.accounts.models import Membership, User
from houqin.approvals.services import ApprovalError
from houqin.assets.models import Asset, AssetLoan, AssetSettings, AssetTransfer
from houqin.assets.services import movements as services
from houqin.assets.services.register import AssetError
from houqin.org.models import Department, Room


def _member(school: Any, *codes: str) -> User | None:
    for code in codes:
        found = (
            Membership.objects.filter(school=school, role__code=code, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if found is not None:
            user: User = found.user
            return user
    return None


def _available(school: Any) -> Any:
    return (
        Asset.objects.filter(school=school, status="in_use", quantity=1)
        .exclude(room=None)
        .select_related("room")
        .order_by("code")
    )


def load(school: Any) -> None:
    """Called by ``demo/assets.py`` for each demo school after its assets exist."""
    if AssetTransfer.objects.filter(school=school).exists():
        return
    keeper = _member(school, "assetkeeper", "director")
    teacher = _member(school, "teacher")
    if keeper is None or teacher is None:
        return
    limit = AssetSettings.for_school(school.pk).transfer_approval_above
    rooms = list(Room.objects.filter(school=school, is_active=True).order_by("pk")[:40])
    if len(rooms) < 2:
        return
    store = (
        Room.objects.filter(school=school, is_active=True, use="storeroom").order_by("pk").first()
        or rooms[-1]
    )
    office = Department.objects.filter(school=school).order_by("sort_order", "name").first()
    used: set[int] = set()

    # A completed transfer: two cheap items moved to the store room.
    cheap = [
        a for a in _available(school).filter(original_value__lt=limit / 3).exclude(room=store)[:2]
    ]
    if cheap:
        _transfer(keeper, school, cheap, to_room=store, reason="教室改造，闲置物品暂存库房")
        used.update(a.pk for a in cheap)

    # One awaiting approval: an item above the approval limit goes to another department.
    dear = (
        _available(school)
        .filter(original_value__gt=limit, original_value__lt=Decimal("50000"))
        .exclude(pk__in=used)
        .first()
    )
    if dear is not None:
        target = next((r for r in rooms if r.pk != dear.room_id and r.pk != store.pk), store)
        _transfer(
            keeper,
            school,
            [dear],
            to_room=target,
            to_department=office,
            reason="新学期功能室调整，设备调往新教室",
        )
        used.add(dear.pk)

    # Loans: two open (one overdue) and one returned.
    lendable = list(
        _available(school).filter(original_value__lt=Decimal("8000")).exclude(pk__in=used)[:3]
    )
    plans = [
        ("公开课录像", 5, None, teacher, ""),
        ("校运会宣传拍照", -3, None, None, "家委会 陈女士"),
        ("教研活动", 2, "完好", teacher, ""),
    ]
    today = timezone.localdate()
    for asset, (purpose, days, returned, borrower, name) in zip(lendable, plans, strict=False):
        try:
            loan = services.loan_lend(
                actor=keeper,
                loan=AssetLoan(
                    asset=asset,
                    borrower=borrower,
                    borrower_name=name,
                    purpose=purpose,
                    due_date=today + datetime.timedelta(days=max(days, 1)),
                ),
            )
        except AssetError:
            continue
        if days < 0:  # lent a week ago, due three days ago
            AssetLoan.objects.filter(pk=loan.pk).update(
                due_date=today + datetime.timedelta(days=days),
                lent_at=timezone.now() - datetime.timedelta(days=7),
            )
        if returned:
            services.loan_return(actor=keeper, loan=loan, condition=returned)


def _transfer(keeper: Any, school: Any, assets: list[Asset], **fields: Any) -> None:
    try:
        transfer = services.transfer_save(
            actor=keeper, transfer=AssetTransfer(school=school, **fields), assets=assets
        )
        services.transfer_submit(actor=keeper, transfer=transfer)
    except (AssetError, ApprovalError):  # no chain configured: the draft stays
        return
