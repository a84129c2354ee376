"""Requisitions in the browser (desktop and phone): a teacher asks for two items, the
storekeeper issues one partly and then fully, the teacher confirms receipt; the queue, the
quota list and the consumption report with its charts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from houqin.inventory.models import DepartmentQuota, Requisition
from tests import factories as f
from tests import supplies
from tests.conftest import ensure_roles

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "houqin-test-1"


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    ensure_roles()
    school = f.SchoolFactory(name="示范中学")
    today = timezone.localdate()
    term = f.TermFactory(
        school_year=supplies.school_year(school),
        start=today - datetime.timedelta(days=40),
        end=today + datetime.timedelta(days=60),
    )
    department = f.DepartmentFactory(school=school, name="教务处")
    teacher = f.member(school, "teacher", username="li", real_name="李老师", department=department)
    keeper = f.member(school, "storekeeper", username="zhou", real_name="周仓管")
    director = f.member(school, "director", username="zhu", real_name="朱主任")
    for user in (teacher, keeper, director):
        user.set_password(PASSWORD)
        user.save()
    pens = supplies.stock_item(school, name="黑色签字笔", specification="0.5mm", unit="支")
    paper = supplies.stock_item(school, name="A4复印纸", specification="70g 500张", unit="包")
    for n in range(8):
        supplies.stock_item(school, name=f"办公用品{n}", unit="个")
    supplies.receive(pens, 50, "1.5")
    supplies.receive(paper, 3, "24")
    DepartmentQuota.objects.create(
        school=school, term=term, department=department, amount=Decimal("500")
    )
    return {"school": school, "teacher": teacher, "keeper": keeper, "pens": pens, "paper": paper}


def switch(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username, PASSWORD)


def test_requisition_from_request_to_receipt(
    page: Any, live_server: Any, world: dict[str, Any]
) -> None:
    base = live_server.url
    log_in(page, live_server, "li", PASSWORD)
    page.goto(f"{base}/inventory/requisitions/mine/")
    expect(page.locator("[data-testid=empty]")).to_be_visible()
    shot(page, "inventory-requisitions-mine-empty")
    page.goto(f"{base}/inventory/requisitions/new/")
    page.fill("#id_purpose", "期中考试监考用品")
    page.fill("[data-item-search] >> nth=0", "签字")
    expect(page.locator("[data-item-hint] >> nth=0")).to_contain_text("50")
    page.fill("[data-testid=line-quantity] >> nth=0", "10")
    page.click("[data-testid=add-line]")
    expect(page.locator("[data-line-row]")).to_have_count(2)
    page.select_option("[data-testid=line-item] >> nth=1", str(world["paper"].pk))
    page.fill("[data-testid=line-quantity] >> nth=1", "5")
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-requisition-form")
    click_and_load(page, "[data-testid=save-submit]")
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "approved")
    expect(page.locator("[data-testid=stock-warnings]")).to_contain_text("A4复印纸")
    expect(page.locator("[data-testid=line]")).to_have_count(2)
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-requisition-submitted")
    made = Requisition.objects.get()

    switch(page, live_server, "zhou")
    page.goto(f"{base}/inventory/issue-queue/")
    expect(page.locator("table.hq-table")).to_contain_text(made.number)
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-issue-queue")
    page.goto(f"{base}/inventory/requisitions/{made.pk}/issue/")
    quantities = page.locator("[data-testid=issue-quantity]")
    expect(quantities.nth(0)).to_have_value("10")
    expect(quantities.nth(1)).to_have_value("3")  # capped by the stock
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-issue-form")
    click_and_load(page, "[data-testid=do-issue]")
    made.refresh_from_db()
    assert made.status == Requisition.S.PARTIAL
    supplies.receive(world["paper"], 10, "25")
    page.goto(f"{base}/inventory/requisitions/{made.pk}/issue/")
    expect(quantities.nth(0)).to_have_value("0")
    expect(quantities.nth(1)).to_have_value("2")
    click_and_load(page, "[data-testid=do-issue]")
    made.refresh_from_db()
    assert made.status == Requisition.S.ISSUED

    switch(page, live_server, "li")
    page.goto(f"{base}{made.get_absolute_url()}")
    click_and_load(page, "[data-testid=confirm]")
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "received")
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-requisition-received")

    switch(page, live_server, "zhu")
    page.goto(f"{base}/inventory/quotas/")
    expect(page.locator("table.hq-table")).to_contain_text("教务处")
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-quotas")
    page.goto(f"{base}/inventory/consumption/")
    expect(page.locator("[data-testid=departments]")).to_contain_text("教务处")
    expect(page.locator("[data-chart=months] canvas")).to_have_count(1)
    assert_no_horizontal_overflow(page)
    shot(page, "inventory-consumption")
