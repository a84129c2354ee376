"""The savings report (开源节流) in the browser (desktop and phone): every chart draws, the
paper drop is in the headlines, nothing overflows a phone; the home panel links to it."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.dashboards.builders import build

from .conftest import assert_no_horizontal_overflow, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)
CHARTS = ("budget", "purchasing", "consumables", "paper")
DRAWN = """(name) => {
  const canvas = document.querySelector(`[data-chart="${name}"] canvas`);
  if (!canvas || canvas.width < 50 || canvas.height < 50) { return false; }
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4 * 7) { if (pixels[i] > 0) { painted++; } }
  return painted > 200;
}"""


@pytest.fixture
def director(transactional_db: Any) -> Any:
    from tests.conftest import ensure_roles

    ensure_roles()
    school = f.SchoolFactory(name="示范中学")
    build(school)
    return f.member(school, "director", username="boss", real_name="总务主任")


def test_the_director_reads_the_savings_report(page: Any, live_server: Any, director: Any) -> None:
    log_in(page, live_server, "boss", f.PASSWORD)
    assert page.locator("[data-testid=supplies-panel]").count() == 1
    shot(page, "savings-home-panel")
    page.click("[data-testid=savings-link]")
    page.wait_for_selector("[data-testid=kpis]")
    page.goto(f"{live_server.url}/savings/?year=2025-09-01")
    for name in CHARTS:
        page.wait_for_selector(f'[data-chart="{name}"][data-rendered="true"] canvas')
        page.wait_for_function(DRAWN, arg=name, timeout=10_000)
    headline = page.locator("[data-testid=headline-paper]").inner_text()
    assert "49.3" in headline
    assert "-49.3" in page.locator("[data-testid=paper-change]").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "savings-report")
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    assert download.value.suggested_filename.endswith(".xlsx")
