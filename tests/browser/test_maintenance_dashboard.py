"""The maintenance dashboard in the browser (desktop and phone): the director opens 维修统计
on a year of demo repairs and every chart draws; the district compares its schools."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import assert_no_horizontal_overflow, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)
CHARTS = ("months", "categories", "buildings", "times", "satisfaction", "workers")
#: Several schools are compared school by school; buildings and workers need a school chosen.
DISTRICT_CHARTS = ("months", "categories", "schools", "times", "satisfaction")

# True when the chart's canvas exists, has a size and has painted something.
DRAWN = """(name) => {
  const canvas = document.querySelector(`[data-chart="${name}"] canvas`);
  if (!canvas || canvas.width < 50 || canvas.height < 50) { return false; }
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4 * 7) { if (pixels[i] > 0) { painted++; } }
  return painted > 200;
}"""


def _wait_for_charts(page: Any, charts: tuple[str, ...] = CHARTS) -> None:
    for name in charts:
        page.wait_for_selector(f'[data-chart="{name}"][data-rendered="true"] canvas')
        page.wait_for_function(DRAWN, arg=name, timeout=10_000)


def test_the_director_sees_the_charts(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "director")
    assert page.locator("[data-testid=maintenance-figures]").count() == 1
    shot(page, "maintenance-home-panel")
    page.goto(f"{live_server.url}/maintenance/?period=recent")
    _wait_for_charts(page)
    requests = page.locator("[data-testid=kpi-requests] .fs-4").inner_text()
    assert int(requests.replace(",", "")) > 1000  # a year of demo repairs
    assert page.locator("[data-testid=table-workers] tbody tr").count() >= 2
    assert_no_horizontal_overflow(page)
    # Every chart fits its card.
    for name in CHARTS:
        chart = page.locator(f'[data-chart="{name}"]').bounding_box()
        card = (
            page.locator(f'[data-chart="{name}"]')
            .locator("xpath=ancestor::div[contains(@class,'card')][1]")
            .bounding_box()
        )
        assert chart and card and chart["width"] <= card["width"] + 1, name
    shot(page, "maintenance-dashboard")

    # Narrowed to one category: fewer requests, charts still drawn.
    page.select_option("select[name=category]", label="电")
    with page.expect_navigation():
        page.click("[data-testid=filter]")
    _wait_for_charts(page)
    narrowed = page.locator("[data-testid=kpi-requests] .fs-4").inner_text()
    assert 0 < int(narrowed.replace(",", "")) < int(requests.replace(",", ""))

    # The export of a block downloads a workbook.
    with page.expect_download() as download:
        page.click("[data-testid=export-categories]")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_phone_chart_follows_a_rotation(phone: Any, live_server: Any, demo: None):
    log_in(phone, live_server, "director")
    phone.goto(f"{live_server.url}/maintenance/?period=recent")
    _wait_for_charts(phone)
    before = phone.locator('[data-chart="months"] canvas').bounding_box()
    phone.set_viewport_size({"width": 844, "height": 390})
    phone.wait_for_function(
        "() => document.querySelector('[data-chart=\"months\"] canvas').getBoundingClientRect()"
        ".width > 600"
    )
    after = phone.locator('[data-chart="months"] canvas').bounding_box()
    assert before and after and after["width"] > before["width"]
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.wait_for_function(
        "() => document.querySelector('[data-chart=\"months\"] canvas').getBoundingClientRect()"
        ".width < 390"
    )
    assert_no_horizontal_overflow(phone)


def test_the_district_compares_its_schools(page: Any, live_server: Any, demo: None):
    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}/maintenance/?period=recent")
    _wait_for_charts(page, DISTRICT_CHARTS)
    assert page.locator('[data-chart="buildings"], [data-testid=table-workers]').count() == 0
    assert page.locator("[data-testid=choose-school-hint]").is_visible()
    table = page.locator("[data-testid=table-schools]")
    assert table.locator("tbody tr").count() >= 2
    assert "示范中学" in table.inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-dashboard-district")
