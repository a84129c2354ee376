"""The ledger list takes its unfiltered total from the monthly totals (exact, and the same
few queries however long the ledger), and counts filtered views on the ledger itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.inventory.models import StockMovement
from houqin.inventory.services.stock import stock_move
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db


def fill(school: Any, keeper: Any, moves: int) -> None:
    pens = supplies.stock_item(school, name="签字笔", unit="支")
    supplies.receive(pens, 10_000, "2", keeper)
    for n in range(moves):
        stock_move(
            item=pens, kind="issue" if n % 3 else "scrap", quantity=1, actor=keeper, reason="x"
        )


def total(response: Any) -> str:
    text = response.content.decode()
    start = text.index('data-testid="total">') + len('data-testid="total">')
    return text[start : text.index("<", start)]


def test_the_unfiltered_total_is_exact_and_pages_work(school: Any, other_school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    fill(school, keeper, 60)
    fill(other_school, f.member(other_school, "storekeeper"), 5)
    client = login(keeper)
    url = reverse("inventory:movement_list")
    response = client.get(url)
    assert response.status_code == 200
    assert StockMovement.objects.filter(school=school).count() == 61
    assert "61" in total(response)
    assert response.context["page"].paginator.num_pages == 2
    second = client.get(url + "?page=2")
    assert len(second.context["page"].object_list) == 11
    issued = client.get(url + "?kind=issue")
    assert "40" in total(issued)


def test_the_list_runs_the_same_queries_for_few_and_many_movements(school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    client = login(keeper)
    url = reverse("inventory:movement_list")
    fill(school, keeper, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    fill(school, keeper, 80)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    counts = [q["sql"] for q in many.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if "inventory_stockmovement" in sql]
