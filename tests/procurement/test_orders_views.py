"""The purchasing pages: consolidation, the order page with quotes, placing, PDFs, the lists
(constant queries), and scoping (403 without the permission, 404 for another school)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.procurement.choices import AcceptanceStatus, OrderStatus
from houqin.procurement.models import Acceptance, PurchaseOrder, Quotation
from houqin.procurement.services.orders import purchase_order_consolidate
from tests import factories as f
from tests import supplies
from tests.conftest import login

from .objects_orders import approved_request

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def world(school: Any) -> dict[str, Any]:
    office = f.DepartmentFactory(school=school, name="教务处")
    teacher = f.member(school, "teacher", department=office)
    purchaser = f.member(school, "purchaser")
    client = login(purchaser)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the pages' messages are checked in English
    return {
        "office": office,
        "teacher": teacher,
        "purchaser": purchaser,
        "client": client,
        "school": school,
    }


def make_order(world: dict[str, Any], *lines: tuple[Any, ...]) -> PurchaseOrder:
    request = approved_request(
        world["school"], world["office"], world["teacher"], list(lines or [("A4纸", 10, "25")])
    )
    return purchase_order_consolidate(
        actor=world["purchaser"], lines=list(request.lines.all()), title="办公用品"
    )


def test_the_purchaser_consolidates_two_requests(world: dict[str, Any]) -> None:
    first = approved_request(
        world["school"], world["office"], world["teacher"], [("A4纸", 10, "25")]
    )
    second = approved_request(
        world["school"], world["office"], world["teacher"], [("A4纸", 5, "22")]
    )
    client = world["client"]
    page = client.get(reverse("procurement:consolidate"))
    assert page.status_code == 200
    assert "A4纸" in page.content.decode() and first.number in page.content.decode()
    empty = client.post(reverse("procurement:consolidate"), {"title": "纸"})
    assert empty.status_code == 422
    ids = [first.lines.get().pk, second.lines.get().pk]
    response = client.post(reverse("procurement:consolidate"), {"title": "纸", "line": ids})
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert order.lines.get().quantity == Decimal("15")
    detail = client.get(order.get_absolute_url())
    assert detail.status_code == 200
    assert first.number in detail.content.decode()


def test_the_order_page_collects_quotes_and_places(world: dict[str, Any]) -> None:
    order = make_order(world, ("投影仪", 2, "4000"))
    client = world["client"]
    line = order.lines.get()
    suppliers = [supplies.supplier(world["school"]) for _ in range(3)]
    for supplier, price in zip(suppliers, ("3800", "3900", "4100"), strict=True):
        response = client.post(
            reverse("procurement:quotation_add", args=[order.pk]),
            {"supplier": supplier.pk, "quoted_on": TODAY.isoformat(), f"price_{line.pk}": price},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(order.get_absolute_url()).content.decode()
    assert "At least 3 people must evaluate" in page
    assert "table-success" in page  # the lowest price marked
    evaluators = [f.member(world["school"], "teacher") for _ in range(3)]
    cheapest = Quotation.objects.get(supplier=suppliers[0])
    client.post(
        reverse("procurement:order_action", args=[order.pk, "choose"]),
        {"quotation": cheapest.pk, "evaluators": [p.pk for p in evaluators], "reason": "最低价"},
    )
    order.refresh_from_db()
    assert order.supplier == suppliers[0] and order.total == Decimal("7600.00")
    client.post(reverse("procurement:order_action", args=[order.pk, "place"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    pdf = client.get(reverse("procurement:order_pdf", args=[order.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    record = client.get(reverse("procurement:quote_compare", args=[order.pk]))
    assert record.status_code == 200 and record.content.startswith(b"%PDF")


def test_a_refused_place_shows_what_is_missing(world: dict[str, Any]) -> None:
    order = make_order(world)
    response = world["client"].post(
        reverse("procurement:order_action", args=[order.pk, "place"]), follow=True
    )
    assert "Choose the supplier." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_editing_prices(world: dict[str, Any]) -> None:
    order = make_order(world)
    line = order.lines.get()
    supplier = supplies.supplier(world["school"])
    url = reverse("procurement:order_edit", args=[order.pk])
    assert world["client"].get(url).status_code == 200
    response = world["client"].post(
        url, {"title": "纸", "supplier": supplier.pk, f"price_{line.pk}": "20"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.total == Decimal("200.00") and order.savings == Decimal("50.00")


def test_acceptance_pages(world: dict[str, Any]) -> None:
    paper = supplies.stock_item(world["school"], name="A4纸", unit="包")
    order = make_order(world, ("A4纸", 10, "25", paper))
    client = world["client"]
    client.post(
        reverse("procurement:order_edit", args=[order.pk]),
        {
            "title": "纸",
            "supplier": supplies.supplier(world["school"]).pk,
            f"price_{order.lines.get().pk}": "24",
        },
    )
    client.post(reverse("procurement:order_action", args=[order.pk, "place"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    line = order.lines.get()
    url = reverse("procurement:acceptance_add", args=[order.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "delivered_on": TODAY.isoformat(),
            "quality_score": 5,
            "acceptors": [world["purchaser"].pk],
            f"delivered_{line.pk}": "10",
            f"accepted_{line.pk}": "",
        },
    )
    acceptance = Acceptance.objects.get()
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.get(acceptance.get_absolute_url()).status_code == 200
    client.post(reverse("procurement:acceptance_action", args=[acceptance.pk, "confirm"]))
    acceptance.refresh_from_db()
    assert acceptance.status == AcceptanceStatus.CONFIRMED
    paper.refresh_from_db()
    assert paper.quantity == Decimal("10")
    page = client.get(acceptance.get_absolute_url()).content.decode()
    assert "Return accepted goods" in page
    client.post(
        reverse("procurement:acceptance_action", args=[acceptance.pk, "return"]),
        {"line": acceptance.lines.get().pk, "quantity": "2", "reason": "破损"},
    )
    paper.refresh_from_db()
    assert paper.quantity == Decimal("8")


def test_scoping(world: dict[str, Any], other_school: Any) -> None:
    order = make_order(world)
    teacher = login(world["teacher"])
    assert teacher.get(reverse("procurement:order_list")).status_code == 403
    assert teacher.get(order.get_absolute_url()).status_code == 403
    outsider = login(f.member(other_school, "purchaser"))
    assert outsider.get(order.get_absolute_url()).status_code == 404
    assert (
        outsider.post(reverse("procurement:order_action", args=[order.pk, "place"])).status_code
        == 404
    )
    # Another school's lines cannot be slipped into a consolidation.
    line = order.lines.get().request_lines.get()
    response = outsider.post(reverse("procurement:consolidate"), {"title": "x", "line": [line.pk]})
    assert response.status_code == 422


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_keep_a_constant_number_of_queries(world: dict[str, Any]) -> None:
    client = world["client"]
    make_order(world)
    approved_request(world["school"], world["office"], world["teacher"], [("笔", 3, "2")])
    count_queries(client, reverse("procurement:order_list"))  # caches warmed up
    one = count_queries(client, reverse("procurement:order_list"))
    one_page = count_queries(client, reverse("procurement:consolidate"))
    for _ in range(4):
        make_order(world)
        approved_request(world["school"], world["office"], world["teacher"], [("笔", 3, "2")])
    assert count_queries(client, reverse("procurement:order_list")) == one
    assert count_queries(client, reverse("procurement:consolidate")) == one_page
    one_acc = count_queries(client, reverse("procurement:acceptance_list"))
    assert one_acc > 0
