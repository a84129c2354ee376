"""Suppliers in the browser (desktop and phone): the purchaser adds a supplier, the credit
code is checked as it is typed, adds a qualification and finds the expiring badge."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests import factories as f

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)
VALID = "91440300708461136T"


@pytest.fixture
def purchaser(transactional_db: Any) -> Any:
    from tests.conftest import ensure_roles

    ensure_roles()
    school = f.SchoolFactory(name="示范中学")
    return f.member(school, "purchaser", username="buyer", real_name="采购员")


def test_the_purchaser_adds_a_supplier(page: Any, live_server: Any, purchaser: Any) -> None:
    log_in(page, live_server, "buyer", f.PASSWORD)
    page.goto(f"{live_server.url}/procurement/suppliers/")
    assert page.locator("[data-testid=empty]").count() == 1
    shot(page, "suppliers-empty")
    click_and_load(page, "[data-testid=add]")
    page.fill("#id_name", "晨光文具批发部")
    page.fill("#id_credit_code", VALID[:-1] + "U")
    page.wait_for_selector("[data-testid=code-problem]")
    assert (
        "校验" in page.locator("[data-testid=code-check]").inner_text()
        or page.locator("[data-testid=code-problem]").count()
    )
    shot(page, "supplier-code-wrong")
    page.fill("#id_credit_code", VALID)
    page.wait_for_selector("[data-testid=code-ok]")
    page.fill("#id_supplies", "办公用品、纸张")
    page.fill("#id_phone", "13800001111")
    page.fill("#id_bank_name", "中国工商银行")
    page.fill("#id_bank_account", "6222020200112233445")
    assert_no_horizontal_overflow(page)
    click_and_load(page, "[data-testid=save]")
    assert "晨光文具批发部" in page.locator("h1").inner_text()
    click_and_load(page, "[data-testid=qualification-add]")
    page.select_option("#id_kind", "licence")
    page.fill("#id_number", "JY4403001234")
    soon = datetime.date.today() + datetime.timedelta(days=10)
    page.fill("#id_valid_until", soon.isoformat())
    click_and_load(page, "[data-testid=save]")
    assert page.locator("[data-testid=attachments]").count() == 1
    shot(page, "supplier-qualification-scan")
    page.goto(f"{live_server.url}/procurement/suppliers/")
    assert page.locator("[data-testid=supplier-row]").count() == 1
    assert page.locator("[data-testid=badge-expiring]:visible").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "suppliers-list")
    click_and_load(page, "[data-testid=supplier-row] a")
    assert page.locator("[data-testid=qual-expiring]").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "supplier-detail")
    page.goto(f"{live_server.url}/procurement/settings/")
    assert page.locator("[data-testid=settings-fields]").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-settings")
