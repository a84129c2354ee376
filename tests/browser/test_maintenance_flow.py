"""Done when, tried as a new user would, at phone width: a visitor scans a dormitory room's
QR code and reports a broken fan with a photo; a dispatch rule sends the order to the
electrician, who accepts, starts and finishes it on a phone with a photo; the visitor
verifies and rates the repair on the tracking page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from houqin.maintenance.choices import OrderStatus
from houqin.maintenance.models import RepairRequest

from .conftest import _page, assert_no_horizontal_overflow, click_and_load, log_in, shot
from .test_maintenance_requests import dormitory, photo_bytes, report_on_portal

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_fan_is_reported_by_qr_repaired_verified_and_rated(
    phone: Any, browser: Any, live_server: Any, demo: None
) -> None:
    room = dormitory()
    report_on_portal(
        phone, f"{live_server.url}/maintenance/p/{room.public_code}/", "宿舍吊扇不转了，很热。"
    )
    phone.click("[data-testid=portal-submit]")
    phone.wait_for_url("**/maintenance/t/*/?new=1")
    item = RepairRequest.objects.select_related("work_order__assignee").get(
        description="宿舍吊扇不转了，很热。"
    )
    order = item.work_order
    assert order is not None and order.status == OrderStatus.ASSIGNED
    assert order.assignee is not None, "a dispatch rule sends electric faults to a worker"
    track = phone.url.split("?")[0]
    shot(phone, "maintenance-flow-reported")

    pages = _page(browser, "phone")
    worker = next(pages)
    try:
        log_in(worker, live_server, order.assignee.username)
        worker.goto(f"{live_server.url}{order.get_absolute_url()}")
        click_and_load(worker, "[data-testid=action-accept]")
        click_and_load(worker, "[data-testid=action-start]")
        click_and_load(worker, "[data-testid=confirm]")
        expect(worker.locator("[data-testid=order-status]")).to_have_attribute(
            "data-status", "in_progress"
        )
        click_and_load(worker, "[data-testid=action-finish]")
        worker.fill("textarea[name=work_notes]", "吊扇电容烧坏，更换后运转正常。")
        worker.click("[data-testid=labour-30]")
        worker.set_input_files(
            "input[name=photos]",
            files=[{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}],
        )
        assert_no_horizontal_overflow(worker)
        shot(worker, "maintenance-flow-finish")
        click_and_load(worker, "[data-testid=finish]")
        expect(worker.locator("[data-testid=order-status]")).to_have_attribute(
            "data-status", "awaiting_verification"
        )
    finally:
        pages.close()

    phone.goto(track)
    expect(phone.locator("[data-testid=verify-card]")).to_be_visible()
    assert order.assignee.real_name in phone.locator("[data-testid=track-worker]").inner_text()
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-flow-verify")
    click_and_load(phone, "[data-testid=verify-accept]")
    phone.click("[data-testid=star-5]")
    phone.fill("textarea[name=comment]", "师傅来得很快，谢谢！")
    click_and_load(phone, "[data-testid=rate-submit]")
    expect(phone.locator("[data-testid=rated]")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-flow-rated")
    order.refresh_from_db()
    assert order.status == OrderStatus.RATED and order.rating == 5
