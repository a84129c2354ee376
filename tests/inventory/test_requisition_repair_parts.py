"""Repair parts taken from the store on a work order: issued at average cost for the worker,
refused when the store is short, only the difference moved when the work is recorded again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from houqin.inventory.models import StockItem, StockMovement
from houqin.maintenance.choices import OrderStatus
from houqin.maintenance.models import WorkOrder, WorkOrderPart
from houqin.maintenance.services.closing import work_order_verify
from houqin.maintenance.services.orders import work_order_start
from tests import factories as f
from tests import supplies
from tests.conftest import login
from tests.maintenance.factories import order, rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(school: Any) -> Any:
    return f.member(school, "worker")


@pytest.fixture
def started(school: Any, worker: Any) -> WorkOrder:
    rule(school, worker)
    return work_order_start(actor=worker, order=order(school))


@pytest.fixture
def tubes(school: Any) -> StockItem:
    item = supplies.stock_item(school, name="LED灯管", unit="根", category="electrical")
    supplies.receive(item, 4, "10")
    supplies.receive(item, 4, "12")  # average 11
    return item


def finish(client: Any, wo: WorkOrder, store: list[str], names: list[str], qty: list[str]) -> Any:
    return client.post(
        reverse("maintenance:workorder_finish", args=[wo.pk]),
        {
            "work_notes": "换灯管",
            "labour_minutes": "20",
            "contractor_cost": "0",
            "part-stock_item": store,
            "part-name": names,
            "part-quantity": qty,
            "part-unit": ["" for _n in names],
            "part-unit_price": ["99" for _n in names],
        },
    )


def test_a_part_from_the_store_is_issued_at_average_cost(
    started: WorkOrder, worker: Any, tubes: StockItem
) -> None:
    client = login(worker)
    page = client.get(reverse("maintenance:workorder_finish", args=[started.pk]))
    assert "LED灯管" in page.content.decode()
    response = finish(client, started, [str(tubes.pk), ""], ["", "胶布"], ["3", "1"])
    assert response.status_code == 302
    part = WorkOrderPart.objects.get(work_order=started, stock_item=tubes)
    assert (part.name, part.unit, part.unit_price, part.amount) == (
        "LED灯管",
        "根",
        Decimal("11.00"),
        Decimal("33.00"),
    )
    bought = WorkOrderPart.objects.get(work_order=started, stock_item=None)
    assert bought.unit_price == Decimal("99")
    movement = StockMovement.objects.get(kind="repair")
    assert movement.quantity == Decimal("-3") and movement.amount == Decimal("-33.00")
    assert movement.person_id == worker.pk and movement.department_id is None
    assert (movement.source_type, movement.source_id) == ("work_order", started.pk)
    assert movement.reference == started.number
    tubes.refresh_from_db()
    assert tubes.quantity == Decimal("5")


def test_not_enough_stock_refuses_the_part(
    started: WorkOrder, worker: Any, tubes: StockItem
) -> None:
    response = finish(login(worker), started, [str(tubes.pk)], [""], ["9"])
    assert response.status_code == 422
    assert "Not enough" in response.content.decode() or "库存" in response.content.decode()
    started.refresh_from_db()
    assert started.status == OrderStatus.IN_PROGRESS
    assert not StockMovement.objects.filter(kind="repair").exists()
    assert not WorkOrderPart.objects.exists()


def test_recording_again_moves_only_the_difference(
    started: WorkOrder, worker: Any, tubes: StockItem
) -> None:
    client = login(worker)
    finish(client, started, [str(tubes.pk)], [""], ["3"])
    started.refresh_from_db()
    work_order_verify(
        actor=started.requester, order=started, accepted=False, comment="还有一根不亮"
    )
    finish(client, started, [str(tubes.pk)], [""], ["2"])
    tubes.refresh_from_db()
    assert tubes.quantity == Decimal("6")  # 8 − 3 + 1 back
    back = StockMovement.objects.get(kind="return")
    assert back.quantity == Decimal("1") and back.source_id == started.pk


def test_another_schools_item_is_refused(
    started: WorkOrder, worker: Any, other_school: Any
) -> None:
    foreign = supplies.stock_item(other_school)
    supplies.receive(foreign, 5)
    response = finish(login(worker), started, [str(foreign.pk)], [""], ["1"])
    assert response.status_code == 422
    assert not StockMovement.objects.filter(kind="repair").exists()
