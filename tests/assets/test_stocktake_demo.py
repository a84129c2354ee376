"""The demo stocktakes: one closed with a near-full match, one still counting; loaded once."""

from __future__ import annotations

import pytest

from houqin.assets.models import Stocktake
from houqin.assets.reports_stocktakes import figures

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_and_an_open_stocktake(demo_data: dict[str, int]) -> None:
    stocktakes = Stocktake.objects.filter(school__name="示范中学")
    closed = stocktakes.get(status="closed")
    numbers = figures(closed)
    assert numbers["match_rate"] is not None and numbers["match_rate"] >= 95
    open_one = stocktakes.get(status="counting")
    progress = figures(open_one)
    assert 0 < progress["counted"] < progress["expected"]
