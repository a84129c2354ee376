"""Budgets (预算), expense claims (报销) and budget adjustments (预算调整) of every school year.

Each school gets its finance and purchasing settings as the services' defaults have them, a
budget line per school year, department and category that department spends on (the amounts
scaled by the school's size), a few hundred expense claims per school year in every status
with their approvals, and budget adjustments (TZ-…) approved, pending, rejected or withdrawn.

The money ledger is one book for both money parts (``ctx.shared["budget_book"]``, see
``finance_ledger``): this part puts the approved adjustments into it, the purchasing part its
commitments, spendings and releases, and each writes the whole ledger at its end. Purchasing
finds the lines in ``ctx.shared["budget_lines"]`` =
``{school_id: {(year_id, department_id, category): line_id}}``. The helpers both money parts
use (busy days, later moments, status changes, photos) live here too.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from houqin.core.models import StatusChange
from houqin.finance.models import (
    BudgetAdjustment,
    BudgetLine,
    Expense,
    ExpenseCategory,
    FinanceSettings,
)
from houqin.procurement.models import ProcurementSettings

from . import approvals, files
from .base import Ctx, SchoolWorld, money
from .finance_ledger import THOUSAND, Book, Line, write_ledger
from .org import DEPARTMENTS

# Yuan a year per category for a school of average size, by department (index in org's list).
PLAN: dict[int, dict[str, int]] = {
    0: {"office": 8000, "event": 20000, "travel": 15000},
    1: {
        "office": 120000,
        "repair": 180000,
        "equipment": 300000,
        "construction": 260000,
        "teaching": 60000,
    },
    2: {"office": 15000, "teaching": 120000, "equipment": 200000, "event": 20000, "travel": 20000},
    3: {"office": 8000, "teaching": 10000, "event": 30000},
    4: {"office": 5000, "equipment": 10000},
    5: {"canteen": 300000, "equipment": 60000, "repair": 30000},
    6: {"office": 3000, "equipment": 40000, "repair": 20000},
    7: {"office": 6000, "equipment": 10000, "other": 8000},
}
GRADE_PLAN = {"office": 6000, "teaching": 12000, "event": 15000, "equipment": 10000}
# Busy and quiet months of a school year (weights of the activity).
MONTH_WEIGHT = {9: 13, 10: 12, 11: 11, 12: 10, 1: 7, 2: 5, 3: 12, 4: 12, 5: 11, 6: 10, 7: 5, 8: 4}
RECENT_DAYS = 30
RECENT_SHARE = 0.08

# category -> [(title, details, lowest, highest yuan)]
CLAIMS: dict[str, list[tuple[str, str, int, int]]] = {
    "office": [
        ("办公用品报销", "签字笔、笔记本、文件夹等日常办公用品。", 80, 900),
        ("打印机硒鼓更换", "办公室激光打印机硒鼓 2 支。", 200, 700),
        ("会议资料印制", "教职工大会会议材料印制。", 150, 1200),
    ],
    "teaching": [
        ("实验耗材报销", "分组实验所需试剂和耗材。", 200, 3000),
        ("教学参考书购置", "备课参考用书。", 100, 1500),
        ("教具制作材料", "公开课教具制作材料。", 60, 800),
    ],
    "repair": [
        ("教室门锁维修", "更换教室门锁及配件。", 80, 600),
        ("水管漏水抢修", "卫生间水管漏水抢修人工及材料。", 200, 2500),
        ("空调清洗保养", "办公室空调清洗保养。", 300, 3000),
    ],
    "equipment": [
        ("移动硬盘购置", "资料备份用移动硬盘。", 300, 900),
        ("办公室碎纸机", "财务凭证销毁用碎纸机。", 400, 1500),
        ("消毒设备配件", "紫外线消毒灯管更换。", 200, 2000),
    ],
    "canteen": [
        ("食堂燃气费", "本月食堂燃气费。", 3000, 18000),
        ("调味品采购", "食堂调味品及干货。", 500, 4000),
        ("食品检测费", "食品留样送检费用。", 300, 1500),
    ],
    "construction": [
        ("围墙修补工程", "东侧围墙破损修补。", 5000, 48000),
        ("操场跑道修补", "塑胶跑道局部修补。", 8000, 60000),
    ],
    "event": [
        ("运动会奖品", "校运动会奖品及奖状。", 800, 6800),
        ("教师节慰问", "教师节慰问活动用品。", 1000, 8000),
        ("研学活动交通费", "学生研学活动包车费用。", 2000, 12000),
        ("文艺汇演服装租赁", "元旦文艺汇演演出服装租赁。", 600, 5000),
    ],
    "travel": [
        ("外出培训差旅费", "参加市教研室组织的培训，交通及住宿费。", 300, 3500),
        ("教研活动交通费", "赴兄弟学校听课交流。", 50, 600),
    ],
    "other": [
        ("快递费", "教学资料寄送快递费。", 20, 300),
        ("体检费", "学生健康体检组织费用。", 500, 6000),
    ],
}
ADJUSTMENT_REASONS = {
    1: (
        "开学后实际需求增加，申请追加预算。",
        "校舍维修项目增加，追加预算。",
        "新设备采购需求，追加预算。",
    ),
    -1: ("项目简化，调减预算。", "采购计划取消，调减预算。", "结余资金调整至其他项目。"),
}


# -- helpers both money parts use --------------------------------------------------------------


def busy_day(ctx: Ctx, rng: random.Random) -> datetime.date:
    """A school day of the history, more often in term time, a few in the last weeks."""
    if rng.random() < RECENT_SHARE:
        return ctx.day(rng, max(ctx.start, ctx.today - datetime.timedelta(days=RECENT_DAYS)))
    while True:
        day = ctx.day(rng)
        if rng.random() * 13 < MONTH_WEIGHT[day.month]:
            return day


def later(
    ctx: Ctx, at: datetime.datetime, rng: random.Random, low: float, high: float
) -> datetime.datetime | None:
    """``at`` plus between ``low`` and ``high`` days (in working hours), or None when after now."""
    value = at + datetime.timedelta(days=rng.uniform(low, high))
    if value.hour >= 18 or value.hour < 8:
        value = value.replace(hour=8 + rng.randrange(10))
    if value.weekday() >= 5:
        value += datetime.timedelta(days=7 - value.weekday())
    value = max(value, at + datetime.timedelta(minutes=1))
    return value if value <= ctx.now else None


def members(school: SchoolWorld) -> dict[int, list[int]]:
    """department id -> the users working in it."""
    found: dict[int, list[int]] = {}
    for user, department in school.staff:
        found.setdefault(department, []).append(user)
    return found


def plan_of(school: SchoolWorld, index: int) -> dict[str, int]:
    return PLAN.get(index, GRADE_PLAN)


def size_of(ctx: Ctx, school: SchoolWorld) -> float:
    return school.share * len(ctx.schools)


def category_labels() -> dict[str, str]:
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in ExpenseCategory.choices}


def photo(ctx: Ctx, model: type[models.Model], owner: tuple[int, int, int, Any]) -> None:
    """A photo of ``owner`` (object id, school id, uploader id, moment), written at the end of
    the part with the others of its model (one ``files.add`` per model keeps the keys apart)."""
    ctx.shared.setdefault("money_photos", {}).setdefault(model, []).append(owner)


def write_photos(ctx: Ctx) -> None:
    for model, owners in ctx.shared.pop("money_photos", {}).items():
        files.add(ctx, model, owners)


class Changes:
    """``StatusChange`` rows of one model, collected and written at once."""

    def __init__(self, model: type[models.Model]) -> None:
        self.content_type = ContentType.objects.get_for_model(model).pk
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        pk: int,
        school_id: int,
        moves: list[tuple[str, str, int | None, datetime.datetime, str]],
    ) -> None:
        for old, new, actor, at, reason in moves:
            self.rows.append(
                {
                    "created_at": at,
                    "content_type_id": self.content_type,
                    "object_id": str(pk),
                    "school_id": school_id,
                    "field": "status",
                    "from_status": old,
                    "to_status": new,
                    "actor_id": actor,
                    "reason": reason,
                }
            )

    def write(self, ctx: Ctx) -> None:
        ctx.insert(StatusChange, self.rows)
        self.rows = []


# -- this part ---------------------------------------------------------------------------------


def generate(ctx: Ctx) -> None:
    _settings(ctx)
    book = Book()
    ctx.shared["budget_book"] = book
    ctx.shared["budget_lines"] = {
        school.id: _plan_lines(ctx, school, book) for school in ctx.schools
    }
    labels = category_labels()
    expense_total = ctx.spread(ctx.preset.purchase_lines * 3 // 8)
    adjustment_total = ctx.spread(max(2 * len(ctx.schools), ctx.preset.purchase_lines // 40))
    for school, expenses, adjustments in zip(
        ctx.schools, expense_total, adjustment_total, strict=True
    ):
        _expenses(ctx, school, expenses)
        _adjustments(ctx, school, adjustments, book, labels)
    write_ledger(ctx)
    write_photos(ctx)


def _settings(ctx: Ctx) -> None:
    """Finance and purchasing settings rows with the services' defaults."""
    at = datetime.datetime.combine(ctx.start, datetime.time(9), ctx.now.tzinfo)
    ctx.insert(
        FinanceSettings,
        ({"school_id": s.id, "created_at": at, "updated_at": at} for s in ctx.schools),
    )
    ctx.insert(
        ProcurementSettings,
        ({"school_id": s.id, "created_at": at, "updated_at": at} for s in ctx.schools),
    )


def _plan_lines(ctx: Ctx, school: SchoolWorld, book: Book) -> dict[tuple[int, int, str], int]:
    size = Decimal(str(round(size_of(ctx, school), 3)))
    rng = ctx.rng(f"finance:plan:{school.index}")
    found: dict[tuple[int, int, str], int] = {}
    for year_id, start, _end in school.years:
        at = datetime.datetime.combine(
            start - datetime.timedelta(days=10), datetime.time(9), ctx.now.tzinfo
        )
        for index, department in enumerate(school.departments):
            for category, yearly in plan_of(school, index).items():
                varied = Decimal(yearly) * size * Decimal(str(round(rng.uniform(0.9, 1.1), 2)))
                planned = max(THOUSAND, (varied / THOUSAND).quantize(Decimal("1")) * THOUSAND)
                pk = ctx.ids(BudgetLine, 1).start
                book.lines[pk] = Line(
                    pk, school.id, year_id, department, category, planned, min(at, ctx.now)
                )
                found[(year_id, department, category)] = pk
    return found


def _approval_fate(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.88:
        return "approved"
    return "rejected" if roll < 0.93 else ("returned" if roll < 0.97 else "withdrawn")


def _expenses(ctx: Ctx, school: SchoolWorld, count: int) -> None:
    rng = ctx.rng(f"finance:expenses:{school.index}")
    people = members(school)
    days = sorted(busy_day(ctx, rng) for _ in range(count))
    ids = iter(ctx.ids(Expense, count))
    rows: list[dict[str, Any]] = []
    subjects: list[dict[str, Any]] = []
    changes = Changes(Expense)
    for day in days:
        pk = next(ids)
        index = rng.randrange(len(school.departments))
        department = school.departments[index]
        category = rng.choice([*plan_of(school, index), "travel", "other"])
        title, details, low, high = rng.choice(CLAIMS[category])
        amount = money(rng.uniform(low, high))
        requester = rng.choice(people.get(department) or [school.person("director", rng)])
        created = ctx.moment(day, rng)
        number = ctx.number(school.id, "BX", created.date())
        status, paid_at, updated = "draft", None, created
        submitted = (
            later(ctx, created, rng, 0, 1)
            if rng.random() > 0.3 or day < ctx.today - datetime.timedelta(days=20)
            else None
        )
        if submitted is not None:
            status, updated = "pending", submitted
            moves = [("draft", "pending", requester, submitted, "")]
            decided = later(ctx, submitted, rng, 0.5, 8)
            if decided is not None:
                status, updated = _approval_fate(rng), decided
                last = school.person("principal" if amount >= 5000 else "director", rng)
                actor = (
                    requester
                    if status == "withdrawn"
                    else (
                        last
                        if status == "approved"
                        else school.department_heads.get(department, last)
                    )
                )
                moves.append(
                    (
                        "pending",
                        status,
                        actor,
                        decided,
                        "" if status == "approved" else "材料不全，请补充发票。",
                    )
                )
                paid = later(ctx, decided, rng, 2, 15) if status == "approved" else None
                if paid is not None:
                    accountant = school.person("accountant", rng)
                    status, paid_at, updated = "paid", paid, paid
                    moves.append(("approved", "paid", accountant, paid, ""))
                    if rng.random() < 0.05:
                        photo(ctx, Expense, (pk, school.id, requester, created))
            changes.add(pk, school.id, moves)
            subjects.append(
                {
                    "object_id": pk,
                    "school": school,
                    "title": f"{number} {title}",
                    "amount": amount,
                    "category": category,
                    "department_id": department,
                    "requester_id": requester,
                    "status": "approved" if status == "paid" else status,
                    "submitted_at": submitted,
                    "decided_at": None if status == "pending" else moves[1][3],
                }
            )
        rows.append(
            {
                "id": pk,
                "created_at": created,
                "updated_at": updated,
                "school_id": school.id,
                "number": number,
                "title": title,
                "department_id": department,
                "requester_id": requester,
                "category": category,
                "amount": amount,
                "description": details,
                "needed_by": day + datetime.timedelta(days=rng.randrange(7, 30))
                if rng.random() < 0.5
                else None,
                "status": status,
                "paid_at": paid_at,
            }
        )
    ctx.insert(Expense, rows)
    approvals.add(ctx, "expense", Expense, subjects)
    changes.write(ctx)


def _adjustments(
    ctx: Ctx, school: SchoolWorld, count: int, book: Book, labels: dict[str, str]
) -> None:
    rng = ctx.rng(f"finance:adjustments:{school.index}")
    lines = [line for line in book.lines.values() if line.school_id == school.id]
    years = {pk: f"{start.year}-{start.year + 1}学年" for pk, start, _end in school.years}
    ends = {pk: end for pk, _start, end in school.years}
    index_of = {pk: n for n, pk in enumerate(school.departments)}
    picked = []
    for _ in range(count):
        line = rng.choice(lines)
        start = max(line.created_at.date() + datetime.timedelta(days=40), ctx.start)
        end = min(ends[line.year_id] - datetime.timedelta(days=30), ctx.today)
        if end < start:  # the current year's first weeks: an early request
            start = end = ctx.today
        picked.append((ctx.day(rng, start, end), line))
    picked.sort(key=lambda item: (item[0], item[1].id))
    ids = iter(ctx.ids(BudgetAdjustment, len(picked)))
    rows: list[dict[str, Any]] = []
    subjects: list[dict[str, Any]] = []
    changes = Changes(BudgetAdjustment)
    for day, line in picked:
        pk = next(ids)
        sign = 1 if rng.random() < 0.75 else -1
        delta = sign * max(
            THOUSAND,
            (line.planned * Decimal(str(round(rng.uniform(0.05, 0.3), 2))) / THOUSAND).quantize(
                Decimal("1")
            )
            * THOUSAND,
        )
        department = line.department_id
        requester = school.department_heads.get(department) or school.person("director", rng)
        created = ctx.moment(day, rng)
        number = ctx.number(school.id, "TZ", created.date())
        reason = rng.choice(ADJUSTMENT_REASONS[sign])
        status, decided, updated = "draft", None, created
        submitted = (
            later(ctx, created, rng, 0, 1)
            if rng.random() > 0.15 or day < ctx.today - datetime.timedelta(days=20)
            else None
        )
        if submitted is not None:
            status, updated = "pending", submitted
            moves = [("draft", "pending", requester, submitted, "")]
            decided = later(ctx, submitted, rng, 1, 8)
            if decided is None:
                if sign < 0:
                    book.add(line.id, submitted, "check", Decimal("0"), headroom=-delta)
            else:
                status, updated = _approval_fate(rng), decided
                principal = school.person("principal", rng)
                moves.append(
                    (
                        "pending",
                        status,
                        requester if status == "withdrawn" else principal,
                        decided,
                        "",
                    )
                )
                if status == "approved":
                    book.add(
                        line.id,
                        decided,
                        "adjust",
                        delta,
                        actor=principal,
                        source=("budget_adjustment", pk, number),
                        note=reason,
                    )
            changes.add(pk, school.id, moves)
            department_name = DEPARTMENTS[index_of[department]][0]
            line_name = f"{years[line.year_id]} {department_name} {labels[line.category]}"
            subjects.append(
                {
                    "object_id": pk,
                    "school": school,
                    "title": f"{number} {line_name} {delta:+,.2f}",
                    "amount": abs(delta),
                    "category": line.category,
                    "department_id": department,
                    "requester_id": requester,
                    "status": status,
                    "submitted_at": submitted,
                    "decided_at": decided,
                }
            )
        rows.append(
            {
                "id": pk,
                "created_at": created,
                "updated_at": updated,
                "school_id": school.id,
                "number": number,
                "line_id": line.id,
                "delta": money(delta),
                "reason": reason,
                "requester_id": requester,
                "status": status,
                "decided_at": decided if status in ("approved", "rejected") else None,
            }
        )
    ctx.insert(BudgetAdjustment, rows)
    approvals.add(ctx, "budget_adjustment", BudgetAdjustment, subjects)
    changes.write(ctx)
