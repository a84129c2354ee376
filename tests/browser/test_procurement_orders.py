"""Purchasing in the browser (desktop and phone): the purchaser consolidates two approved
requests into one order, enters three quotes, chooses one with three evaluators, places the
order and accepts the delivery with two acceptors; the store's stock rises."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.inventory.models import StockItem
from houqin.procurement.models import Acceptance, PurchaseOrder
from tests import factories as f
from tests import supplies
from tests.procurement.objects_orders import approved_request

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def purchasing(transactional_db: Any) -> dict[str, Any]:
    from tests.conftest import ensure_roles

    ensure_roles()
    school = f.SchoolFactory(name="示范中学")
    office = f.DepartmentFactory(school=school, name="教务处")
    grade = f.DepartmentFactory(school=school, name="初一年级组")
    teacher = f.member(school, "teacher", department=office, real_name="王老师")
    purchaser = f.member(school, "purchaser", username="caigou", real_name="李采购")
    storekeeper = f.member(school, "storekeeper", real_name="赵仓管")
    evaluators = [f.member(school, "teacher", real_name=name) for name in ("陈", "周", "吴")]
    paper = supplies.stock_item(school, name="A4复印纸", specification="70g 500张", unit="包")
    budget = supplies.budget_line(school, office, amount="50000")
    first = approved_request(
        school, office, teacher, [("A4复印纸", 100, "26", paper, "70g 500张")], budget=budget
    )
    second = approved_request(
        school, grade, teacher, [("A4复印纸", 150, "25", paper, "70g 500张")], title="年级用纸"
    )
    names = ("晨光文具有限公司", "得力办公用品公司", "齐心商贸有限公司")
    suppliers = [supplies.supplier(school, name=name) for name in names]
    return {
        "school": school,
        "paper": paper,
        "requests": (first, second),
        "purchaser": purchaser,
        "storekeeper": storekeeper,
        "evaluators": evaluators,
        "suppliers": suppliers,
    }


def test_the_purchaser_buys_paper_with_three_quotes(
    page: Any, live_server: Any, purchasing: dict[str, Any]
) -> None:
    log_in(page, live_server, "caigou", f.PASSWORD)
    page.goto(f"{live_server.url}/procurement/orders/consolidate/")
    assert "A4复印纸" in page.content()
    assert_no_horizontal_overflow(page)
    page.check("[data-select-group]")
    page.fill("input[name=title]", "本学期复印纸")
    shot(page, "procurement-consolidate")
    click_and_load(page, "[data-testid=consolidate]")
    order = PurchaseOrder.objects.get()
    assert order.lines.get().quantity == Decimal("250")
    assert "至少" in page.content() or "三方比价" in page.content()  # quotes are needed
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-order-draft")

    line = order.lines.get()
    for supplier, price in zip(purchasing["suppliers"], ("24.50", "23.80", "25.20"), strict=True):
        click_and_load(page, "[data-testid=add-quote]")
        page.select_option("select[name=supplier]", str(supplier.pk))
        page.fill(f"input[name=price_{line.pk}]", price)
        if supplier == purchasing["suppliers"][0]:
            assert_no_horizontal_overflow(page)
            shot(page, "procurement-quote-form")
        click_and_load(page, "[data-testid=save]")
    assert page.locator("[data-testid=comparison] td.table-success").count() >= 1
    cheapest = order.quotations.get(supplier=purchasing["suppliers"][1])
    page.select_option("select[name=quotation]", str(cheapest.pk))
    page.select_option("select[name=evaluators]", [str(p.pk) for p in purchasing["evaluators"]])
    page.fill("textarea[name=reason]", "三家比价，得力总价最低且两天内送达")
    click_and_load(page, "[data-testid=choose]")
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-order-quotes")
    click_and_load(page, "[data-testid=place]")
    order.refresh_from_db()
    assert order.status == "placed", page.inner_text("main")
    assert order.total == Decimal("5950.00")
    shot(page, "procurement-order-placed")

    click_and_load(page, "[data-testid=accept]")
    page.fill(f"input[name=delivered_{line.pk}]", "250")
    page.select_option(
        "select[name=acceptors]",
        [str(purchasing["purchaser"].pk), str(purchasing["storekeeper"].pk)],
    )
    page.fill("input[name=delivery_note]", "SH-20250901")
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-acceptance-form")
    click_and_load(page, "[data-testid=save]")
    acceptance = Acceptance.objects.get()
    click_and_load(page, "[data-testid=confirm]")
    acceptance.refresh_from_db()
    assert acceptance.status == "confirmed", page.inner_text("main")
    assert StockItem.objects.get(pk=purchasing["paper"].pk).quantity == Decimal("250")
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-acceptance-confirmed")
    order.refresh_from_db()
    assert order.status == "received"
    page.goto(f"{live_server.url}/procurement/orders/")
    assert order.number in page.content()
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-order-list")
