"""The accountant reads the posted depreciation: the runs, one month's table, the report."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.assets.models import period_label
from houqin.assets.services.register import last_closed_period

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_accountant_reads_the_runs_a_month_and_the_report(
    page: Any, live_server: Any, demo: None
) -> None:
    last = last_closed_period()
    log_in(page, live_server, "accountant")
    page.goto(f"{live_server.url}/assets/depreciation/")
    rows = page.locator("#object-table tbody tr")
    assert rows.count() == 3  # the demo posts the last three closed months
    assert period_label(last) in rows.first.inner_text()
    assert page.locator("[data-testid=post-missing]").count() == 0
    assert page.locator("[data-testid=missing].alert-light").is_visible()  # nothing missing
    assert_no_horizontal_overflow(page)
    shot(page, "assets-depreciation-runs")

    click_and_load(page, "#object-table tbody tr:first-child a")
    assert period_label(last) in page.locator("h1").inner_text()
    by_category = page.locator("[data-testid=by-category] tbody tr")
    assert by_category.count() >= 10
    assert page.locator("[data-testid=by-department] tbody tr").count() >= 3
    assert page.locator("[data-testid=by-category-total]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "assets-depreciation-run")

    click_and_load(page, "[data-testid=report]")
    assert page.locator("[data-testid=posted]").is_visible()
    assert page.locator("[data-testid=by-category] tbody tr.table-secondary").count() >= 3
    assert_no_horizontal_overflow(page)
    shot(page, "assets-depreciation-report")

    older = period_label(last - 6)
    page.fill("input[name=month]", older)
    click_and_load(page, "[data-testid=show]")
    assert page.locator("[data-testid=not-posted]").is_visible()
    assert page.locator("[data-testid=post-month]").count() == 0  # months are posted in order
    assert older in page.locator("h1").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "assets-depreciation-report-unposted")
