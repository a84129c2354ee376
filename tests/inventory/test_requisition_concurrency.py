"""On PostgreSQL: 32 storekeepers issuing the last 10 units at the same moment issue exactly
10 and refuse the rest with the stock message; two issues of the same requisition never
issue more than was asked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.inventory.models import Requisition, StockItem, StockMovement
from houqin.inventory.services import requisitions as services
from houqin.inventory.services.stock import StockError
from tests import factories as f
from tests import supplies
from tests.core.test_workflow_numbers import needs_server_db, run_in_threads

from .objects_requisitions import make_requisition

pytestmark = [needs_server_db, pytest.mark.django_db(transaction=True)]


def test_32_issues_of_the_last_10_units(school: Any) -> None:
    department = f.DepartmentFactory(school=school)
    teacher = f.member(school, "teacher", department=department)
    keeper = f.member(school, "storekeeper")
    item = supplies.stock_item(school, name="粉笔")
    supplies.receive(item, 10, "1")
    made = [make_requisition(teacher, department, [(item, 1)], submit=True) for _n in range(32)]
    lines = {r.pk: r.lines.get().pk for r in made}

    def issue(index: int) -> str:
        requisition = Requisition.objects.get(pk=made[index].pk)
        services.requisition_issue(
            actor=keeper, requisition=requisition, quantities={lines[requisition.pk]: 1}
        )
        return requisition.number

    results, errors = run_in_threads(32, issue)
    assert len(results) == 10
    assert len(errors) == 22
    assert all(isinstance(e, StockError) and "库存不足" in str(e) for e in errors)
    assert StockItem.objects.get(pk=item.pk).quantity == 0
    assert StockMovement.objects.filter(kind="issue").count() == 10
    assert Requisition.objects.filter(status="issued").count() == 10
    assert Requisition.objects.filter(status="approved").count() == 22


def test_two_issues_of_one_requisition(school: Any) -> None:
    department = f.DepartmentFactory(school=school)
    teacher = f.member(school, "teacher", department=department)
    keepers = [f.member(school, "storekeeper") for _n in range(2)]
    item = supplies.stock_item(school)
    supplies.receive(item, 100, "1")
    made = make_requisition(teacher, department, [(item, 6)], submit=True)
    line = made.lines.get()

    def issue(index: int) -> Decimal:
        services.requisition_issue(
            actor=keepers[index],
            requisition=Requisition.objects.get(pk=made.pk),
            quantities={line.pk: 4},
        )
        return Decimal("4")

    results, errors = run_in_threads(2, issue)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], services.RequisitionError)
    line.refresh_from_db()
    assert line.issued == Decimal("4")
    assert StockItem.objects.get(pk=item.pk).quantity == Decimal("96")
