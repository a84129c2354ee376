"""``/api/v1/stock-items/`` (with ``move``) and ``/api/v1/stock-movements/``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from houqin.inventory.models import StockItem, StockMovement
from tests import factories as f
from tests import supplies

pytestmark = pytest.mark.django_db
D = Decimal


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_items_are_listed_with_their_totals_and_created_with_a_code(school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    item = supplies.stock_item(school, name="记号笔", min_stock=D("5"))
    supplies.receive(item, 3, "2")
    api = client_for(keeper)
    listed = api.get("/api/v1/stock-items/", {"low": "1"})
    assert listed.status_code == 200
    (row,) = listed.json()["results"]
    assert row["name"] == "记号笔" and D(row["quantity"]) == 3 and row["low"] is True
    created = api.post(
        "/api/v1/stock-items/",
        {"name": "档案袋", "unit": "个", "category": "office", "quantity": "99"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    made = StockItem.objects.get(name="档案袋")
    assert made.code.startswith("HC-") and made.quantity == 0  # totals are read only
    changed = api.patch(f"/api/v1/stock-items/{made.pk}/", {"shelf": "B-02"}, format="json")
    assert changed.status_code == 200 and changed.json()["shelf"] == "B-02"
    clash = api.patch(f"/api/v1/stock-items/{made.pk}/", {"code": item.code}, format="json")
    assert clash.status_code == 400


def test_move_goes_through_the_ledger_and_refusals_are_400(school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    department = f.DepartmentFactory(school=school)
    item = supplies.stock_item(school, unit="盒")
    api = client_for(keeper)
    url = f"/api/v1/stock-items/{item.pk}/move/"
    received = api.post(
        url, {"kind": "receipt", "quantity": "5", "unit_cost": "3", "reason": "零购"}, format="json"
    )
    assert received.status_code == 201, received.json()
    assert D(received.json()["item"]["quantity"]) == 5
    refused = api.post(
        url,
        {"kind": "issue", "quantity": "6", "department": department.pk, "reason": "领"},
        format="json",
    )
    assert refused.status_code == 400
    assert "库存不足" in str(refused.json())
    wrong = api.post(url, {"kind": "print", "quantity": "1", "reason": "x"}, format="json")
    assert wrong.status_code == 400
    assert StockItem.objects.get(pk=item.pk).quantity == 5
    teacher = client_for(f.member(school, "teacher"))
    forbidden = teacher.post(url, {"kind": "scrap", "quantity": "1", "reason": "x"}, format="json")
    assert forbidden.status_code == 403


def test_movements_are_read_only_scoped_and_filtered(school: Any, other_school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    a = supplies.stock_item(school)
    supplies.receive(a, 4)
    far = supplies.stock_item(other_school)
    supplies.receive(far, 1)
    api = client_for(keeper)
    listed = api.get("/api/v1/stock-movements/", {"kind": "receipt"})
    assert listed.status_code == 200
    assert [row["item"] for row in listed.json()["results"]] == [a.pk]
    mine = StockMovement.objects.get(item=a)
    theirs = StockMovement.objects.get(item=far)
    assert api.get(f"/api/v1/stock-movements/{mine.pk}/").status_code == 200
    assert api.get(f"/api/v1/stock-movements/{theirs.pk}/").status_code == 404
    assert api.post("/api/v1/stock-movements/", {}, format="json").status_code == 405
    assert (
        client_for(f.member(school, "teacher")).get("/api/v1/stock-movements/").status_code == 403
    )
