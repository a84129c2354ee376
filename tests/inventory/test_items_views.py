"""Store item pages: list (filters, low badge, export, constant queries), an item's ledger
and consumption, create/edit with generated codes, manual movements, reorder."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.inventory.models import StockItem, StockMovement
from houqin.inventory.services.stock import stock_move
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "storekeeper")


def test_the_list_shows_stock_with_unit_and_a_low_badge(school: Any, keeper: Any) -> None:
    paper = supplies.stock_item(school, name="A4复印纸", unit="包", min_stock=D("10"))
    supplies.receive(paper, 4, "20")
    pens = supplies.stock_item(school, name="签字笔", unit="支", min_stock=D("5"))
    supplies.receive(pens, 50, "1.5")
    page = login(keeper).get(reverse("inventory:item_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "4 包" in text and "50 支" in text
    assert text.count('data-testid="low"') == 1
    low = login(keeper).get(reverse("inventory:item_list"), {"low": "1"})
    assert "A4复印纸" in low.content.decode() and "签字笔" not in low.content.decode()
    found = login(keeper).get(reverse("inventory:item_list"), {"q": "签字"})
    assert "签字笔" in found.content.decode() and "A4复印纸" not in found.content.decode()


def test_the_list_keeps_a_constant_number_of_queries(school: Any, keeper: Any) -> None:
    client = login(keeper)
    supplies.receive(supplies.stock_item(school), 1)
    client.get(reverse("inventory:item_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("inventory:item_list"))
    for _n in range(15):
        supplies.receive(supplies.stock_item(school, min_stock=D("3")), 2)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("inventory:item_list"))
    assert len(many) == len(one)


def test_the_export_has_every_filtered_item(school: Any, keeper: Any) -> None:
    item = supplies.stock_item(school, name="胶水", unit="瓶")
    supplies.receive(item, 7, "3")
    response = login(keeper).get(reverse("inventory:item_list"), {"export": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.values)
    assert len(rows) == 2 and "胶水" in rows[1] and 7 in rows[1]


def test_an_item_page_shows_its_ledger_and_consumption(school: Any, keeper: Any) -> None:
    department = f.DepartmentFactory(school=school, name="教务处")
    item = supplies.stock_item(school, name="粉笔", unit="盒")
    supplies.receive(item, 20, "2")
    stock_move(
        item=item,
        kind="issue",
        quantity=3,
        actor=keeper,
        reason="领用",
        department=department,
        source_type="stock_count",
        source_id=1,
        reference="KC-1",
    )
    client = login(keeper)
    page = client.get(reverse("inventory:item_detail", args=[item.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="ledger"' in text and "教务处" in text
    assert reverse("inventory:count_detail", args=[1]) in text  # the source link
    assert page.context["ledger_rows"][0]["balance"] == "17"
    months = page.context["consumption"]
    assert len(months) == 12 and months[-1]["quantity"] == D("3")
    assert months[-1]["amount"] == D("6.00")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("inventory:item_detail", args=[item.pk]))
    for _n in range(10):
        stock_move(item=item, kind="issue", quantity=1, actor=keeper, reason="x", person=keeper)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("inventory:item_detail", args=[item.pk]))
    assert len(more) == len(few)


def test_a_teacher_sees_items_but_not_the_ledger(school: Any, teacher: Any) -> None:
    item = supplies.stock_item(school)
    supplies.receive(item, 2)
    page = login(teacher).get(reverse("inventory:item_detail", args=[item.pk]))
    assert page.status_code == 200 and 'data-testid="ledger"' not in page.content.decode()
    assert login(teacher).get(reverse("inventory:movement_list")).status_code == 403
    assert login(teacher).get(reverse("inventory:item_add")).status_code == 403


def test_another_school_gets_404(school: Any, other_school: Any) -> None:
    item = supplies.stock_item(school)
    stranger = f.member(other_school, "storekeeper")
    client = login(stranger)
    assert client.get(reverse("inventory:item_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("inventory:item_edit", args=[item.pk])).status_code == 404
    page = client.get(reverse("inventory:movement_add"), {"item": item.pk})
    assert page.status_code == 200
    response = client.post(
        reverse("inventory:movement_add"),
        {"item": item.pk, "kind": "receipt", "quantity": "1", "unit_cost": "1", "reason": "x"},
    )
    assert response.status_code == 422 and fresh_quantity(item) == 0


def fresh_quantity(item: StockItem) -> Decimal:
    return StockItem.objects.get(pk=item.pk).quantity


def test_create_generates_a_code_and_edit_keeps_the_totals(school: Any, keeper: Any) -> None:
    client = login(keeper)
    data = {
        "school": school.pk,
        "code": "",
        "name": "订书机",
        "unit": "个",
        "category": "office",
        "min_stock": "2",
        "max_stock": "10",
        "is_active": "on",
    }
    response = client.post(reverse("inventory:item_add"), data)
    assert response.status_code == 302
    item = StockItem.objects.get(name="订书机")
    assert item.code == "HC-00001"
    supplies.receive(item, 5, "12")
    data.update(code=item.code, name="订书机（重型）", min_stock="3")
    response = client.post(reverse("inventory:item_edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "订书机（重型）" and item.quantity == 5 and item.value == D("60.00")
    second = client.post(reverse("inventory:item_add"), {**data, "code": "", "name": "b"})
    assert second.status_code == 302
    assert StockItem.objects.get(name="b").code == "HC-00002"
    clash = client.post(reverse("inventory:item_add"), {**data, "code": item.code, "name": "c"})
    assert clash.status_code == 422


def test_a_manual_receipt_and_issue_go_through_the_ledger(school: Any, keeper: Any) -> None:
    department = f.DepartmentFactory(school=school)
    item = supplies.stock_item(school, unit="包")
    client = login(keeper)
    url = reverse("inventory:movement_add")
    assert client.get(url, {"item": item.pk}).status_code == 200
    response = client.post(
        url,
        {
            "item": item.pk,
            "kind": "receipt",
            "quantity": "12",
            "unit_cost": "21.5",
            "supplier_note": "文具店 发票001",
            "reason": "零星采购",
        },
    )
    assert response.status_code == 302
    receipt = StockMovement.objects.get(item=item)
    assert receipt.amount == D("258.00") and receipt.reference == "文具店 发票001"
    refused = client.post(
        url,
        {
            "item": item.pk,
            "kind": "issue",
            "quantity": "13",
            "department": department.pk,
            "reason": "发放",
        },
    )
    assert refused.status_code == 422
    assert "库存不足" in refused.content.decode()
    assert fresh_quantity(item) == 12
    no_cost = client.post(url, {"item": item.pk, "kind": "receipt", "quantity": "1", "reason": "x"})
    assert no_cost.status_code == 422
    issued = client.post(
        url,
        {
            "item": item.pk,
            "kind": "issue",
            "quantity": "2",
            "department": department.pk,
            "reason": "发放",
        },
    )
    assert issued.status_code == 302 and fresh_quantity(item) == 10


def test_the_movement_list_filters_and_exports(school: Any, keeper: Any) -> None:
    a = supplies.stock_item(school, name="甲")
    b = supplies.stock_item(school, name="乙")
    supplies.receive(a, 3)
    supplies.receive(b, 4)
    stock_move(item=b, kind="scrap", quantity=1, actor=keeper, reason="坏了")
    client = login(keeper)
    page = client.get(reverse("inventory:movement_list"), {"kind": "scrap"})
    assert page.status_code == 200 and page.context["page"].paginator.count == 1
    by_item = client.get(reverse("inventory:movement_list"), {"item": a.pk})
    assert by_item.context["page"].paginator.count == 1
    export = client.get(reverse("inventory:movement_list"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert len(list(book.active.values)) == 4
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("inventory:movement_list"))
    for _n in range(10):
        stock_move(item=a, kind="return", quantity=1, actor=keeper, reason="退回", person=keeper)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("inventory:movement_list"))
    assert len(many) == len(one)


def test_the_reorder_page_suggests_up_to_max_or_twice_min(school: Any, keeper: Any) -> None:
    with_max = supplies.stock_item(school, name="墨盒", min_stock=D("5"), max_stock=D("20"))
    supplies.receive(with_max, 3, "50")
    no_max = supplies.stock_item(school, name="抹布", min_stock=D("10"))
    supplies.receive(no_max, 4, "2")
    fine = supplies.stock_item(school, name="够用", min_stock=D("1"))
    supplies.receive(fine, 9)
    page = login(keeper).get(reverse("inventory:reorder_list"))
    assert page.status_code == 200
    rows = {row["item"].name: row for row in page.context["rows"]}
    assert set(rows) == {"墨盒", "抹布"}
    assert rows["墨盒"]["suggested"] == "17" and rows["抹布"]["suggested"] == "16"
    assert page.context["total_value"] == D("17") * 50 + D("16") * 2
