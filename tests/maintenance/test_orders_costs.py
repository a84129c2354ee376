"""Repair costs roll up to the asset and the room (SQL aggregates) and show on their pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.maintenance.models import WorkOrder
from houqin.maintenance.selectors import (
    asset_repair_totals,
    costs_by_asset,
    costs_by_room,
    room_repair_totals,
)
from houqin.maintenance.services.closing import work_order_cancel
from houqin.maintenance.services.orders import work_order_finish, work_order_start
from tests import factories as f
from tests.assets.objects_register import make_asset
from tests.conftest import login

from .factories import order, rule

pytestmark = pytest.mark.django_db


def repaired(wo: WorkOrder, worker: Any, price: str, contractor: str = "0") -> WorkOrder:
    wo = work_order_start(actor=worker, order=wo)
    return work_order_finish(
        actor=worker,
        order=wo,
        work_notes="修好了",
        parts=[{"name": "零件", "quantity": 1, "unit_price": price}],
        contractor_cost=Decimal(contractor),
    )


@pytest.fixture
def setting(school: Any) -> dict[str, Any]:
    worker = f.member(school, "worker")
    rule(school, worker)
    room = f.RoomFactory(building__campus__school=school)
    asset = make_asset(school, room=room)
    director = f.member(school, "director")
    repaired(order(school, asset=asset, room=room), worker, "10.00")
    repaired(order(school, asset=asset, room=room), worker, "5.50", contractor="100")
    repaired(order(school, room=room), worker, "1.00")
    order(school, room=room)  # still open
    work_order_cancel(actor=director, order=order(school, room=room), reason="重复")
    return {"worker": worker, "room": room, "asset": asset, "director": director}


def test_costs_roll_up_to_the_asset_and_the_room(setting: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as queries:
        asset = asset_repair_totals(setting["asset"].pk)
    assert len(queries) == 1
    assert (asset.count, asset.open, asset.total_cost) == (2, 0, Decimal("115.50"))
    assert asset.contractor_cost == Decimal("100.00")
    room = room_repair_totals(setting["room"].pk)
    assert (room.count, room.open, room.total_cost) == (4, 1, Decimal("116.50"))
    by_room = list(costs_by_room(WorkOrder.objects.all()))
    assert by_room == [{"room_id": setting["room"].pk, "count": 4, "total": Decimal("116.5")}]
    by_asset = list(costs_by_asset(WorkOrder.objects.all()))
    assert by_asset[0]["total"] == Decimal("115.5") and by_asset[0]["count"] == 2


def test_the_asset_and_room_pages_show_the_repairs(setting: dict[str, Any]) -> None:
    client = login(setting["director"])
    page = client.get(setting["asset"].get_absolute_url()).content.decode()
    assert 'data-testid="repair-panel"' in page and "¥115.50" in page
    page = client.get(setting["room"].get_absolute_url()).content.decode()
    assert 'data-testid="repair-panel"' in page and "¥116.50" in page
    listed = client.get(reverse("maintenance:workorder_list"), {"asset": setting["asset"].pk})
    assert len(listed.context["rows"]) == 2


def test_the_panel_is_hidden_without_the_permission(school: Any, setting: dict[str, Any]) -> None:
    keeper = f.member(school, "assetkeeper")
    page = login(keeper).get(setting["asset"].get_absolute_url()).content.decode()
    assert 'data-testid="repair-panel"' not in page


def test_the_asset_page_offers_a_new_order_with_the_asset(setting: dict[str, Any]) -> None:
    client = login(setting["director"])
    page = client.get(setting["asset"].get_absolute_url()).content.decode()
    link = f"{reverse('maintenance:workorder_add')}?asset={setting['asset'].pk}"
    assert link in page
    form = client.get(link).context["form"]
    assert form.initial["asset"] == setting["asset"].code
    assert form.initial["room"] == setting["room"].pk
