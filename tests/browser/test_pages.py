"""Pages without a dedicated walk-through still render, fit a phone and are looked at."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "director": [
        ("/approvals/chains/", "chains"),
        ("/approvals/chains/add/", "chain-form"),
        ("/finance/expenses/", "expenses"),
        ("/approvals/mine/", "mine-empty"),
    ],
    "admin": [("/core/audit/", "audit")],
    "teacher": [("/approvals/mine/", "mine")],
}


@pytest.mark.parametrize("who", list(PAGES))
def test_pages_fit(page: Any, live_server: Any, demo: None, who: str) -> None:
    log_in(page, live_server, who)
    for path, name in PAGES[who]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert_no_horizontal_overflow(page)
        shot(page, f"{name}-{who}")
    if who == "director":
        page.goto(f"{live_server.url}/approvals/chains/")
        click_and_load(page, "table.hq-table tbody tr a >> nth=0")
        assert_no_horizontal_overflow(page)
        shot(page, "chain-detail")
