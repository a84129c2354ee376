"""Small builders shared by the budget, purchasing, store and printing tests."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from houqin.approvals.models import ApprovalChain, ApprovalChainStep
from houqin.finance.models import BudgetLine
from houqin.inventory.choices import MovementKind
from houqin.inventory.models import StockItem
from houqin.inventory.services.stock import stock_move
from houqin.org.models import SchoolYear
from houqin.procurement.credit_code import ALPHABET, check_character
from houqin.procurement.models import Supplier
from tests import factories as f

_codes = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    """A valid 统一社会信用代码 (9131 0000 + a serial + the check character)."""
    serial = next(_codes) if n is None else n
    body = f"91310000{serial:09d}"
    body = "".join(ch if ch in ALPHABET else "0" for ch in body)
    return body + check_character(body)


def school_year(school: Any, start: datetime.date | None = None) -> SchoolYear:
    """The school year containing ``start`` (today by default), created when missing."""
    day = start or datetime.date.today()
    found = SchoolYear.objects.filter(school=school, start__lte=day, end__gte=day).first()
    if found is not None:
        return found
    first = datetime.date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return f.SchoolYearFactory(
        school=school,
        name=f"{first.year}-{first.year + 1}学年",
        start=first,
        end=datetime.date(first.year + 1, 8, 31),
    )


def budget_line(
    school: Any,
    department: Any,
    category: str = "office",
    amount: str | Decimal = "10000",
    year: SchoolYear | None = None,
) -> BudgetLine:
    line = BudgetLine(
        school=school,
        school_year=year or school_year(school),
        department=department,
        category=category,
        amount=Decimal(amount),
        initial_amount=Decimal(amount),
    )
    line.full_clean()
    line.save()
    return line


def stock_item(school: Any, **kw: Any) -> StockItem:
    n = next(_codes)
    values: dict[str, Any] = {
        "code": f"HC{n:05d}",
        "name": f"物品{n}",
        "unit": "个",
        "category": "office",
        "min_stock": Decimal("0"),
    }
    values.update(kw)
    item = StockItem(school=school, **values)
    item.full_clean()
    item.save()
    return item


def receive(item: StockItem, qty: Any, cost: Any = "1", actor: Any = None) -> Any:
    return stock_move(
        item=item,
        kind=MovementKind.RECEIPT,
        quantity=qty,
        unit_cost=Decimal(str(cost)),
        actor=actor,
        reason="入库",
    )


def supplier(school: Any, **kw: Any) -> Supplier:
    n = next(_codes)
    values: dict[str, Any] = {"name": f"供应商{n}", "credit_code": credit_code(n)}
    values.update(kw)
    found = Supplier(school=school, **values)
    found.full_clean()
    found.save()
    return found


def chain(school: Any, request_type: str, *steps: tuple[str, Any]) -> ApprovalChain:
    """An active chain; each step is ("department_head", None) or ("role", "director")."""
    made = ApprovalChain.objects.create(school=school, request_type=request_type, name=request_type)
    for order, (kind, value) in enumerate(steps, start=1):
        ApprovalChainStep.objects.create(
            chain=made,
            order=order,
            name=f"第{order}步",
            approver_kind=kind,
            role=f.role(value) if kind == "role" else None,
            user=value if kind == "user" else None,
        )
    return made
