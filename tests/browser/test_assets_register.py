"""The asset keeper works with the register: filters, totals, a card, an edit, an import."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.assets.models import Asset

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "资产名称,分类,单价,数量,购置日期,楼宇,房间号,备注"


def ledger(rows: list[str]) -> dict[str, Any]:
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return {"name": "旧台账.csv", "mimeType": "text/csv", "buffer": text.encode("gbk")}


def test_the_keeper_filters_opens_edits_and_imports(
    page: Any, live_server: Any, demo: None
) -> None:
    log_in(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}/assets/register/")
    totals = page.locator("[data-testid=total-count]")
    before = totals.inner_text()
    assert before not in ("0", "—")
    assert page.locator("table.hq-table tbody tr").count() == 50
    assert_no_horizontal_overflow(page)
    shot(page, "assets-register-list")

    # Filter by the low-value flag: the totals follow the filter.
    if page.viewport_name == "phone":
        page.click("[data-testid=more-filters]")
        page.locator("#id_low_value").wait_for(state="visible")
    page.select_option("#id_low_value", "1")
    page.wait_for_function(
        "before => document.querySelector('[data-testid=total-count]').innerText !== before",
        arg=before,
    )
    assert "low_value=1" in page.url
    assert_no_horizontal_overflow(page)
    shot(page, "assets-register-filtered")

    # Open a card.
    click_and_load(page, "table.hq-table tbody tr:first-child td:first-child a")
    assert page.locator("[data-testid=asset-fields]").is_visible()
    code = page.locator("h1").inner_text().split()[0]
    asset = Asset.objects.get(code=code, school__name="示范中学")
    assert_no_horizontal_overflow(page)
    shot(page, "assets-register-card")
    page.click("[data-testid=tab-movements]")
    page.wait_for_url("**tab=movements")
    assert page.locator("table.hq-table tbody tr").count() >= 1
    assert_no_horizontal_overflow(page)
    shot(page, "assets-register-movements")

    # Edit it.
    page.goto(f"{live_server.url}/assets/register/{asset.pk}/edit/")
    page.fill("#id_notes", "浏览器测试：已核对")
    assert_no_horizontal_overflow(page)
    shot(page, "assets-register-edit")
    click_and_load(page, "[data-testid=save]")
    assert page.url.endswith(f"/assets/register/{asset.pk}/")
    asset.refresh_from_db()
    assert asset.notes == "浏览器测试：已核对"

    # Import a small ledger.
    page.goto(f"{live_server.url}/assets/register/")
    click_and_load(page, "[data-testid=import]")
    assert page.locator("[data-testid=import-template]").is_visible()
    name = f"导入测试打印机-{page.viewport_name}"
    page.set_input_files(
        "input[name=file]",
        ledger(
            [
                f"{name},便携式计算机,5200,1,2024-03-01,,,旧台账",
                f"{name}-2,复印机,abc,1,2024-03-01,,,",
            ]
        ),
    )
    page.click("[data-testid=import-submit]")
    errors = page.locator("[data-testid=import-errors] tbody tr")
    errors.first.wait_for()
    assert errors.count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "assets-register-import-errors")
    assert not Asset.objects.filter(name__startswith=name).exists()
    page.set_input_files(
        "input[name=file]", ledger([f"{name},便携式计算机,5200,1,2024-03-01,,,旧台账"])
    )
    page.click("[data-testid=import-submit]")
    page.wait_for_url("**/assets/register/")
    assert Asset.objects.filter(name=name).count() == 1
    page.goto(f"{live_server.url}/assets/register/?q={name}")
    assert page.locator("table.hq-table tbody tr").count() == 1
    assert page.locator("[data-testid=total-count]").inner_text() == "1"
    assert_no_horizontal_overflow(page)
    shot(page, "assets-register-imported")


def test_the_keeper_browses_categories_and_the_policy(
    page: Any, live_server: Any, demo: None
) -> None:
    log_in(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}/assets/categories/")
    tree = page.locator("[data-testid=category-tree] tbody tr")
    assert tree.count() > 20
    assert_no_horizontal_overflow(page)
    shot(page, "assets-categories")
    click_and_load(page, "[data-testid=category-tree] a >> text=计算机设备")
    assert page.locator("[data-testid=children] li").count() >= 1
    assert_no_horizontal_overflow(page)
    shot(page, "assets-category-detail")
    page.goto(f"{live_server.url}/assets/settings/")
    assert page.locator("[data-testid=settings-form]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "assets-settings")
