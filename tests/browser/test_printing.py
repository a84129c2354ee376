"""Printing in Chromium, at desktop and phone widths, with the demo personas: a teacher asks
for exam papers (40 pages × 2 copies, double-sided), they queue without approval, the print
room finishes them and the paper stock drops by 40 sheets; a handout goes through approval;
the paper report draws its chart."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from houqin.accounts.models import User
from houqin.inventory.models import StockItem
from houqin.org.models import Department, School
from houqin.printing.models import PrintJob
from tests import supplies

from .conftest import _page, assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def demo_school() -> School:
    return School.objects.get(name="示范中学")


def a4_paper(school: School) -> None:
    """Make sure the store keeps A4 paper (the demo's, or a ream pack made here)."""
    if not StockItem.objects.filter(school=school, paper_size="A4", is_active=True).exists():
        item = supplies.stock_item(
            school,
            name="A4复印纸",
            unit="包",
            category="paper",
            paper_size="A4",
            sheets_per_unit=500,
        )
        supplies.receive(item, 20, "25")


def request_job(page: Any, url: str, title: str, purpose: str, pages: int, copies: int) -> None:
    page.goto(f"{url}/printing/jobs/new/")
    page.fill("input[name=title]", title)
    page.select_option("select[name=purpose]", purpose)
    page.fill("textarea[name=description]", "原稿已放文印室收件篮。")
    page.fill("input[name=pages]", str(pages))
    page.fill("input[name=copies]", str(copies))
    page.locator("input[name=copies]").dispatch_event("change")


def test_exam_papers_queue_and_the_print_room_takes_the_paper(
    page: Any, browser: Any, live_server: Any, demo: None
) -> None:
    school = demo_school()
    a4_paper(school)
    before = {i.pk: i.quantity for i in StockItem.objects.filter(school=school, paper_size="A4")}
    log_in(page, live_server, "teacher")
    request_job(page, live_server.url, "高一语文期中试卷", "exam", 40, 2)
    expect(page.locator("[data-testid=estimate-sheets]")).to_contain_text("40")
    expect(page.locator("[data-testid=estimate-box]")).to_have_attribute("data-needed", "no")
    assert_no_horizontal_overflow(page)
    shot(page, "printing-request")
    click_and_load(page, "[data-testid=save-submit]")
    job = PrintJob.objects.filter(title="高一语文期中试卷").latest("pk")
    assert job.status == "queued"
    assert job.sheets_estimated == 40
    expect(page.locator("[data-testid=job-status]")).to_be_visible()
    shot(page, "printing-queued")

    pages = _page(browser, page.viewport_name)
    room = next(pages)
    try:
        log_in(room, live_server, "storekeeper")
        room.goto(f"{live_server.url}/printing/queue/")
        expect(room.locator("[data-testid=queue]")).to_be_visible()
        assert_no_horizontal_overflow(room)
        shot(room, "printing-queue")
        card = room.locator(f"[data-testid=queue-card][data-number='{job.number}']")
        if card.count():
            card.locator("[data-testid=start]").click()
            room.wait_for_load_state("load")
            card = room.locator(f"[data-testid=queue-card][data-number='{job.number}']")
            expect(card.locator("input[name=sheets_used]")).to_have_value("40")
            with room.expect_navigation():
                card.locator("[data-testid=done]").click()
        else:  # the demo's queue is long: finish it from the job's own page
            room.goto(f"{live_server.url}{job.get_absolute_url()}")
            click_and_load(room, "[data-testid=start]")
            click_and_load(room, "[data-testid=done]")
        expect(room.locator(".alert-success").first).to_contain_text(job.number)
        shot(room, "printing-done")
    finally:
        pages.close()

    job.refresh_from_db()
    assert job.status == "done"
    assert job.sheets_used == 40
    assert job.paper_item is not None
    item = job.paper_item
    item.refresh_from_db()
    assert before[item.pk] - item.quantity == Decimal(40) / item.sheets_per_unit

    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    expect(page.locator("[data-testid=paper-note]")).to_contain_text("40")
    click_and_load(page, "[data-testid=collect]")
    job.refresh_from_db()
    assert job.status == "collected"
    assert_no_horizontal_overflow(page)
    shot(page, "printing-collected")


def test_a_handout_goes_through_approval(
    phone: Any, browser: Any, live_server: Any, demo: None
) -> None:
    log_in(phone, live_server, "teacher")
    request_job(phone, live_server.url, "家长会通知", "notice", 2, 50)
    expect(phone.locator("[data-testid=estimate-box]")).to_have_attribute("data-needed", "yes")
    click_and_load(phone, "[data-testid=save-submit]")
    job = PrintJob.objects.filter(title="家长会通知").latest("pk")
    assert job.status == "pending"
    expect(phone.locator("[data-testid=approval-panel]")).to_be_visible()
    shot(phone, "printing-pending")

    head = Department.objects.get(pk=job.department_id).head
    assert head is not None
    pages = _page(browser, "phone")
    approver = next(pages)
    try:
        log_in(approver, live_server, head.username)
        approver.goto(f"{live_server.url}{job.get_absolute_url()}")
        click_and_load(approver, "[data-testid=approve]")
        assert_no_horizontal_overflow(approver)
    finally:
        pages.close()
    job.refresh_from_db()
    assert job.status == "queued"


def test_the_paper_report_draws_its_chart(page: Any, live_server: Any, demo: None) -> None:
    school = demo_school()
    teacher = User.objects.get(username="teacher")
    department = Department.objects.get(school=school, name="高一年级组")
    today = datetime.date.today()
    for years_back, sheets in ((0, 300), (1, 520)):
        for month_back in (0, 1, 2):
            day = today.replace(day=1) - datetime.timedelta(days=30 * month_back)
            day = day.replace(year=day.year - years_back)
            job = PrintJob.objects.create(
                school=school,
                number=f"WY-T-{years_back}{month_back}",
                title="练习卷",
                department=department,
                requester=teacher,
                purpose="exam",
                pages=10,
                copies=30,
                status="done",
                sheets_used=sheets,
                done_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC),
            )
            assert job.pk
    log_in(page, live_server, "director")
    page.goto(f"{live_server.url}/printing/paper/")
    expect(page.locator("[data-chart=trend][data-rendered=true]")).to_be_visible()
    expect(page.locator("[data-testid=departments-table]")).to_contain_text("高一年级组")
    assert_no_horizontal_overflow(page)
    shot(page, "printing-paper-report")
