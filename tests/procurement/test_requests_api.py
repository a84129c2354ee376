"""``/api/v1/purchase-requests/``: create with nested lines, submit, withdraw, cancel,
visibility and refusals as 400 with the message."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from houqin.procurement.models import PurchaseRequest
from tests import factories as f
from tests import supplies
from tests.api.conftest import token_client
from tests.procurement.test_requests_services import draft, make_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(school: Any) -> SimpleNamespace:
    return make_office(school)


def payload(office: SimpleNamespace, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "department": office.department.pk,
        "title": "期中考试用品",
        "category": "office",
        "budget_line": office.line.pk,
        "reason": "期中考试",
        "lines": [
            {"item_name": "红笔", "quantity": "300", "unit": "支", "estimated_price": "1.20"},
            {"item_name": "订书机", "quantity": "2", "unit": "个", "estimated_price": "15"},
        ],
    }
    body.update(kw)
    return body


def test_a_teacher_creates_submits_and_withdraws(office: SimpleNamespace) -> None:
    client = token_client(office.teacher)
    url = reverse("api:purchaserequest-list")
    response = client.post(url, payload(office), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("CG-") and body["status"] == "draft"
    assert Decimal(body["estimated_total"]) == Decimal("390.00")
    assert [line["item_name"] for line in body["lines"]] == ["红笔", "订书机"]
    pk = body["id"]
    response = client.post(reverse("api:purchaserequest-submit", args=[pk]), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "pending"
    again = client.post(reverse("api:purchaserequest-submit", args=[pk]), format="json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "purchase_request_refused"
    response = client.post(reverse("api:purchaserequest-withdraw", args=[pk]), {}, format="json")
    assert response.json()["status"] == "withdrawn"
    response = client.post(reverse("api:purchaserequest-cancel", args=[pk]), {}, format="json")
    assert response.json()["status"] == "cancelled"


def test_a_store_item_fills_its_line(office: SimpleNamespace) -> None:
    item = supplies.stock_item(office.school, name="A4纸", unit="包")
    supplies.receive(item, "5", "22.5")
    body = payload(office, lines=[{"stock_item": item.pk, "quantity": "4"}])
    response = token_client(office.teacher).post(
        reverse("api:purchaserequest-list"), body, format="json"
    )
    assert response.status_code == 201, response.json()
    line = response.json()["lines"][0]
    assert (line["item_name"], line["unit"], line["estimated_price"]) == ("A4纸", "包", "22.50")


def test_refusals_and_validation(office: SimpleNamespace, other_school: Any) -> None:
    client = token_client(office.teacher)
    url = reverse("api:purchaserequest-list")
    assert client.post(url, payload(office, lines=[]), format="json").status_code == 400
    foreign = f.DepartmentFactory(school=other_school)
    response = client.post(url, payload(office, department=foreign.pk), format="json")
    assert response.status_code == 400
    assert "department" in response.json()["error"]["fields"]
    big = payload(
        office,
        lines=[{"item_name": "电脑", "quantity": "3", "unit": "台", "estimated_price": "4000"}],
    )
    pk = client.post(url, big, format="json").json()["id"]
    response = client.post(reverse("api:purchaserequest-submit", args=[pk]), format="json")
    assert response.status_code == 400
    assert "available" in response.json()["error"]["message"]
    assert PurchaseRequest.objects.get(pk=pk).status == "draft"


def test_visibility_follows_the_web(office: SimpleNamespace, other_school: Any) -> None:
    mine = draft(office)
    colleague = f.member(office.school, "teacher")
    theirs = draft(office, actor=colleague, title="别人的")
    ids = {
        row["id"]
        for row in token_client(office.teacher)
        .get(reverse("api:purchaserequest-list"))
        .json()["results"]
    }
    assert ids == {mine.pk}
    ids = {
        row["id"]
        for row in token_client(office.purchaser)
        .get(reverse("api:purchaserequest-list"))
        .json()["results"]
    }
    assert ids == {mine.pk, theirs.pk}
    outsider = token_client(f.member(other_school, "director"))
    assert outsider.get(reverse("api:purchaserequest-detail", args=[mine.pk])).status_code == 404
    nobody = token_client(f.member_without_permissions(office.school))
    assert nobody.get(reverse("api:purchaserequest-list")).status_code == 403
    # Someone else's draft cannot be submitted by a colleague who cannot see it.
    response = token_client(colleague).post(
        reverse("api:purchaserequest-submit", args=[mine.pk]), format="json"
    )
    assert response.status_code == 404
