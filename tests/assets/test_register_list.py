"""The register list: filters, search, sort, totals in one aggregate, export, query count."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from houqin.assets.choices import AssetStatus
from houqin.assets.models import Asset, AssetCategory
from houqin.assets.selectors import register_totals
from tests import factories as f
from tests.conftest import login

from .objects_register import make_asset

pytestmark = pytest.mark.django_db
URL = "/assets/register/"


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "assetkeeper", username="assetkeeper")


def codes(response: Any) -> list[str]:
    return [row["cells"][0]["text"] for row in response.context["table"].rows()]


def test_it_lists_cards_of_the_active_register_only(school: Any, keeper: Any) -> None:
    kept = make_asset(school, name="在用电脑")
    lost = make_asset(school, name="丢失电脑")
    Asset.objects.filter(pk=lost.pk).update(status=AssetStatus.LOST)
    client = login(keeper)
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == [kept.code]
    assert codes(client.get(URL, {"show": "all"})) == [lost.code, kept.code]
    assert codes(client.get(URL, {"status": "lost"})) == [lost.code]


def test_the_totals_cover_every_filtered_card_in_one_query(school: Any, keeper: Any) -> None:
    make_asset(school, unit_price=Decimal("4500.00"), quantity=2)
    make_asset(school, unit_price=Decimal("1200.50"), quantity=1)
    queryset = Asset.objects.filter(school=school)
    with CaptureQueriesContext(connection) as queries:
        totals = register_totals(queryset)
    assert len(queries) == 1
    assert totals.count == 2
    assert totals.quantity == 3
    assert totals.original_value == Decimal("10200.50")
    assert totals.net_value == totals.original_value - totals.accumulated_depreciation
    assert totals.accumulated_depreciation > 0  # bought 2024-09, six years of life
    response = login(keeper).get(URL)
    assert response.context["totals"] == totals
    assert response.context["page"].paginator.count == 2


def test_the_totals_of_nothing_are_zero(school: Any) -> None:
    totals = register_totals(Asset.objects.filter(school=school))
    assert (totals.count, totals.quantity, totals.original_value) == (0, 0, Decimal("0.00"))


def test_it_filters_by_category_with_its_descendants(school: Any, keeper: Any) -> None:
    desktop = make_asset(school)
    chair = make_asset(
        school,
        name="椅子",
        category=AssetCategory.objects.filter(name__contains="椅").first(),
        unit_price=Decimal("300"),
    )
    computers = AssetCategory.objects.get(name="计算机设备")
    equipment = AssetCategory.objects.get(name="设备")
    client = login(keeper)
    assert codes(client.get(URL, {"category": computers.pk})) == [desktop.code]
    assert codes(client.get(URL, {"category": equipment.pk})) == [desktop.code]
    assert chair.code not in codes(client.get(URL, {"category": equipment.pk}))


def test_it_filters_by_place_people_value_year_and_low_value(school: Any, keeper: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    department = f.DepartmentFactory(school=school)
    person = f.member(school, "teacher")
    placed = make_asset(school, room=room, department=department, custodian=person)
    cheap = make_asset(school, unit_price=Decimal("300"), purchase_date=datetime.date(2022, 3, 1))
    client = login(keeper)
    assert codes(client.get(URL, {"building": room.building.pk})) == [placed.code]
    assert codes(client.get(URL, {"room": room.pk})) == [placed.code]
    assert codes(client.get(URL, {"department": department.pk})) == [placed.code]
    assert codes(client.get(URL, {"custodian": person.pk})) == [placed.code]
    assert codes(client.get(URL, {"value_max": "1000"})) == [cheap.code]
    assert codes(client.get(URL, {"value_min": "1000"})) == [placed.code]
    assert codes(client.get(URL, {"year": "2022"})) == [cheap.code]
    assert codes(client.get(URL, {"low_value": "1"})) == [cheap.code]
    assert codes(client.get(URL, {"low_value": "0"})) == [placed.code]


def test_it_searches_and_sorts(school: Any, keeper: Any) -> None:
    a = make_asset(school, name="投影仪", brand="爱普生", unit_price=Decimal("6000"))
    b = make_asset(school, name="打印机", serial_number="SN-778", unit_price=Decimal("2000"))
    c = make_asset(school, name="电脑", specification="ThinkCentre M720", code="OLD-001")
    client = login(keeper)
    assert codes(client.get(URL, {"q": "爱普生"})) == [a.code]
    assert codes(client.get(URL, {"q": "sn-778"})) == [b.code]
    assert codes(client.get(URL, {"q": "thinkcentre"})) == [c.code]
    assert codes(client.get(URL, {"q": "OLD-0"})) == [c.code]
    assert codes(client.get(URL, {"sort": "value"})) == [b.code, c.code, a.code]
    assert codes(client.get(URL, {"sort": "-value"})) == [a.code, c.code, b.code]
    names = [
        r["cells"][1]["text"] for r in client.get(URL, {"sort": "name"}).context["table"].rows()
    ]
    assert names == sorted(names)


def test_other_schools_cards_are_never_listed(school: Any, other_school: Any, keeper: Any) -> None:
    make_asset(other_school, name="幼儿园钢琴")
    response = login(keeper).get(URL, {"show": "all"})
    assert response.context["totals"].count == 0
    assert "幼儿园钢琴" not in response.content.decode()


def test_it_exports_the_filtered_register(school: Any, keeper: Any) -> None:
    make_asset(school, name="投影仪")
    make_asset(school, name="打印机")
    response = login(keeper).get(URL, {"q": "投影", "export": "xlsx"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert len(rows) == 2
    assert rows[1][1] == "投影仪"
    assert len(rows[0]) > 20  # every field of the card


def test_the_list_runs_in_a_constant_number_of_queries(school: Any, keeper: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    person = f.member(school, "teacher")
    department = f.DepartmentFactory(school=school)
    make_asset(school, room=room, custodian=person, department=department)
    client = login(keeper)
    client.get(URL)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for n in range(29):
        make_asset(
            school,
            name=f"课桌{n}",
            room=f.RoomFactory(building=room.building),
            custodian=f.member(school, "teacher"),
            department=department,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.context["totals"].count == 30
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_the_list_offers_bulk_buttons_of_other_areas(school: Any, keeper: Any) -> None:
    from houqin.assets import actions

    def provider(request: Any, query: str) -> list[dict[str, Any]]:
        return [{"label": "打印标签", "url": f"/labels/?{query}", "icon": "tag"}]

    make_asset(school)
    actions.LIST_ACTIONS.append(provider)
    try:
        response = login(keeper).get(URL, {"q": "台式"})
    finally:
        actions.LIST_ACTIONS.remove(provider)
    assert "/labels/?q=" in response.content.decode()


def test_a_teacher_sees_the_register_but_cannot_add(school: Any) -> None:
    teacher = f.member(school, "teacher")
    response = login(teacher).get(URL)
    assert response.status_code == 200
    assert response.context["add_url"] is None
    assert login(teacher).get("/assets/register/add/").status_code == 403
