"""Demo approval chains and expense claims in every state, made through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from houqin.accounts.models import Role, User
from houqin.approvals.models import ApprovalChain, ApprovalChainStep, ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.finance.models import Expense
from houqin.finance.services import expense_save, expense_submit
from houqin.org.models import Department, School

# request type -> chain name, steps (name, kind, role code, minimum amount)
CHAINS: dict[str, tuple[str, list[tuple[str, str, str, str | None]]]] = {
    "expense": (
        "经费报销审批",
        [
            ("部门负责人审核", "department_head", "", None),
            ("总务处审核", "role", "director", None),
            ("校长审批（5000 元以上）", "role", "principal", "5000"),
        ],
    ),
    "purchase_request": (
        "物资采购审批",
        [
            ("部门负责人审核", "department_head", "", None),
            ("分管副校长审批", "role", "vp", None),
            ("校长审批（5000 元以上）", "role", "principal", "5000"),
        ],
    ),
    "print_job": ("文印审批", [("部门负责人审核", "department_head", "", None)]),
    "requisition": (
        "物品领用审批",
        [
            ("部门负责人审核", "department_head", "", None),
            ("总务处审核（500 元以上）", "role", "director", "500"),
        ],
    ),
    "budget_adjustment": (
        "预算调整审批",
        [
            ("财务室审核", "role", "accountant", None),
            ("校长审批", "role", "principal", None),
        ],
    ),
    "stock_count": ("盘点差异审批", [("总务处审核", "role", "director", None)]),
    "asset_transfer": (
        "资产调拨审批",
        [
            ("总务处审核", "role", "director", None),
            ("分管副校长审批（5 万元以上）", "role", "vp", "50000"),
        ],
    ),
    "asset_disposal": (
        "资产报废审批",
        [
            ("总务处审核", "role", "director", None),
            ("分管副校长审核（1 万元以上）", "role", "vp", "10000"),
            ("校长审批", "role", "principal", None),
        ],
    ),
    "compensation_waiver": (
        "赔偿减免审批",
        [
            ("总务处审核", "role", "director", None),
            ("校长审批（500 元以上）", "role", "principal", "500"),
        ],
    ),
}

# (school code, requester, department, title, category, amount, description, what happens)
EXPENSES = [
    (
        "3101012026",
        "teacher",
        "高一年级组",
        "高一年级期中考试阅卷用红笔",
        "office",
        "360.00",
        "红笔 300 支，每支 1.2 元。",
        ["t0002"],
    ),
    (
        "3101012026",
        "teacher",
        "高一年级组",
        "班级图书角书架",
        "teaching",
        "1280.00",
        "高一(3)班图书角书架 2 个。",
        [],
    ),
    (
        "3101012026",
        "depthead",
        "教务处",
        "教研活动外出交通费",
        "travel",
        "450.00",
        "赴市教研室参加高三复习研讨会。",
        [],
    ),
    (
        "3101012026",
        "teacher",
        "高一年级组",
        "运动会班级服装",
        "event",
        "6800.00",
        "全年级运动会服装 170 套。",
        ["t0002", "director"],
    ),
    (
        "3101012026",
        "t0001",
        "高二年级组",
        "实验室防护眼镜",
        "teaching",
        "900.00",
        "化学实验防护眼镜 60 副。",
        ["t0003", "return:director"],
    ),
]


def chains(schools: list[School], roles: dict[str, Role]) -> None:
    for school in schools:
        for request_type, (name, steps) in CHAINS.items():
            chain, created = ApprovalChain.objects.get_or_create(
                school=school,
                request_type=request_type,
                is_active=True,
                defaults={"name": name},
            )
            if not created:
                continue
            for order, (step_name, kind, role, minimum) in enumerate(steps, start=1):
                ApprovalChainStep.objects.create(
                    chain=chain,
                    order=order,
                    name=step_name,
                    approver_kind=kind,
                    role=roles.get(role),
                    min_amount=Decimal(minimum) if minimum else None,
                )


def _approver(request: ApprovalRequest, username: str) -> User:
    return User.objects.get(username=username)


def expenses() -> int:
    made = 0
    for code, requester, department, title, category, amount, text, steps in EXPENSES:
        school = School.objects.get(code=code)
        if Expense.objects.filter(school=school, title=title).exists():
            continue
        user = User.objects.get(username=requester)
        expense = expense_save(
            actor=user,
            expense=Expense(
                department=Department.objects.get(school=school, name=department),
                title=title,
                category=category,
                amount=Decimal(amount),
                description=text,
            ),
        )
        made += 1
        if not steps and title.endswith("书架"):
            continue  # stays a draft
        expense_submit(actor=user, expense=expense)
        request = ApprovalRequest.objects.get(object_id=expense.pk, request_type="expense")
        for step in steps:
            action, _sep, who = step.rpartition(":")
            approval_act(
                request=request,
                actor=_approver(request, who),
                action=action or "approve",
                reason="请补充发票照片" if action else "",
            )
    return made


def load(schools: list[School]) -> dict[str, Any]:
    roles = {role.code: role for role in Role.objects.all()}
    chains(schools, roles)
    return {"expenses": expenses()}
