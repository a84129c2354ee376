"""Demo data of this part of the asset register, made through its services: a default
compensation price list and damage reports in every state."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.accounts.models import Membership, Role, User
from houqin.approvals.models import ApprovalChain, ApprovalChainStep, ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.assets.models import Asset, CompensationPriceItem, DamageReport
from houqin.assets.services import damage as services
from houqin.org.models import Room

# name, unit, price, notes
PRICES = [
    ("玻璃", "m²", "60", "普通窗户玻璃，按实际面积计"),
    ("灯管", "支", "20", "含安装"),
    ("桌面板", "块", "80", "学生课桌桌面"),
    ("课桌椅", "套", "120", "整套更换"),
    ("门锁", "把", "45", ""),
    ("窗户把手", "个", "15", ""),
    ("椅子", "把", "60", "学生椅"),
]
WAIVER_CHAIN = ("赔偿减免审批", "校长审批", "principal")

# what happens after reporting: "" reported, "assess", "waiver", "notify", "pay", "waive",
# "reduce" (approved reduction), "wear"
# (price item or None, item name, quantity, use asset, kind, name, deliberate, text, fate, day)
REPORTS: list[tuple[str | None, str, str, bool, str, str, bool, str, str, int]] = [
    (
        "玻璃",
        "",
        "1.5",
        False,
        "student",
        "王浩然",
        False,
        "课间在教室内打篮球，球砸碎后窗玻璃。",
        "pay",
        8,
    ),
    ("灯管", "", "2", False, "class", "", False, "大扫除时拖把杆碰碎两支灯管。", "notify", 20),
    (
        "桌面板",
        "",
        "1",
        False,
        "student",
        "李子轩",
        True,
        "用小刀在桌面上刻字，桌面板损坏严重，需更换。",
        "assess",
        34,
    ),
    ("门锁", "", "1", False, "unknown", "", False, "教室前门门锁被撬坏，无法锁门。", "", 40),
    (
        "课桌椅",
        "",
        "1",
        False,
        "student",
        "陈一鸣",
        False,
        "两名同学打闹时撞翻课桌椅，椅腿断裂。",
        "waiver",
        47,
    ),
    (
        "窗户把手",
        "",
        "1",
        False,
        "student",
        "刘思雨",
        False,
        "开窗用力过猛，窗户把手断裂。家庭经济困难，班主任申请减免。",
        "waive",
        61,
    ),
    (None, "", "1", True, "wear", "", False, "使用多年，电源接口松动，无法正常开机。", "wear", 70),
    (
        "椅子",
        "",
        "1",
        False,
        "student",
        "赵俊杰",
        True,
        "故意踢坏椅子靠背，已进行批评教育。",
        "reduce",
        85,
    ),
    (None, "", "1", True, "student", "孙悦", False, "搬动时不慎摔落，外壳开裂。", "", 3),
    (
        "玻璃",
        "",
        "0.8",
        False,
        "outsider",
        "校外维修人员 周某",
        False,
        "施工搬运材料时碰碎走廊窗户玻璃。",
        "notify",
        100,
    ),
]


def _member(school: Any, *codes: str) -> User | None:
    for code in codes:
        found = (
            Membership.objects.filter(school=school, role__code=code, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found.user
    return None


def _approve_all(report: DamageReport) -> None:
    """Each pending step is approved by a member holding its role (not the requester)."""
    request = ApprovalRequest.objects.get(
        object_id=report.pk, request_type=services.WAIVER, school_id=report.school_id
    )
    for _step in range(5):
        request.refresh_from_db()
        step = request.steps.filter(round=request.round, status="pending").first()
        if request.status != "pending" or step is None:
            return
        approver = (
            Membership.objects.filter(
                school_id=report.school_id, role_id=step.role_id, is_active=True
            )
            .exclude(user_id=request.requester_id)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if approver is None:
            return
        approval_act(request=request, actor=approver.user, action="approve")


def _chain(school: Any) -> None:
    """The chain of ``demo/approvals.py`` if it is there; else one step, the principal."""
    name, step, role_code = WAIVER_CHAIN
    chain, created = ApprovalChain.objects.get_or_create(
        school=school,
        request_type=services.WAIVER,
        is_active=True,
        defaults={"name": name},
    )
    if created:
        ApprovalChainStep.objects.create(
            chain=chain,
            order=1,
            name=step,
            approver_kind="role",
            role=Role.objects.get(code=role_code),
        )


def load(school: Any) -> None:
    """Called by ``demo/assets.py`` for each demo school after its assets exist."""
    for name, unit, price, notes in PRICES:
        CompensationPriceItem.objects.get_or_create(
            school=school,
            name=name,
            defaults={"unit": unit, "price": Decimal(price), "notes": notes},
        )
    if DamageReport.objects.filter(school=school).exists():
        return
    keeper = _member(school, "assetkeeper", "director")
    accountant = _member(school, "accountant")
    teacher = _member(school, "teacher") or keeper
    principal = _member(school, "principal")
    if keeper is None or principal is None:
        return
    _chain(school)
    prices = {p.name: p for p in CompensationPriceItem.objects.filter(school=school)}
    classrooms = list(
        Room.objects.filter(school=school, use="classroom", name__endswith="班")
        .select_related("building")
        .order_by("building__name", "number")[:12]
    )
    assets = list(
        Asset.objects.filter(school=school, status="in_use", depreciable=True)
        .exclude(room=None)
        .order_by("code")[:2]
    )
    now = timezone.now()
    for index, row in enumerate(REPORTS):
        price, item, quantity, on_asset, kind, person, deliberate, text, fate, days = row
        room = classrooms[index % len(classrooms)] if classrooms else None
        asset = assets.pop(0) if on_asset and assets else None
        if on_asset and asset is None:
            continue
        report = DamageReport(
            school=school,
            asset=asset,
            price_item=prices.get(price) if price else None,
            item_name=item,
            quantity=Decimal(quantity),
            room=None if asset else room,
            occurred_at=now - datetime.timedelta(days=days, hours=index),
            description=text,
            responsible_kind=kind,
            responsible_name=person,
            student_class=(room.name if room else "初二(3)班")
            if kind in ("student", "class")
            else "",
            deliberate=deliberate,
        )
        reporter = teacher if index % 3 else keeper
        report = services.damage_report(
            actor=reporter, report=report, mark_under_repair=asset is not None
        )
        _play(report, fate, keeper=keeper, accountant=accountant)


def _play(report: DamageReport, fate: str, *, keeper: Any, accountant: Any) -> None:
    if not fate:
        return
    report = services.damage_assess(actor=keeper, report=report)
    if fate in ("assess", "wear"):
        return
    if fate in ("waiver", "waive", "reduce"):
        amount = Decimal(0) if fate != "reduce" else (report.assessed_amount or Decimal(0)) / 2
        reason = "家庭经济困难，班主任证明属实" if fate != "reduce" else "学生已认错，家长请求减半"
        services.damage_request_waiver(actor=keeper, report=report, amount=amount, reason=reason)
        if fate == "waiver":
            return
        _approve_all(report)
        return
    report = services.damage_notify(actor=keeper, report=report)
    if fate == "pay" and accountant is not None:
        due = services.amount_due(report) or Decimal(0)
        services.damage_record_payment(
            actor=accountant,
            report=report,
            receipt_number=f"SJ{report.number[-6:]}",
            amount=due,
        )
