"""The store in a browser, at desktop and phone widths: the storekeeper reads the item list
(low-stock badge), an item's ledger, records a receipt, sees the reorder list, and counts the
shelves on a phone (each line saves itself) before submitting the count for approval."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from houqin.inventory.models import StockCount, StockItem
from houqin.inventory.services.stock import stock_move
from tests import factories as f
from tests import supplies

from .conftest import assert_no_horizontal_overflow, click_and_load, shot

pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("[data-testid=login]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def store(school: Any) -> dict[str, Any]:
    keeper = f.member(school, "storekeeper", real_name="王库管")
    f.member(school, "director", real_name="李主任")
    supplies.chain(school, "stock_count", ("role", "director"))
    department = f.DepartmentFactory(school=school, name="教务处")
    teacher = f.member(school, "teacher", department=department, real_name="陈老师")
    paper = supplies.stock_item(
        school,
        code="HC-00001",
        name="A4复印纸",
        specification="70克 500张/包",
        unit="包",
        category="paper",
        min_stock=D("20"),
        max_stock=D("300"),
        shelf="A-01",
        paper_size="A4",
        sheets_per_unit=500,
    )
    supplies.receive(paper, 200, "23.5", actor=keeper)
    for n in range(34):
        stock_move(
            item=paper,
            kind="issue",
            quantity=2 + n % 3,
            actor=keeper,
            reason="教研组领用",
            department=department,
            person=teacher,
        )
    names = ("中性笔（黑色）", "订书钉 24/6", "长尾夹 32mm", "透明胶带", "档案盒", "白板笔")
    for n, name in enumerate(names):
        item = supplies.stock_item(
            school,
            code=f"HC-{n + 2:05d}",
            name=name,
            unit="盒",
            category="office",
            min_stock=D("5"),
            shelf=f"B-{n + 1:02d}",
        )
        supplies.receive(item, 4 + n * 3, "12.8", actor=keeper)
    return {"keeper": keeper, "paper": paper}


def test_the_storekeeper_reads_the_store_and_counts_it(
    page: Any, live_server: Any, store: dict[str, Any]
) -> None:
    sign_in(page, live_server, store["keeper"])
    page.goto(f"{live_server.url}/inventory/items/")
    expect(page.locator("[data-testid=items]")).to_contain_text("A4复印纸")
    assert page.locator("[data-testid=low]").count() >= 1
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-items")

    paper = store["paper"]
    click_and_load(page, "text=A4复印纸")
    expect(page.locator("[data-testid=ledger]")).to_be_visible()
    expect(page.locator("[data-testid=consumption]")).to_be_visible()
    assert page.locator("[data-testid=ledger] tbody tr").count() == 30
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-item-ledger")
    click_and_load(page, "[data-testid=next-page]")
    assert page.locator("[data-testid=ledger] tbody tr").count() == 5

    page.goto(f"{live_server.url}/inventory/movements/add/?item={paper.pk}")
    page.select_option("select[name=kind]", "receipt")
    page.fill("input[name=quantity]", "10")
    page.fill("input[name=unit_cost]", "24")
    page.fill("input[name=supplier_note]", "晨光文具 发票0088")
    page.fill("input[name=reason]", "零星采购")
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-movement-add")
    click_and_load(page, "[data-testid=save]")
    before = StockItem.objects.get(pk=paper.pk).quantity
    expect(page.locator(".alert-success")).to_contain_text(str(int(before)))

    page.goto(f"{live_server.url}/inventory/reorder/")
    expect(page.locator("[data-testid=reorder-items]")).to_contain_text("中性笔")
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-reorder")

    page.goto(f"{live_server.url}/inventory/counts/add/")
    page.fill("input[name=title]", "浏览器盘点")
    page.check("input[name=categories][value=office]")
    click_and_load(page, "[data-testid=save]")
    count = StockCount.objects.get(title="浏览器盘点")
    assert page.url.endswith(f"/inventory/counts/{count.pk}/enter/")
    inputs = page.locator("[data-testid=counted-input]")
    expect(inputs).to_have_count(6)
    # One line saves itself when it changes (no button pressed).
    first_line = count.lines.order_by("item__shelf").first()
    assert first_line is not None
    page.fill(f"#counted-{first_line.pk}", "3")
    page.locator(f"#counted-{first_line.pk}").dispatch_event("change")
    expect(page.locator(f"#saved-{first_line.pk} [data-testid=line-saved]")).to_be_visible()
    first_line.refresh_from_db()
    assert first_line.counted_quantity == 3
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-count-enter")
    click_and_load(page, "[data-testid=to-count]")
    click_and_load(page, "[data-testid=fill]")
    expect(page.locator("[data-testid=uncounted]")).to_have_text("0")
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-count-detail")
    click_and_load(page, "[data-testid=submit]")
    expect(page.locator("[data-testid=count-status]")).to_have_text("待审批")
    expect(page.locator("[data-testid=approval-panel]")).to_be_visible()
    shot(page, "inventory-count-pending")
