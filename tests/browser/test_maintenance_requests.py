"""Reporting repairs in the browser: a visitor at a dormitory room's QR address on a phone,
and a teacher on the staff form (desktop and phone) who is shown that somebody already
reported the fault and joins that report."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from houqin.maintenance.choices import RequestStatus
from houqin.maintenance.models import RepairCategory, RepairRequest
from houqin.org.models import Room

from .conftest import assert_no_horizontal_overflow, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 120, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def dormitory() -> Room:
    room = Room.objects.filter(school__name="示范中学", use="dormitory", is_active=True).first()
    assert room is not None, "the demo has dormitory rooms"
    return room


def report_on_portal(page: Any, url: str, description: str) -> None:
    """Fill the portal form like a person (the form refuses answers faster than 3 s)."""
    page.goto(url)
    page.wait_for_load_state("load")
    electric = RepairCategory.objects.get(code="electric")
    page.click(f"label[for=cat-{electric.pk}]")
    page.fill("textarea[name=description]", description)
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "fan.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}],
    )
    page.fill("input[name=reporter_name]", "李明")
    page.fill("input[name=reporter_unit]", "高一(2)班")
    page.fill("input[name=phone]", "13900139000")
    page.wait_for_timeout(3200)


def test_a_visitor_reports_a_broken_fan_on_a_phone(
    phone: Any, live_server: Any, demo: None
) -> None:
    room = dormitory()
    url = f"{live_server.url}/maintenance/p/{room.public_code}/"
    report_on_portal(phone, url, "宿舍吊扇不转，开关按了没反应。")
    assert room.number in phone.locator("[data-testid=portal-room]").inner_text()
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-portal-form")
    phone.click("[data-testid=portal-submit]")
    phone.wait_for_url("**/maintenance/t/*/?new=1")
    saved = RepairRequest.objects.get(description__startswith="宿舍吊扇不转")
    assert saved.room == room and saved.channel == "portal"
    thanks = phone.locator("[data-testid=thanks]").inner_text()
    assert saved.number in thanks and saved.tracking_code in thanks
    assert phone.locator("[data-testid=timeline]").is_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-portal-thanks")


def test_a_refused_portal_report_says_why(phone: Any, live_server: Any, demo: None) -> None:
    room = dormitory()
    before = RepairRequest.objects.count()
    phone.goto(f"{live_server.url}/maintenance/p/{room.public_code}/")
    phone.click("[data-testid=portal-submit]")  # at once, and empty
    error = phone.locator("[data-testid=portal-error]")
    assert error.is_visible() and error.inner_text().strip()
    assert RepairRequest.objects.count() == before
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-portal-refused")


def test_staff_form_shows_duplicates_and_joins(page: Any, live_server: Any, demo: None) -> None:
    from django.contrib.auth import get_user_model

    from houqin.maintenance.services.requests import repair_request_submit

    room = dormitory()
    electric = RepairCategory.objects.get(code="electric")
    first = repair_request_submit(
        actor=get_user_model().objects.get(username="director"),
        school_id=room.school_id,
        room=room,
        category=electric,
        description="宿舍灯管闪烁",
    )
    log_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/maintenance/requests/new/")
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-request-form")
    page.select_option("select[name=room]", str(room.pk))
    page.click(f"label[for=cat-{electric.pk}]")
    notice = page.locator(f"[data-testid=join-{first.work_order_id}]")
    notice.wait_for()
    page.fill("textarea[name=description]", "灯管一直闪")
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-request-duplicates")
    notice.click()
    page.wait_for_url("**/maintenance/requests/*/")
    mine = RepairRequest.objects.filter(reporter__username="teacher").latest("created_at")
    assert mine.status == RequestStatus.JOINED and mine.work_order_id == first.work_order_id
    assert page.locator("[data-testid=order-card]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-request-joined")
    page.goto(f"{live_server.url}/maintenance/requests/mine/")
    assert page.locator("[data-testid=my-request]").count() >= 1
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-request-mine")
