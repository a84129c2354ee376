"""A stocktake on a phone (and a desktop): the asset keeper starts one for a building, counts a
room by scanning (the page's entry point; no camera headless), typing a code and ticking, then
finishes, applies and sees the reconciliation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count
from playwright.sync_api import expect

from houqin.assets.models import Asset, Stocktake
from houqin.org.models import Room

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def a_room_with_assets() -> Room:
    """A room of the middle school with at least four assets on the register."""
    row = (
        Asset.objects.filter(school__name="示范中学", room__isnull=False)
        .active()
        .values("room")
        .annotate(n=Count("pk"))
        .filter(n__gte=4, n__lte=30)
        .order_by("room")
        .first()
    )
    assert row is not None
    return Room.objects.select_related("building").get(pk=row["room"])


def test_keeper_counts_a_building(page: Any, live_server: Any, demo: None) -> None:
    room = a_room_with_assets()
    assets = list(Asset.objects.filter(room=room).active().order_by("code")[:4])
    log_in(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}/assets/stocktakes/")
    assert_no_horizontal_overflow(page)
    shot(page, "stocktake-list")

    page.goto(f"{live_server.url}/assets/stocktakes/add/")
    # Only the field of the chosen scope shows.
    assert page.locator("select[name=building]").is_visible()
    assert not page.locator("select[name=department]").is_visible()
    page.fill("input[name=name]", "浏览器盘点")
    page.select_option("select[name=building]", str(room.building_id))
    shot(page, "stocktake-start")
    click_and_load(page, "[data-testid=save]")
    stocktake = Stocktake.objects.get(name="浏览器盘点")
    assert page.url.endswith(stocktake.get_absolute_url())
    assert page.locator("[data-testid=room-task]").count() >= 2
    assert_no_horizontal_overflow(page)
    shot(page, "stocktake-detail")

    page.goto(f"{live_server.url}/assets/stocktakes/{stocktake.pk}/count/?room={room.pk}")
    assert page.locator("[data-testid=room-title]").inner_text().strip() == str(room)
    expected = page.locator("[data-testid=line]").count()
    assert expected == Asset.objects.filter(room=room).active().count()
    assert_no_horizontal_overflow(page)

    # A scan: the camera's decoder hands the label's URL to the page's entry point.
    page.evaluate(
        "url => window.houqinScan(url)", f"{live_server.url}/assets/a/{assets[0].public_code}/"
    )
    found = page.locator("[data-testid=line][data-result=found]")
    expect(found).to_have_count(1)
    expect(page.locator("[data-testid=scan-status]")).to_contain_text(assets[0].name)
    # No camera: the code typed into the fallback field.
    page.fill("[data-testid=scan-code]", assets[1].code)
    page.click("[data-testid=scan-submit]")
    expect(found).to_have_count(2)
    # A tick, and one missing.
    page.locator(
        f"#line-{stocktake.lines.get(asset=assets[2]).pk} [data-testid=tick-found]"
    ).click()
    expect(found).to_have_count(3)
    missing = stocktake.lines.get(asset=assets[3]).pk
    page.locator(f"#line-{missing} [data-testid=tick-missing]").click()
    page.wait_for_selector(f"#line-{missing}[data-result=missing]")
    expect(page.locator("[data-testid=room-progress]")).to_have_text(f"4 / {expected}")
    assert_no_horizontal_overflow(page)
    shot(page, "stocktake-count")

    page.goto(f"{live_server.url}{stocktake.get_absolute_url()}")
    click_and_load(page, "[data-testid=finish]")
    assert "/reconcile/" in page.url
    assert page.locator("[data-testid=section-missing] tbody tr").count() >= 1
    assert_no_horizontal_overflow(page)
    shot(page, "stocktake-reconcile")
    page.check("[data-testid=apply-confirm]")
    click_and_load(page, "[data-testid=apply]")
    assert page.locator(".alert-success").is_visible()
    stocktake.refresh_from_db()
    assert stocktake.status == "closed"
    assert Asset.objects.get(pk=assets[3].pk).status == "lost"
    assert not page.locator("[data-testid=apply]").count()
    assert_no_horizontal_overflow(page)
    shot(page, "stocktake-applied")
