"""Work orders in the browser: the director dispatches on a desktop; the worker accepts,
starts and finishes on a phone with a photo and a part. The list (empty, one, many rows)
and the detail page at both widths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from houqin.core.attachments.models import Attachment
from houqin.maintenance.choices import OrderStatus, Urgency
from houqin.maintenance.models import WorkOrder, WorkOrderPart
from tests import factories as f
from tests.conftest import ensure_roles
from tests.core.objects import png_bytes
from tests.maintenance.factories import order

from .conftest import _page, assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "houqin-test-1"
S = OrderStatus


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    yield from _page(browser, "desktop")


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    ensure_roles()
    school = f.SchoolFactory(name="示范中学")
    worker = f.member(school, "worker", username="wang", real_name="王师傅")
    director = f.member(school, "director", username="zhu", real_name="朱主任")
    teacher = f.member(school, "teacher", username="li", real_name="李老师")
    for user in (worker, director):
        user.set_password(PASSWORD)
        user.save()
    room = f.RoomFactory(
        building__campus__school=school, building__name="学生宿舍1号楼", number="215"
    )
    return {
        "school": school,
        "worker": worker,
        "director": director,
        "teacher": teacher,
        "room": room,
    }


def new_order(world: dict[str, Any], **kw: Any) -> WorkOrder:
    return order(
        world["school"],
        room=world["room"],
        requester=world["teacher"],
        contact_name="李老师",
        contact_phone="13800138000",
        **kw,
    )


def test_the_list_and_detail_at_both_widths(
    page: Any, live_server: Any, world: dict[str, Any]
) -> None:
    log_in(page, live_server, "zhu", PASSWORD)
    url = f"{live_server.url}/maintenance/orders/"
    page.goto(url)
    expect(page.locator("[data-testid=empty]")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-orders-empty")

    first = new_order(world, urgency=Urgency.URGENT, title="宿舍电扇不转，夜里很热")
    page.goto(url)
    expect(page.locator("[data-testid=workorder-row]")).to_have_count(1)
    expect(
        page.locator("[data-testid=clock], [data-testid=clock-phone]").locator("visible=true")
    ).to_have_count(1)
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-orders-one")

    titles = ["水龙头漏水", "教室灯管闪烁", "门锁坏了", "空调不制冷", "网络断了"]
    codes = ["water", "electric", "doors", "aircon", "network"]
    for n in range(34):
        new_order(world, title=titles[n % 5], code=codes[n % 5])
    page.goto(url)
    expect(page.locator("[data-testid=workorder-row]")).to_have_count(30)
    expect(page.locator("[data-testid=total]")).to_contain_text("35")
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-orders-many")

    page.click("[data-testid=more-filters]")
    expect(page.locator("select[name=overdue]")).to_be_visible()
    assert_no_horizontal_overflow(page)

    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    expect(page.locator("[data-testid=sla-clock]")).to_be_visible()
    expect(page.locator("[data-testid=contact-phone]")).to_have_attribute("href", "tel:13800138000")
    expect(page.locator("[data-testid=action-assign]")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-order-detail")


def test_the_director_dispatches_and_the_worker_finishes_on_a_phone(
    desktop: Any, phone: Any, live_server: Any, world: dict[str, Any]
) -> None:
    wo = new_order(world, title="宿舍电扇不转")
    assert wo.status == S.NEW
    detail = f"{live_server.url}{wo.get_absolute_url()}"

    log_in(desktop, live_server, "zhu", PASSWORD)
    desktop.goto(detail)
    click_and_load(desktop, "[data-testid=action-assign]")
    desktop.select_option("select[name=assignee]", label="王师傅")
    assert_no_horizontal_overflow(desktop)
    shot(desktop, "maintenance-order-assign")
    click_and_load(desktop, "[data-testid=confirm]")
    expect(desktop.locator("[data-testid=order-worker]")).to_contain_text("王师傅")
    expect(desktop.locator("[data-testid=order-status]")).to_have_attribute(
        "data-status", "assigned"
    )
    wo.refresh_from_db()
    assert wo.status == S.ASSIGNED and wo.assignee == world["worker"]

    log_in(phone, live_server, "wang", PASSWORD)
    phone.goto(detail)
    assert_no_horizontal_overflow(phone)
    click_and_load(phone, "[data-testid=action-accept]")
    wo.refresh_from_db()
    assert wo.accepted_at is not None
    click_and_load(phone, "[data-testid=action-start]")
    assert_no_horizontal_overflow(phone)
    click_and_load(phone, "[data-testid=confirm]")
    expect(phone.locator("[data-testid=order-status]")).to_have_attribute(
        "data-status", "in_progress"
    )

    click_and_load(phone, "[data-testid=action-finish]")
    phone.fill("textarea[name=work_notes]", "电容烧坏，更换电容后正常运转。")
    phone.click("[data-testid=labour-30]")
    phone.click("[data-testid=labour-15]")
    expect(phone.locator("input[name=labour_minutes]")).to_have_value("45")
    phone.locator("[data-testid=part-name]").first.fill("风扇电容 1.5μF")
    phone.locator("[data-testid=part-quantity]").first.fill("2")
    phone.locator("[data-testid=part-price]").first.fill("4.50")
    phone.click("[data-testid=add-part]")
    expect(phone.locator("[data-part-row]")).to_have_count(2)
    phone.locator("[data-remove-part]").nth(1).click()
    expect(phone.locator("[data-part-row]")).to_have_count(1)
    phone.set_input_files(
        "input[name=photos]",
        files=[{"name": "after.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-order-finish")
    click_and_load(phone, "[data-testid=finish]")
    expect(phone.locator("[data-testid=order-status]")).to_have_attribute(
        "data-status", "awaiting_verification"
    )
    expect(phone.locator("[data-testid=parts]")).to_contain_text("风扇电容")
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-order-finished")

    wo.refresh_from_db()
    assert wo.status == S.AWAITING_VERIFICATION and wo.labour_minutes == 45
    part = WorkOrderPart.objects.get(work_order=wo)
    assert part.amount == part.quantity * part.unit_price
    assert Attachment.objects.filter(object_id=wo.pk, description="维修后").count() == 1
