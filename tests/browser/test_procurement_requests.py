"""A teacher fills a three-line purchase request (one line from a store item, one added with
the + button) and submits it; the head of 教务处 approves it in the approvals inbox."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.approvals.models import ApprovalRequest
from houqin.procurement.models import PurchaseRequest

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_teacher_requests_and_the_head_approves(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/procurement/requests/add/")
    assert_no_horizontal_overflow(page)
    shot(page, "purchase-request-empty")
    # Nothing filled in: refused with the errors on the page.
    click_and_load(page, "[data-testid=save]")
    assert page.locator("[data-testid=form-errors]").is_visible()

    page.fill("input[name=title]", "期末考试阅卷用品")
    page.select_option("select[name=department]", label="教务处")
    budget = page.locator("select[name=budget_line] option:not([hidden])", has_text="办公用品")
    page.select_option("select[name=budget_line]", value=budget.first.get_attribute("value"))
    assert page.input_value("select[name=category]") == "office"  # follows the budget line
    assert page.locator("#budget-available").inner_text().strip() != ""
    page.fill("textarea[name=reason]", "期末考试阅卷需要红笔、答题卡和订书机。")

    rows = page.locator("[data-line-row]")
    assert rows.count() == 5
    # Line 1 from a store item: its name, unit and price are filled in.
    store = page.locator("select[name='lines-0-stock_item'] option").nth(1)
    page.select_option("select[name='lines-0-stock_item']", value=store.get_attribute("value"))
    assert page.input_value("input[name='lines-0-item_name']") != ""
    page.fill("input[name='lines-0-quantity']", "2")
    page.fill("input[name='lines-1-item_name']", "红笔")
    page.fill("input[name='lines-1-quantity']", "200")
    page.fill("input[name='lines-1-unit']", "支")
    page.fill("input[name='lines-1-estimated_price']", "1.5")
    # A row removed, one added with the button.
    rows.nth(4).locator("[data-line-remove]").click()
    page.click("[data-testid=add-line]")
    assert page.locator("[data-line-row]:not(.d-none)").count() == 5
    page.fill("input[name='lines-5-item_name']", "订书机")
    page.fill("input[name='lines-5-quantity']", "3")
    page.fill("input[name='lines-5-unit']", "个")
    page.fill("input[name='lines-5-estimated_price']", "25")
    assert page.locator("[data-testid=request-total]").inner_text() != "0.00"
    assert_no_horizontal_overflow(page)
    shot(page, "purchase-request-filled")

    click_and_load(page, "[data-testid=save-submit]")
    request = PurchaseRequest.objects.get(title="期末考试阅卷用品")
    assert request.lines.count() == 3
    assert request.status == "pending", page.locator(".alert").all_inner_texts()
    assert page.locator("[data-testid=approval-panel]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "purchase-request-submitted")

    page.context.clear_cookies()
    log_in(page, live_server, "depthead")
    page.goto(f"{live_server.url}/approvals/inbox/")
    click_and_load(page, f".hq-inbox a >> text={request.number}")
    assert_no_horizontal_overflow(page)
    click_and_load(page, "[data-testid=approve]")
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    assert approval.steps.get(order=1).status == "approved"
    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    assert page.locator("[data-testid=request-lines] tbody tr").count() == 3
    assert_no_horizontal_overflow(page)
    shot(page, "purchase-request-approved-by-head")
