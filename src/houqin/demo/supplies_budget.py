"""Demo budgets: lines per department and category for both school years, every change as
a ``BudgetEntry`` in time order, adjustments approved and pending.

The lines' amounts are set so that under the block policy no commitment would have been
refused: a line is at least its planned amount and at least what its use needed.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.finance.models import BudgetAdjustment, BudgetEntry, BudgetLine, FinanceSettings

from . import supplies_data as d
from .maintenance_story import fast_insert, reserve_keys
from .supplies_common import DAY, Approval, Approvals, People, money, number

# (year index, department, category, change, reason, requester, outcome, day)
ADJUSTMENTS = [
    (
        0,
        "总务处",
        "repair",
        30000,
        "暑期校舍维修项目增加，追加维修预算。",
        "director",
        ["approve", "approve"],
        datetime.date(2026, 5, 12),
    ),
    (
        0,
        "教务处",
        "teaching",
        10000,
        "新高考选科实验课增加，追加实验耗材预算。",
        "depthead",
        ["approve", "approve"],
        datetime.date(2026, 3, 10),
    ),
    (
        0,
        "高三年级组",
        "event",
        -3000,
        "高三成人礼活动简化，调减活动经费。",
        "t0004",
        ["approve", "approve"],
        datetime.date(2026, 4, 2),
    ),
    (
        0,
        "政教处",
        "event",
        12000,
        "增加研学旅行经费。",
        "t0001",
        ["approve", "reject"],
        datetime.date(2026, 4, 20),
    ),
    (
        1,
        "高一年级组",
        "event",
        5000,
        "高一新生军训及入学教育活动经费不足，申请追加。",
        "t0002",
        [],
        datetime.date(2026, 11, 18),
    ),
    (
        1,
        "安全办",
        "equipment",
        15000,
        "更换教学楼过期灭火器及应急照明。",
        "safety",
        ["approve"],
        datetime.date(2026, 11, 20),
    ),
]


@dataclass
class Line:
    row: dict[str, Any]
    planned: Decimal
    events: list[tuple[datetime.datetime, int, str, Decimal, dict[str, Any]]] = field(
        default_factory=list
    )


class Book:
    """Budget lines of one school and the money events on them."""

    def __init__(self, school: Any, people: People, years: list[Any]) -> None:
        self.school, self.people, self.years = school, people, years
        self.lines: dict[tuple[int, str, str], Line] = {}
        self.serial = 0
        FinanceSettings.objects.get_or_create(
            school=school, defaults={"budget_policy": "block", "require_budget_line": True}
        )
        plan = d.KG_BUDGETS if school.kind == "kindergarten" else d.BUDGETS
        rows = []
        for index, year in enumerate(years):
            for name, categories in plan.items():
                department = people.departments.get(name)
                if department is None:
                    continue
                for category, amount in categories.items():
                    planned = Decimal(amount)
                    if index == 1 and category == "office":
                        planned = (planned * Decimal("0.95")).quantize(Decimal("1"))
                    at = timezone.make_aware(
                        datetime.datetime.combine(year.start - 10 * DAY, datetime.time(9))
                    )
                    row = {
                        "school_id": school.pk,
                        "school_year_id": year.pk,
                        "department_id": department.pk,
                        "category": category,
                        "notes": "",
                        "created_at": at,
                        "updated_at": at,
                    }
                    rows.append(row)
                    self.lines[(index, name, category)] = Line(row, planned)
        reserve_keys(BudgetLine, rows)

    def year_of(self, day: datetime.date) -> int:
        for index, year in enumerate(self.years):
            if year.start <= day <= year.end:
                return index
        return 0 if day < self.years[0].start else len(self.years) - 1

    def line(self, department: str, category: str, day: datetime.date) -> Line | None:
        return self.lines.get((self.year_of(day), department, category))

    def add(
        self, line: Line, at: datetime.datetime, kind: str, amount: Decimal, **extra: Any
    ) -> None:
        amount = money(amount)
        if amount == 0:
            return
        self.serial += 1
        line.events.append((at, self.serial, kind, amount, extra))

    def adjustments(self, approvals: Approvals, clock: Any) -> list[dict[str, Any]]:
        rows = []
        for index, name, category, delta, reason, who, outcome, day in ADJUSTMENTS:
            line = self.lines.get((index, name, category))
            requester = self.people.users.get(who)
            if line is None or requester is None or day >= clock.today:
                continue
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 20)))
            row = {
                "school_id": self.school.pk,
                "line_id": line.row["id"],
                "delta": Decimal(delta),
                "reason": reason,
                "requester_id": requester.pk,
                "status": "pending",
                "decided_at": None,
                "created_at": at,
                "updated_at": at,
            }
            rows.append(row)
            reserve_keys(BudgetAdjustment, [row])
            row["id"] += len(rows) - 1
            approval = approvals.add(
                Approval(
                    request_type="budget_adjustment",
                    model=BudgetAdjustment,
                    object_id=row["id"],
                    title=reason,
                    amount=abs(Decimal(delta)),
                    category=category,
                    department=self.people.departments[name],
                    requester=requester,
                    submitted=at,
                    outcome=list(outcome),
                    reason="本学年预算已定，研学经费请在下学年申报。",
                    step_gap=datetime.timedelta(days=1),
                )
            )
            steps = approvals.deciding(approval)
            row["_approval"] = approval
            if outcome and outcome[-1] == "reject":
                row["status"], row["decided_at"] = "rejected", approval.decided_at(len(outcome) - 1)
            elif len(outcome) >= steps:
                decided = approval.decided_at(steps - 1)
                row["status"], row["decided_at"] = "approved", decided
                self.add(
                    line,
                    decided,
                    "adjust",
                    Decimal(delta),
                    source_type="budget_adjustment",
                    source_id=row["id"],
                    note=reason,
                )
        number(rows, "TZ", self.school.pk)
        for row in rows:
            approval = row.pop("_approval")
            approval.title = f"{row['number']} {row['reason']}"
            for line in self.lines.values():
                line.events = [
                    (at, s, kind, amount, {**extra, "reference": row["number"]})
                    if extra.get("source_type") == "budget_adjustment"
                    and extra.get("source_id") == row["id"]
                    else (at, s, kind, amount, extra)
                    for at, s, kind, amount, extra in line.events
                ]
        self.adjustment_rows = rows
        return rows

    def write(self) -> None:
        """Size each line, then write the lines, their entries and the adjustments."""
        entries = []
        for line in self.lines.values():
            events = sorted(line.events, key=lambda e: (e[0], e[1]))
            adjusted, need = Decimal(0), Decimal(0)
            committed = spent = Decimal(0)
            for _at, _s, kind, amount, _extra in events:
                committed, spent, adjusted = _apply(kind, amount, committed, spent, adjusted)
                need = max(need, committed + spent - adjusted)
            initial = max(line.planned, Decimal(math.ceil(need / Decimal("0.9") / 1000) * 1000))
            amount, committed, spent = initial, Decimal(0), Decimal(0)
            for at, _s, kind, value, extra in events:
                committed, spent, _x = _apply(kind, value, committed, spent, Decimal(0))
                if kind == "adjust":
                    amount += value
                entries.append(
                    {
                        "school_id": self.school.pk,
                        "line_id": line.row["id"],
                        "kind": kind,
                        "amount": value,
                        "committed_after": committed,
                        "spent_after": spent,
                        "budget_after": amount,
                        "source_type": extra.get("source_type", ""),
                        "source_id": extra.get("source_id"),
                        "reference": extra.get("reference", "")[:60],
                        "note": extra.get("note", "")[:300],
                        "actor_id": extra.get("actor_id"),
                        "at": at,
                    }
                )
            line.row.update(amount=amount, initial_amount=initial, committed=committed, spent=spent)
        fast_insert(BudgetLine, [line.row for line in self.lines.values()])
        fast_insert(BudgetEntry, entries)
        fast_insert(BudgetAdjustment, getattr(self, "adjustment_rows", []))


def _apply(
    kind: str, amount: Decimal, committed: Decimal, spent: Decimal, adjusted: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    if kind == "commit":
        return committed + amount, spent, adjusted
    if kind == "release":
        return committed - amount, spent, adjusted
    if kind == "spend":
        return committed, spent + amount, adjusted
    if kind == "refund":
        return committed, spent - amount, adjusted
    return committed, spent, adjusted + amount
