"""The demo registers: believable, numbered without gaps, loaded once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, F
from django.utils import timezone

from houqin.assets.models import Asset, AssetMovement
from houqin.assets.services.register import asset_register
from houqin.org.models import School

pytestmark = pytest.mark.django_db


def test_it_furnishes_the_middle_school_and_the_kindergarten(demo_data: dict[str, int]) -> None:
    counts = dict(Asset.objects.values_list("school__name").annotate(n=Count("id")))
    assert counts["示范中学"] >= 2000
    assert 200 <= counts["阳光幼儿园"] < 1000
    school = School.objects.get(name="示范中学")
    cards = Asset.objects.filter(school=school)
    assert cards.values("category").distinct().count() >= 20
    assert cards.filter(room__isnull=False).values("room").distinct().count() >= 150
    years = {d.year for d in cards.values_list("purchase_date", flat=True)}
    assert {2017, 2020, 2023, 2026} <= years
    # Depreciation through last month is already on every depreciable card.
    assert cards.filter(depreciable=True, accumulated_depreciation=0).count() < cards.count() / 10
    assert not cards.filter(accumulated_depreciation__gt=F("original_value")).exists()
    assert cards.filter(is_low_value=True, depreciable=True).count() == 0
    assert AssetMovement.objects.filter(school=school).count() >= cards.count()


def test_numbering_goes_on_after_the_demo(demo_data: dict[str, int]) -> None:
    school = School.objects.get(name="示范中学")
    keeper = school_keeper()
    sample = Asset.objects.filter(school=school).order_by("pk").first()
    assert sample is not None
    fresh = Asset(
        school=school,
        name="新购笔记本电脑",
        category=sample.category,
        unit_price=sample.unit_price,
        purchase_date=sample.purchase_date.replace(year=2026, month=11, day=2),
        room=sample.room,
    )
    registered = asset_register(actor=keeper, asset=fresh)
    assert registered.code.startswith(f"ZC-{timezone.localdate().year}-")
    assert (
        not Asset.objects.filter(school=school, code=registered.code)
        .exclude(pk=registered.pk)
        .exists()
    )


def school_keeper() -> Any:
    from houqin.accounts.models import User

    return User.objects.get(username="assetkeeper")
