"""The register's totals table: kept equal to the cards by triggers through every kind of
write, read by the list when the filters allow, and the bureau's list without selects of
every room of the district."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import F
from django.urls import reverse

from houqin.assets import totals_sql
from houqin.assets.choices import AssetStatus
from houqin.assets.models import Asset, AssetCategory, AssetRegisterTotal
from houqin.assets.selectors import register_totals, summary_totals
from tests import factories as f
from tests.conftest import login

from .objects_register import make_asset

pytestmark = pytest.mark.django_db
URL = "/assets/register/"


def table_rows() -> set[tuple[Any, ...]]:
    """The non-empty rows of the totals table."""
    return set(
        AssetRegisterTotal.objects.exclude(cards=0).values_list(
            "school_id", "status", "category_key", "is_low_value", "cards", "quantity",
            "original_fen", "depreciation_fen",
        )
    )  # fmt: skip


def summed() -> set[tuple[Any, ...]]:
    """The same rows summed from the cards."""
    rows: dict[tuple[Any, ...], list[int]] = {}
    for a in Asset.objects.all():
        key = (a.school_id, a.status, a.category_id, a.is_low_value)
        row = rows.setdefault(key, [0, 0, 0, 0])
        row[0] += 1
        row[1] += a.quantity
        row[2] += int((a.original_value or 0) * 100)
        row[3] += int((a.accumulated_depreciation or 0) * 100)
    return {(*key, *row) for key, row in rows.items()}


def test_every_kind_of_write_keeps_the_table_equal_to_the_cards(
    school: Any, other_school: Any
) -> None:
    laptop = AssetCategory.objects.get(name="台式计算机")
    chair = AssetCategory.objects.exclude(pk=laptop.pk).filter(children=None).first()
    a = make_asset(school, unit_price=Decimal("4500.10"), quantity=2)
    b = make_asset(school, unit_price=Decimal("0.35"), quantity=7, category=chair)
    c = make_asset(other_school, unit_price=Decimal("12000.00"))
    assert table_rows() == summed()
    # The services and plain updates: status, value, depreciation, category, school.
    Asset.objects.filter(pk=a.pk).update(status=AssetStatus.UNDER_REPAIR)
    Asset.objects.filter(pk=b.pk).update(
        original_value=F("original_value") + Decimal("0.01"),
        accumulated_depreciation=Decimal("0.99"),
    )
    Asset.objects.filter(pk=c.pk).update(category=chair, quantity=3, is_low_value=True)
    assert table_rows() == summed()
    Asset.objects.filter(pk=c.pk).update(school=school, code="MOVED-1")
    assert table_rows() == summed()
    # A save that changes nothing watched moves nothing; a delete takes the card away.
    a.refresh_from_db()
    a.notes = "备注"
    a.save()
    Asset.objects.filter(pk=b.pk).delete()
    assert table_rows() == summed()
    # Bulk insert, and a refill gives the same table.
    template = Asset.objects.get(pk=a.pk)
    Asset.objects.bulk_create(
        [
            Asset(
                school=other_school,
                code=f"BULK-{n}",
                public_code=f"BULK{n:08d}",
                name="批量",
                category=laptop,
                unit_price=Decimal("10.00"),
                quantity=n,
                original_value=Decimal("10.00") * n,
                purchase_date=datetime.date(2025, 3, 1),
                status=template.status,
            )
            for n in range(1, 6)
        ]
    )
    assert table_rows() == summed()
    before = table_rows()
    totals_sql.refill()
    assert table_rows() == before == summed()


def test_the_summary_equals_the_sum_of_the_cards_for_every_filter_it_answers(
    school: Any,
) -> None:
    laptop = AssetCategory.objects.get(name="台式计算机")
    parent = laptop.parent
    for n in range(6):
        asset = make_asset(school, unit_price=Decimal("1234.56") + n, quantity=n + 1)
        if n % 3 == 0:
            Asset.objects.filter(pk=asset.pk).update(status=AssetStatus.DISPOSED)
    make_asset(school, unit_price=Decimal("80.00"), category=AssetCategory.objects.exclude(
        pk=laptop.pk).filter(children=None).last())  # fmt: skip
    cards = Asset.objects.filter(school=school)
    rows = AssetRegisterTotal.objects.filter(school=school)
    cases: list[tuple[dict[str, Any], Any]] = [
        ({}, cards.active()),
        ({"show": "all"}, cards),
        ({"status": AssetStatus.DISPOSED}, cards.filter(status=AssetStatus.DISPOSED)),
        ({"category": parent}, cards.active().filter(category__parent=parent)),
        ({"low_value": "1"}, cards.active().filter(is_low_value=True)),
        ({"low_value": "0", "show": "all"}, cards.filter(is_low_value=False)),
    ]
    for data, expected in cases:
        assert summary_totals(rows, data) == register_totals(expected), data
    # Filters the table cannot answer, and a search, leave the sum to the cards.
    assert summary_totals(rows, {"room": object()}) is None
    assert summary_totals(rows, {}, search="电脑") is None


def test_the_bureau_list_reads_the_table_and_offers_school_filters_once_one_is_chosen(
    school: Any, other_school: Any
) -> None:
    room = f.RoomFactory(building__campus__school=school)
    make_asset(school, room=room)
    make_asset(other_school, unit_price=Decimal("99.90"))
    bureau = f.district_member(school.district)
    other_school.district = school.district
    other_school.save()
    client = login(bureau)
    response = client.get(URL)
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals == register_totals(Asset.objects.all())
    assert totals.count == 2
    names = [c["name"] for c in response.context["filter_controls"]]
    assert "room" not in names and "custodian" not in names and "category" in names
    assert set(response.context["filterset"].deferred) >= {"room", "custodian", "building"}
    assert 'data-testid="choose-school"' in response.content.decode()
    # A room asked for in the address stays shown (only that one), and the list follows it.
    response = client.get(URL, {"room": room.pk})
    control = next(c for c in response.context["filter_controls"] if c["name"] == "room")
    assert [key for key, _label in control["options"]] == ["", str(room.pk)]
    assert response.context["totals"].count == 1
    # With a school chosen, every filter is offered.
    client.post(reverse("core:switch_school"), {"school": school.pk, "next": URL})
    response = client.get(URL)
    assert not response.context["filterset"].deferred
    names = [c["name"] for c in response.context["filter_controls"]]
    assert {"building", "room", "department", "custodian"} <= set(names)
    assert response.context["totals"].count == 1


def test_a_school_keeper_keeps_every_filter(school: Any) -> None:
    keeper = f.member(school, "assetkeeper", username="assetkeeper")
    response = login(keeper).get(URL)
    names = [c["name"] for c in response.context["filter_controls"]]
    assert {"building", "room", "department", "custodian"} <= set(names)
    assert not response.context["filterset"].deferred
    assert 'data-testid="choose-school"' not in response.content.decode()
