"""The landing dashboard shows the register's figures to those who keep or read it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests import factories as f
from tests.assets.objects_disposal import make_asset
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_asset_keeper_sees_the_register_totals(school: Any, other_school: Any) -> None:
    keeper = f.member(school, "assetkeeper")
    make_asset(school, price="4800.00", keeper=keeper)
    make_asset(school, "吊扇", "300.00", category="电风扇", quantity=4, keeper=keeper)
    make_asset(other_school, price="99999.00", keeper=f.member(other_school, "assetkeeper"))
    response = login(keeper).get("/")
    figures = response.context["asset_figures"]
    assert figures["cards"] == 2
    assert figures["original"] == Decimal("6000.00")
    assert figures["net"] == figures["original"] - figures["accumulated"]
    assert 'data-testid="asset-figures"' in response.content.decode()


def test_a_teacher_does_not_get_the_register_panel(school: Any) -> None:
    response = login(f.member(school, "teacher")).get("/")
    assert "asset_figures" not in response.context
