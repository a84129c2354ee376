"""Labels, scanning, transfers and loans in the browser: a phone scans a label anonymously
and as the asset keeper; the keeper transfers a card, lends an asset and takes it back."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from houqin.assets.models import Asset, AssetLoan, AssetTransfer

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def free_asset(max_value: str = "3000") -> Asset:
    busy = AssetLoan.objects.values("asset_id")
    return (
        Asset.objects.filter(school__name="示范中学", status="in_use", original_value__lt=max_value)
        .exclude(room=None)
        .exclude(pk__in=busy)
        .order_by("-code")
        .first()
    )


def test_a_label_is_scanned_anonymously_then_as_the_keeper(
    phone: Any, live_server: Any, demo: None
) -> None:
    asset = free_asset()
    scan = f"{live_server.url}/assets/a/{asset.public_code}/"
    phone.goto(scan)
    card = phone.locator("[data-testid=scan-card]")
    assert asset.code in card.inner_text()
    assert "示范中学" in card.inner_text()
    assert str(asset.original_value) not in phone.content()
    assert_no_horizontal_overflow(phone)
    shot(phone, "asset-scan-public")
    click_and_load(phone, "[data-testid=scan-login]")
    phone.fill("input[name=username]", "assetkeeper")
    phone.fill("input[name=password]", "houqin-demo")
    phone.click("[data-testid=login]")
    phone.wait_for_url(f"**/assets/register/{asset.pk}/")
    assert asset.code in phone.content()
    assert_no_horizontal_overflow(phone)
    shot(phone, "asset-scan-keeper")
    response = phone.goto(f"{live_server.url}/assets/a/NOSUCHCODE/")
    assert response is not None and response.status == 404
    shot(phone, "asset-scan-unknown")
    phone.js_errors.clear()  # the 404 above is expected


def test_a_card_is_transferred(page: Any, live_server: Any, demo: None) -> None:
    asset = free_asset()
    log_in(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}/assets/register/{asset.pk}/")
    click_and_load(page, f"a[href='/assets/transfers/add/?asset={asset.pk}']")
    assert page.locator(f"input[name=assets][value='{asset.pk}']").is_checked()
    rooms = page.locator("select[name=to_room] option")
    target = rooms.nth(3).get_attribute("value")
    page.select_option("select[name=to_room]", target)
    page.fill("textarea[name=reason]", "期中后调整功能室")
    assert_no_horizontal_overflow(page)
    shot(page, "asset-transfer-form")
    click_and_load(page, "[data-testid=save]")
    transfer = AssetTransfer.objects.get(reason="期中后调整功能室")
    assert transfer.status == "draft"
    shot(page, "asset-transfer-draft")
    click_and_load(page, "[data-testid=submit]")
    transfer.refresh_from_db()
    asset.refresh_from_db()
    assert transfer.status == "completed"
    assert str(asset.room_id) == target
    assert_no_horizontal_overflow(page)
    shot(page, "asset-transfer-done")
    page.goto(f"{live_server.url}/assets/transfers/")
    assert page.locator("table tbody tr").count() >= 3
    assert_no_horizontal_overflow(page)
    shot(page, "asset-transfer-list")
    pending = AssetTransfer.objects.get(school__name="示范中学", status="pending")
    page.goto(f"{live_server.url}{pending.get_absolute_url()}")
    assert_no_horizontal_overflow(page)
    shot(page, "asset-transfer-pending")


def test_an_asset_is_lent_and_returned(page: Any, live_server: Any, demo: None) -> None:
    asset = free_asset()
    log_in(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}/assets/register/{asset.pk}/")
    click_and_load(page, f"a[href='/assets/loans/add/?asset={asset.pk}']")
    assert page.input_value("input[name=asset_code]") == asset.code
    page.fill("input[name=borrower_name]", "家委会 刘先生")
    page.fill("input[name=purpose]", "家长开放日")
    due = timezone.localdate() + datetime.timedelta(days=2)
    page.fill("input[name=due_date]", due.isoformat())
    assert_no_horizontal_overflow(page)
    shot(page, "asset-loan-form")
    click_and_load(page, "[data-testid=save]")
    loan = AssetLoan.objects.get(purpose="家长开放日")
    asset.refresh_from_db()
    assert asset.status == "on_loan"
    assert_no_horizontal_overflow(page)
    shot(page, "asset-loan-detail")
    click_and_load(page, f"a[href='/assets/loans/{loan.pk}/return/']")
    page.fill("input[name=condition]", "完好")
    shot(page, "asset-loan-return")
    click_and_load(page, "[data-testid=return]")
    loan.refresh_from_db()
    asset.refresh_from_db()
    assert (loan.status, asset.status) == ("returned", "in_use")
    page.goto(f"{live_server.url}/assets/loans/?state=overdue")
    assert page.locator("table tbody tr").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "asset-loan-overdue")
    page.goto(f"{live_server.url}/assets/register/{asset.pk}/label/")
    assert_no_horizontal_overflow(page)
    shot(page, "asset-label-choose")
