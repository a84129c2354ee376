"""An asset disposal from a card to the yearly report: the asset keeper asks, the director and
the principal approve, the keeper records it, the report counts it (desktop and phone)."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.accounts.models import User
from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.assets.models import Asset, AssetDisposal

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def switch_user(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_a_disposal_from_card_to_report(page: Any, live_server: Any, demo: None) -> None:
    card = (
        Asset.objects.filter(
            school__name="示范中学", category__name="电风扇", status="in_use", unit_price__lt=5000
        )
        .order_by("purchase_date", "pk")
        .first()
    )
    assert card is not None
    log_in(page, live_server, "assetkeeper")

    page.goto(f"{live_server.url}/assets/disposals/")
    assert page.locator("[data-testid=add]").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "disposal-list")

    page.goto(f"{live_server.url}{card.get_absolute_url()}")
    click_and_load(page, f"[data-testid=asset-actions] a[href$='/disposals/add/?asset={card.pk}']")
    assert page.input_value("textarea[name=codes]") == card.code
    page.fill("textarea[name=reason]", "电机烧坏，维修费用高于新购价格")
    page.fill("textarea[name=condition]", "通电后不转，有焦糊味")
    page.fill("textarea[name=appraisal]", "总务处维修组鉴定：电机线圈烧毁")
    page.fill("input[name=appraiser]", "赵永强")
    page.select_option("select[name=method]", "recycling")
    page.fill("input[name=proceeds]", "20")
    assert_no_horizontal_overflow(page)
    shot(page, "disposal-form")
    page.click("[data-testid=save]")
    page.wait_for_url("**/assets/disposals/*/")
    assert card.code in page.locator("[data-testid=disposal-lines]").inner_text()
    click_and_load(page, "[data-testid=submit]")
    assert page.locator("[data-testid=approval-panel]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "disposal-submitted")

    disposal = AssetDisposal.objects.get(lines__asset=card)
    assert Asset.objects.get(pk=card.pk).status == "pending_disposal"
    request = ApprovalRequest.objects.get(object_id=disposal.pk, request_type="asset_disposal")
    approval_act(request=request, actor=User.objects.get(username="director"), action="approve")

    switch_user(page, live_server, "principal")
    page.goto(f"{live_server.url}/approvals/inbox/")
    assert disposal.number in page.locator(".hq-inbox").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "disposal-inbox")
    page.click(f".hq-inbox a >> text={disposal.number}")
    page.wait_for_url("**/approvals/requests/*/")
    click_and_load(page, "[data-testid=approve]")
    disposal.refresh_from_db()
    assert disposal.status == "approved"

    switch_user(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}{disposal.get_absolute_url()}")
    assert page.locator("[data-testid=complete-card]").is_visible()
    page.fill("[data-testid=complete-card] input[name=proceeds]", "25")
    assert_no_horizontal_overflow(page)
    shot(page, "disposal-approved")
    click_and_load(page, "[data-testid=complete]")
    assert page.locator(".alert-success").is_visible()
    assert page.locator("[data-testid=complete-card]").count() == 0
    card.refresh_from_db()
    assert card.status == "disposed"
    assert_no_horizontal_overflow(page)
    shot(page, "disposal-completed")

    page.goto(f"{live_server.url}/assets/disposal-report/")
    assert disposal.number in page.locator("[data-testid=report-disposals]").inner_text()
    assert "电风扇" in page.locator("[data-testid=by-category]").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "disposal-report")
