"""Demo disposals, made through the services: old broken desks and a computer recycled this
year, and old projectors whose disposal waits for the principal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q

from houqin.accounts.models import Membership
from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act
from houqin.assets.choices import AssetStatus
from houqin.assets.models import Asset, AssetDisposal
from houqin.assets.services.disposal import disposal_complete, disposal_save, disposal_submit

DONE_REASON = "课桌椅使用已超十年，桌面开裂、椅腿松动；教师办公电脑主板损坏，无维修价值。"
PENDING_REASON = "多媒体教室投影仪亮度严重衰减，灯泡停产，无法维修。"


def _member(school: Any, role: str) -> Any:
    membership = (
        Membership.objects.filter(school=school, role__code=role, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _oldest(school: Any, name: str, count: int) -> list[Asset]:
    """The oldest cards of a category, or of that name (computers sit in a major category)."""
    return list(
        Asset.objects.filter(
            Q(category__name=name) | Q(name=name),
            school=school,
            status__in=(AssetStatus.IN_USE, AssetStatus.IDLE),
        ).order_by("purchase_date", "pk")[:count]
    )


def _approve_until(request: ApprovalRequest, school: Any, stop_at: str) -> None:
    """Approve the steps in turn until the one for role ``stop_at`` is pending."""
    for _step in range(5):
        request.refresh_from_db()
        current = request.steps.filter(round=request.round, status="pending").first()
        if request.status != "pending" or current is None or current.role is None:
            return
        if current.role.code == stop_at:
            return
        approver = _member(school, current.role.code)
        if approver is None:
            return
        approval_act(request=request, actor=approver, action="approve")


def _approval(disposal: AssetDisposal) -> ApprovalRequest:
    return ApprovalRequest.objects.get(object_id=disposal.pk, request_type="asset_disposal")


def _request(
    school: Any, keeper: Any, assets: list[Asset], reason: str, **fields: Any
) -> AssetDisposal | None:
    if not assets:
        return None
    disposal = disposal_save(
        actor=keeper,
        disposal=AssetDisposal(school=school, reason=reason, **fields),
        assets=assets,
    )
    try:
        return disposal_submit(actor=keeper, disposal=disposal)
    except ApprovalError:  # no chain for disposals in this school: it stays a draft
        return None


def load(school: Any) -> None:
    """Called by ``demo/assets.py`` for each demo school after its assets exist."""
    keeper = _member(school, "assetkeeper")
    if keeper is None:
        return  # the kindergarten's director keeps its register and approves: no demo here
    membership = keeper.memberships.filter(school=school).first()
    department = membership.department if membership else None
    if not AssetDisposal.objects.filter(school=school, reason=DONE_REASON).exists():
        assets = _oldest(school, "学生课桌椅", 2) + _oldest(school, "台式计算机", 1)
        done = _request(
            school,
            keeper,
            assets,
            DONE_REASON,
            department=department,
            condition="课桌椅 2 批：桌面开裂、椅腿松动；电脑 1 台：无法开机。",
            appraisal="经总务处组织鉴定，修复费用高于残值，建议报废，交再生资源公司回收。",
            appraiser="李国平、赵永强",
            method="recycling",
            proceeds=Decimal("260.00"),
        )
        if done is not None:
            _approve_until(_approval(done), school, "")
            done.refresh_from_db()
            if done.status == "approved":
                disposal_complete(
                    actor=keeper, disposal=done, method="recycling", proceeds=Decimal("260.00")
                )
    if not AssetDisposal.objects.filter(school=school, reason=PENDING_REASON).exists():
        waiting = _request(
            school,
            keeper,
            _oldest(school, "投影仪", 2),
            PENDING_REASON,
            department=department,
            condition="投影亮度不足原来的三成，色彩失真。",
            appraisal="厂家售后确认灯泡与光机均已停产，无法修复。",
            appraiser="厂家售后工程师",
            method="destruction",
            proceeds=Decimal("0"),
        )
        if waiting is not None:
            _approve_until(_approval(waiting), school, "principal")
