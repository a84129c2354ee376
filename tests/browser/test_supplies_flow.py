"""The whole supplies chain in the demo school, as its people do it in the browser:

a teacher asks to buy copy paper for the store (教务处's office-supplies budget); the head of
教务处, the vice principal and the principal (above 5,000 yuan) approve in their inboxes; the
purchaser consolidates it with the logistics office's request for the same paper, takes three
quotes with three evaluators (三方比价), places the order and accepts the delivery with the
storekeeper; the paper's stock rises by what was accepted. Then, on a phone, a worker asks
for paper, the storekeeper issues it, the worker confirms receipt and the stock falls.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from houqin.accounts.models import User
from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.finance.services.budgets import line_for
from houqin.inventory.models import Requisition, StockItem
from houqin.notifications.models import Notification
from houqin.org.models import Department, School
from houqin.procurement.models import Acceptance, PurchaseOrder, PurchaseRequest
from houqin.procurement.services import notices
from houqin.procurement.services.requests import (
    LineInput,
    purchase_request_save,
    purchase_request_submit,
)

from .conftest import _page, assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

PAPER = "HC-00042"  # 复印纸 A4 70 g 500 张, in the demo store
ASKED = Decimal("220")  # the teacher's packs: 5,280 yuan, so the principal approves too
OFFICE_ASKED = Decimal("50")  # the logistics office's own request for the same paper
QUOTES = (
    ("示范市博文纸业有限公司", "23.50"),
    ("示范市晨光文具有限公司", "22.80"),
    ("示范市启智文教用品有限公司", "24.10"),
)
CHOSEN = "示范市晨光文具有限公司"
TAKEN = Decimal("20")  # what the worker takes from the store


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    yield from _page(browser, "desktop")


def user(username: str) -> User:
    return User.objects.get(username=username)


def switch(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username)


def stock(item: StockItem) -> Decimal:
    item.refresh_from_db()
    return item.quantity


def qty(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def office_request(school: School, paper: StockItem) -> PurchaseRequest:
    """总务处 (the worker's office) asks for the same paper and its chain approves it: the
    demo has no other approved request for store paper to consolidate with."""
    worker = user("worker")
    office = Department.objects.get(school=school, name="总务处")
    request = purchase_request_save(
        actor=worker,
        request=PurchaseRequest(
            department=office,
            title="总务处办公用纸",
            category="office",
            budget_line=line_for(
                school_id=school.pk,
                department_id=office.pk,
                category="office",
                on=timezone.localdate(),
            ),
            reason="总务处日常打印用纸",
            needed_by=timezone.localdate() + datetime.timedelta(days=20),
        ),
        lines=[
            LineInput(
                item_name=paper.name,
                specification=paper.specification,
                quantity=OFFICE_ASKED,
                unit=paper.unit,
                estimated_price=Decimal("24"),
                stock_item=paper,
            )
        ],
    )
    purchase_request_submit(actor=worker, request=request)
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    for approver in ("director", "vp"):
        approval = approval_act(request=approval, actor=user(approver), action="approve")
    request.refresh_from_db()
    assert request.status == "approved"
    return request


def approve_in_inbox(page: Any, live_server: Any, username: str, request: PurchaseRequest) -> None:
    switch(page, live_server, username)
    page.goto(f"{live_server.url}/approvals/inbox/")
    expect(page.locator(".hq-inbox")).to_contain_text(request.number)
    if username == "depthead":
        assert_no_horizontal_overflow(page)
        shot(page, "flow-03-inbox")
    click_and_load(page, f".hq-inbox a >> text={request.number}")
    assert_no_horizontal_overflow(page)
    if username == "principal":
        shot(page, "flow-04-principal-approves")
    click_and_load(page, "[data-testid=approve]")


def test_request_to_order_to_stock_to_requisition(
    desktop: Any, phone: Any, live_server: Any, demo: None
) -> None:
    base = live_server.url
    school = School.objects.get(name="示范中学")
    paper = StockItem.objects.get(school=school, code=PAPER)
    before = stock(paper)
    other = office_request(school, paper)

    # -- the teacher asks to buy paper for the store -------------------------------------------
    page = desktop
    log_in(page, live_server, "teacher")
    page.goto(f"{base}/procurement/requests/add/")
    page.fill("input[name=title]", "期末考试复印用纸")
    page.select_option("select[name=department]", label="教务处")
    budget = page.locator("select[name=budget_line] option:not([hidden])", has_text="办公用品")
    page.select_option("select[name=budget_line]", value=budget.first.get_attribute("value"))
    page.fill("input[name=needed_by]", str(timezone.localdate() + datetime.timedelta(days=30)))
    page.fill("textarea[name=reason]", "期末考试试卷和复习资料的印刷用纸。")
    page.select_option("select[name='lines-0-stock_item']", value=str(paper.pk))
    assert page.input_value("input[name='lines-0-item_name']") == paper.name
    page.fill("input[name='lines-0-quantity']", qty(ASKED))
    page.fill("input[name='lines-0-estimated_price']", "24")
    expect(page.locator("[data-testid=request-total]")).to_contain_text("5,280.00")
    assert_no_horizontal_overflow(page)
    shot(page, "flow-01-request-form")
    click_and_load(page, "[data-testid=save-submit]")
    request = PurchaseRequest.objects.get(title="期末考试复印用纸")
    assert request.status == "pending", page.locator(".alert").all_inner_texts()
    assert request.estimated_total == Decimal("5280.00")
    assert_no_horizontal_overflow(page)
    shot(page, "flow-02-request-submitted")

    # -- the demo chain approves: head of 教务处, vice principal, principal (≥ 5,000) --------
    for approver in ("depthead", "vp", "principal"):
        approve_in_inbox(page, live_server, approver, request)
    request.refresh_from_db()
    assert request.status == "approved"
    assert request.committed == Decimal("5280.00")
    purchaser = user("purchaser")
    assert Notification.objects.filter(
        recipient=purchaser, event=notices.TO_ORDER, object_id=str(request.pk)
    ).exists()

    # -- the purchaser consolidates both requests into one order -------------------------------
    switch(page, live_server, "purchaser")
    page.goto(f"{base}/notifications/")
    expect(page.locator("main")).to_contain_text(request.number)
    assert_no_horizontal_overflow(page)
    shot(page, "flow-05-purchaser-notified")
    page.goto(f"{base}/procurement/orders/consolidate/")
    for line in (*request.lines.all(), *other.lines.all()):
        page.check(f"[data-testid=line-{line.pk}]")
    page.fill("input[name=title]", "期末复印纸集中采购")
    assert_no_horizontal_overflow(page)
    shot(page, "flow-06-consolidate")
    click_and_load(page, "[data-testid=consolidate]")
    order = PurchaseOrder.objects.get(school=school, title="期末复印纸集中采购")
    order_line = order.lines.get()
    assert order_line.quantity == ASKED + OFFICE_ASKED
    expect(page.locator("[data-testid=problems]")).to_contain_text("三方比价")

    # three quotes, the cheapest chosen by three evaluators
    for name, price in QUOTES:
        click_and_load(page, "[data-testid=add-quote]")
        page.select_option("select[name=supplier]", label=name)
        page.fill(f"input[name=price_{order_line.pk}]", price)
        if name == QUOTES[0][0]:
            assert_no_horizontal_overflow(page)
            shot(page, "flow-07-quote-form")
        click_and_load(page, "[data-testid=save]")
    expect(page.locator("[data-testid=comparison] td.table-success")).not_to_have_count(0)
    chosen = order.quotations.get(supplier__name=CHOSEN)
    page.select_option("select[name=quotation]", str(chosen.pk))
    evaluators = [user(name).pk for name in ("director", "storekeeper", "accountant")]
    page.select_option("select[name=evaluators]", [str(pk) for pk in evaluators])
    page.fill("textarea[name=reason]", "三家报价比较，晨光文具总价最低，三天内送货到校。")
    click_and_load(page, "[data-testid=choose]")
    expect(page.locator("[data-testid=choice]")).to_contain_text(CHOSEN)
    assert_no_horizontal_overflow(page)
    shot(page, "flow-08-three-quotes")
    click_and_load(page, "[data-testid=place]")
    order.refresh_from_db()
    assert order.status == "placed", page.inner_text("main")
    assert order.total == Decimal("6156.00")  # 270 packs at 22.80
    assert_no_horizontal_overflow(page)
    shot(page, "flow-09-order-placed")

    # -- the delivery is accepted by the purchaser and the storekeeper -------------------------
    click_and_load(page, "[data-testid=accept]")
    page.fill(f"input[name=delivered_{order_line.pk}]", qty(ASKED + OFFICE_ASKED))
    page.select_option("select[name=acceptors]", [str(purchaser.pk), str(user("storekeeper").pk)])
    page.fill("input[name=delivery_note]", "CG-SH-1125")
    assert_no_horizontal_overflow(page)
    shot(page, "flow-10-acceptance-form")
    click_and_load(page, "[data-testid=save]")
    acceptance = Acceptance.objects.get(order=order)
    click_and_load(page, "[data-testid=confirm]")
    acceptance.refresh_from_db()
    assert acceptance.status == "confirmed", page.inner_text("main")
    assert_no_horizontal_overflow(page)
    shot(page, "flow-11-acceptance-confirmed")
    received = before + ASKED + OFFICE_ASKED
    assert stock(paper) == received
    request.refresh_from_db()
    assert request.status == "received"

    assert Notification.objects.filter(
        recipient=user("storekeeper"), event=notices.STOCKED, object_id=str(acceptance.pk)
    ).exists()

    # -- the storekeeper sees the paper's stock risen ------------------------------------------
    switch(page, live_server, "storekeeper")
    page.goto(f"{base}/inventory/items/{paper.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(f"{qty(received)} {paper.unit}")
    expect(page.locator("[data-testid=ledger]")).to_contain_text(acceptance.number)
    assert_no_horizontal_overflow(page)
    shot(page, "flow-12-stock-risen")

    # -- the teacher hears the goods were ordered and received --------------------------------
    switch(page, live_server, "teacher")
    page.goto(f"{base}/notifications/")
    expect(page.locator("main")).to_contain_text(f"{request.number}")
    assert Notification.objects.filter(
        recipient=user("teacher"), event=notices.RECEIVED, object_id=str(request.pk)
    ).exists()
    assert_no_horizontal_overflow(page)
    shot(page, "flow-13-teacher-notified")

    # -- on a phone: the worker asks for paper, the storekeeper issues it ---------------------
    page = phone
    log_in(page, live_server, "worker")
    page.goto(f"{base}/inventory/requisitions/new/")
    page.fill("#id_purpose", "维修班打印维修单和报表")
    page.fill("[data-item-search] >> nth=0", "复印纸")
    page.select_option("[data-testid=line-item] >> nth=0", str(paper.pk))
    expect(page.locator("[data-item-hint] >> nth=0")).to_contain_text(qty(received))
    page.fill("[data-testid=line-quantity] >> nth=0", qty(TAKEN))
    assert_no_horizontal_overflow(page)
    shot(page, "flow-14-requisition-form")
    click_and_load(page, "[data-testid=save-submit]")
    requisition = Requisition.objects.get(school=school, purpose="维修班打印维修单和报表")
    assert requisition.lines.get().item_id == paper.pk
    if requisition.status == Requisition.S.PENDING:  # over the quota: the head of 总务处 decides
        switch(page, live_server, "director")
        page.goto(f"{base}{requisition.get_absolute_url()}")
        click_and_load(page, "[data-testid=approve]")
        requisition.refresh_from_db()
    assert requisition.status == Requisition.S.APPROVED
    assert_no_horizontal_overflow(page)
    shot(page, "flow-15-requisition-submitted")

    switch(page, live_server, "storekeeper")
    page.goto(f"{base}/inventory/issue-queue/")
    expect(page.locator("main")).to_contain_text(requisition.number)
    assert_no_horizontal_overflow(page)
    shot(page, "flow-16-issue-queue")
    page.goto(f"{base}/inventory/requisitions/{requisition.pk}/issue/")
    expect(page.locator("[data-testid=issue-quantity]").first).to_have_value(qty(TAKEN))
    assert_no_horizontal_overflow(page)
    shot(page, "flow-17-issue-form")
    click_and_load(page, "[data-testid=do-issue]")
    requisition.refresh_from_db()
    assert requisition.status == Requisition.S.ISSUED
    left = received - TAKEN
    assert stock(paper) == left

    switch(page, live_server, "worker")
    page.goto(f"{base}{requisition.get_absolute_url()}")
    click_and_load(page, "[data-testid=confirm]")
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "received")
    assert_no_horizontal_overflow(page)
    shot(page, "flow-18-requisition-received")

    switch(page, live_server, "storekeeper")
    page.goto(f"{base}/inventory/items/{paper.pk}/")
    expect(page.locator("main")).to_contain_text(f"{qty(left)} {paper.unit}")
    expect(page.locator("[data-testid=ledger]")).to_contain_text(requisition.number)
    assert_no_horizontal_overflow(page)
    shot(page, "flow-19-stock-fallen")
