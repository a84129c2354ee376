"""Damage compensation in the browser (desktop and phone): the asset keeper records damage
by a student, assesses it and prints the notice; the accountant records the payment."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.assets.models import DamageReport

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_damage_is_reported_assessed_noticed_and_paid(
    page: Any, live_server: Any, demo: None
) -> None:
    log_in(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}/assets/damage/")
    assert page.locator("table").count() >= 1
    assert_no_horizontal_overflow(page)
    shot(page, "damage-list")

    click_and_load(page, "[data-testid=add]")
    page.select_option("select[name=price_item]", label="玻璃 ¥60.00/m²")
    page.fill("input[name=quantity]", "1.5")
    page.fill("textarea[name=description]", "课间踢球，足球砸碎初二(3)班后窗玻璃。")
    page.select_option("select[name=responsible_kind]", "student")
    assert page.locator("input[name=responsible_name]").is_visible()
    assert not page.locator("select[name=responsible_user]").is_visible()
    page.fill("input[name=responsible_name]", "张小北")
    page.fill("input[name=student_class]", "初二(3)班")
    page.check("input[name=deliberate]")
    assert_no_horizontal_overflow(page)
    shot(page, "damage-form")
    page.click("[data-testid=save]")
    page.wait_for_url("**/assets/damage/*/")
    report = DamageReport.objects.filter(responsible_name="张小北").get()
    assert report.status == "reported"

    click_and_load(page, "[data-testid=assess]")
    assert page.locator("[data-testid=amount-due]").inner_text().strip() == "¥180.00"
    assert "180.00" in page.locator("[data-testid=rule]").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "damage-assessed")

    notice = page.request.get(f"{live_server.url}/assets/damage/{report.pk}/notice/")
    assert notice.status == 200
    assert notice.headers["content-type"] == "application/pdf"
    assert notice.body().startswith(b"%PDF")
    click_and_load(page, "[data-testid=notify]")
    report.refresh_from_db()
    assert report.status == "notified"

    page.context.clear_cookies()
    log_in(page, live_server, "accountant")
    page.goto(f"{live_server.url}/assets/damage/{report.pk}/")
    page.fill("input[name=receipt_number]", "SJ-2026-0099")
    assert page.locator("input[name=amount]").input_value() in ("180.00", "180")
    click_and_load(page, "[data-testid=pay]")
    assert page.locator("[data-testid=paid]").inner_text().strip() == "¥180.00"
    assert_no_horizontal_overflow(page)
    shot(page, "damage-paid")
    report.refresh_from_db()
    assert report.status == "paid" and report.receipt_number == "SJ-2026-0099"

    page.goto(f"{live_server.url}/assets/damage/statistics/")
    assert page.locator("[data-testid=stats-building]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "damage-stats")


def test_price_list_and_a_waiver_pending(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}/assets/compensation-prices/")
    assert page.locator("text=课桌椅").count() >= 1
    assert_no_horizontal_overflow(page)
    shot(page, "damage-prices")
    pending = DamageReport.objects.filter(school__name="示范中学", status="waiver_pending").first()
    assert pending is not None
    page.goto(f"{live_server.url}/assets/damage/{pending.pk}/")
    assert page.locator("[data-testid=approval-panel]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "damage-waiver")
