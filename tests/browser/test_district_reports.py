"""The bureau's reports over its schools in the browser (desktop and phone): one row per
school instead of every department or document, the register without selects of every
room of the district, nothing wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import assert_no_horizontal_overflow, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

#: (page, its table of schools, screenshot name)
PAGES = [
    ("inventory:consumption_report", "schools", "district-consumption"),
    ("printing:paper_report", "schools-table", "district-paper"),
    ("finance:budget_report", "report-schools", "district-budget"),
]


def test_the_bureau_reads_its_schools_reports(page: Any, live_server: Any, demo: None) -> None:
    from django.urls import reverse

    log_in(page, live_server, "district")
    for url_name, testid, name in PAGES:
        page.goto(f"{live_server.url}{reverse(url_name)}")
        table = page.locator(f"[data-testid={testid}]")
        assert table.count() == 1, testid
        text = table.inner_text()
        assert "示范中学" in text and "幼儿园" in text, testid
        assert_no_horizontal_overflow(page)
        shot(page, name)
    # The paper report names its terms in Chinese.
    page.goto(f"{live_server.url}{reverse('printing:paper_report')}")
    body = page.locator("body").inner_text()
    assert "term" not in body.replace("Term", "")


def test_the_bureau_register_and_disposal_report(page: Any, live_server: Any, demo: None) -> None:
    from django.urls import reverse

    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}{reverse('assets:asset_list')}")
    assert page.locator("[data-testid=choose-school]").count() == 1
    assert page.locator("select[name=room]").count() == 0
    assert page.locator("table tbody tr").count() >= 10
    assert_no_horizontal_overflow(page)
    shot(page, "district-register")
    page.goto(f"{live_server.url}{reverse('assets:disposal_report')}")
    assert page.locator("[data-testid=report-totals]").count() == 1
    assert page.locator("[data-testid=report-disposals]").count() == 0
    assert_no_horizontal_overflow(page)
    shot(page, "district-disposal-report")


def test_the_bureau_filters_its_repair_statistics(page: Any, live_server: Any, demo: None) -> None:
    from django.urls import reverse

    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}{reverse('maintenance:dashboard')}")
    # Buildings come with a school: none of the whole district's are offered at first.
    assert page.locator("select[name=building] option:not([value=''])").count() == 0
    assert "先选择学校" in page.locator("main").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "district-repair-statistics")
    school = page.locator("select[name=school] option:not([value=''])").first
    page.goto(
        f"{live_server.url}{reverse('maintenance:dashboard')}?school={school.get_attribute('value')}"
    )
    assert page.locator("select[name=building] option:not([value=''])").count() >= 1
