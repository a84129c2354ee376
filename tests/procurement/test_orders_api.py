"""``/api/v1/purchase-orders/`` and ``/api/v1/acceptances/``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from houqin.inventory.models import StockItem
from houqin.procurement.choices import AcceptanceStatus, OrderStatus
from tests import factories as f
from tests import supplies
from tests.api.conftest import token_client

from .objects_orders import approved_request

pytestmark = pytest.mark.django_db


def test_the_chain_through_the_api(school: Any, other_school: Any) -> None:
    office = f.DepartmentFactory(school=school)
    teacher = f.member(school, "teacher", department=office)
    purchaser = f.member(school, "purchaser")
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    request = approved_request(school, office, teacher, [("A4纸", 10, "25", paper)])
    client = token_client(purchaser)
    line = request.lines.get()
    made = client.post(
        "/api/v1/purchase-orders/consolidate/",
        {"lines": [line.pk], "title": "纸", "supplier": supplies.supplier(school).pk},
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["status"] == OrderStatus.DRAFT and len(body["lines"]) == 1
    again = client.post(
        "/api/v1/purchase-orders/consolidate/", {"lines": [line.pk], "title": "x"}, format="json"
    )
    assert again.status_code == 400
    placed = client.post(f"/api/v1/purchase-orders/{body['id']}/place/", {}, format="json")
    assert placed.status_code == 200 and placed.json()["status"] == OrderStatus.PLACED
    listed = client.get("/api/v1/purchase-orders/").json()
    assert listed["count"] == 1
    accepted = client.post(
        "/api/v1/acceptances/",
        {
            "order": body["id"],
            "delivered_on": datetime.date.today().isoformat(),
            "acceptors": [purchaser.pk],
            "lines": [{"order_line": body["lines"][0]["id"], "delivered": "10"}],
        },
        format="json",
    )
    assert accepted.status_code == 201, accepted.json()
    confirmed = client.post(f"/api/v1/acceptances/{accepted.json()['id']}/confirm/", {})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == AcceptanceStatus.CONFIRMED
    assert StockItem.objects.get(pk=paper.pk).quantity == Decimal("10")
    closed = client.post(f"/api/v1/purchase-orders/{body['id']}/close/", {}, format="json")
    assert closed.status_code == 400  # a reason is needed
    outsider = token_client(f.member(other_school, "purchaser"))
    assert outsider.get(f"/api/v1/purchase-orders/{body['id']}/").status_code == 404
    assert token_client(teacher).get("/api/v1/purchase-orders/").status_code == 403
