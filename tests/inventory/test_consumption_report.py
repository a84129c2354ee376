"""The consumption report against hand-computed figures, its page, export and district view."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.inventory.choices import MovementKind
from houqin.inventory.reports import ConsumptionScope, figures
from houqin.inventory.services.stock import stock_move
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def data(school: Any) -> dict[str, Any]:
    this_year = supplies.school_year(school, datetime.date(2026, 9, 1))
    last_year = supplies.school_year(school, datetime.date(2025, 9, 1))
    autumn = f.TermFactory(school_year=this_year)
    old_autumn = f.TermFactory(
        school_year=last_year, start=datetime.date(2025, 9, 1), end=datetime.date(2026, 1, 20)
    )
    maths = f.DepartmentFactory(school=school, name="数学组")
    chinese = f.DepartmentFactory(school=school, name="语文组")
    wang = f.member(school, "teacher", real_name="王老师", department=maths)
    li = f.member(school, "teacher", real_name="李老师", department=chinese)
    keeper = f.member(school, "storekeeper")
    pens = supplies.stock_item(school, name="签字笔", unit="支")
    paper = supplies.stock_item(school, name="复印纸", unit="包")
    supplies.receive(pens, 1000, "2", keeper)
    supplies.receive(paper, 100, "20", keeper)

    def out(
        item: Any, qty: int, dept: Any, person: Any, day: datetime.date, kind: str = "issue"
    ) -> None:
        stock_move(
            item=item,
            kind=kind,
            quantity=qty,
            actor=keeper,
            reason="x",
            department=dept,
            person=person,
            at=moment(day),
        )

    # This autumn: maths 10 pens (20) + 3 paper (60), 1 paper back (−20); chinese 5 paper
    # (100) printed; a repair part of 4 pens (8) without a department.
    out(pens, 10, maths, wang, datetime.date(2026, 9, 10))
    out(paper, 3, maths, wang, datetime.date(2026, 10, 10))
    out(paper, 1, maths, wang, datetime.date(2026, 10, 12), MovementKind.RETURN)
    out(paper, 5, chinese, li, datetime.date(2026, 11, 3), MovementKind.PRINT)
    out(pens, 4, None, keeper, datetime.date(2026, 11, 5), MovementKind.REPAIR)
    # Not consumption: a scrap and a receipt.
    out(pens, 50, None, None, datetime.date(2026, 10, 1), MovementKind.SCRAP)
    # Last autumn: maths 50 pens (100), chinese 10 paper (200).
    out(pens, 50, maths, wang, datetime.date(2025, 9, 15))
    out(paper, 10, chinese, li, datetime.date(2025, 10, 15), MovementKind.PRINT)
    return {
        "school": school,
        "autumn": autumn,
        "old_autumn": old_autumn,
        "maths": maths,
        "chinese": chinese,
        "this_year": this_year,
        "keeper": keeper,
    }


def scope(data: dict[str, Any], **kw: Any) -> ConsumptionScope:
    values: dict[str, Any] = {
        "school_ids": (data["school"].pk,),
        "start": data["autumn"].start,
        "end": data["autumn"].end,
        "previous_start": data["old_autumn"].start,
        "previous_end": data["old_autumn"].end,
    }
    values.update(kw)
    return ConsumptionScope(**values)


def test_the_figures_of_a_term(data: dict[str, Any]) -> None:
    found = figures(scope(data))
    totals = found["totals"]
    assert totals["amount"] == Decimal("168.00")  # 20 + 60 − 20 + 100 + 8
    assert totals["previous"] == Decimal("300.00")
    assert totals["change"] == -44.0
    assert totals["count"] == 4  # the return is not a time issued
    departments = {row["label"]: row for row in found["departments"]}
    assert departments["语文组"]["amount"] == Decimal("100.00")
    assert departments["语文组"]["previous"] == Decimal("200.00")
    assert departments["语文组"]["change"] == -50.0
    assert departments["数学组"]["amount"] == Decimal("60.00")
    assert departments["数学组"]["quantity"] == Decimal("12.000")  # 10 + 3 − 1
    assert departments["—"]["amount"] == Decimal("8.00")
    assert found["departments"][0]["label"] == "语文组"  # the largest first
    people = {row["label"]: row["amount"] for row in found["people"]}
    assert people == {
        "李老师": Decimal("100.00"),
        "王老师": Decimal("60.00"),
        data["keeper"].real_name: Decimal("8.00"),
    }
    items = {row["label"]: (row["quantity"], row["amount"]) for row in found["items"]}
    assert items["复印纸"] == (Decimal("7.000"), Decimal("140.00"))
    assert items["签字笔"] == (Decimal("14.000"), Decimal("28.00"))
    months = found["months"]
    assert months["months"][:5] == ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]
    assert months["amount"][:3] == [Decimal("20.00"), Decimal("40.00"), Decimal("108.00")]
    assert months["previous"][:3] == [Decimal("100.00"), Decimal("200.00"), Decimal("0")]


def test_filters_by_department_and_kind(data: dict[str, Any]) -> None:
    maths = figures(scope(data, department_id=data["maths"].pk))["totals"]
    assert maths["amount"] == Decimal("60.00") and maths["previous"] == Decimal("100.00")
    printed = figures(scope(data, kind=MovementKind.PRINT))["totals"]
    assert printed["amount"] == Decimal("100.00")
    issued = figures(scope(data, kind=MovementKind.ISSUE))["totals"]
    assert issued["amount"] == Decimal("60.00")


def test_the_page_compares_with_the_previous_school_year(data: dict[str, Any]) -> None:
    client = login(f.member(data["school"], "director"))
    url = reverse("inventory:consumption_report")
    page = client.get(url, {"period": f"t{data['autumn'].pk}"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "168.00" in html and "-44.0%" in html
    assert 'id="consumption-charts-data"' in html
    assert page.context["previous_period"].startswith("2025-09-01")
    year = client.get(url, {"period": f"y{data['this_year'].pk}"})
    assert year.context["totals"]["amount"] == Decimal("168.00")


def test_the_export_has_every_table(data: dict[str, Any]) -> None:
    client = login(f.member(data["school"], "director"))
    response = client.get(
        reverse("inventory:consumption_report"),
        {"period": f"t{data['autumn'].pk}", "export": "xlsx"},
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 4
    departments = book.worksheets[0]
    assert departments.cell(3, 1).value == "语文组"
    assert departments.cell(3, 2).value == 100


def test_the_district_compares_schools(data: dict[str, Any], other_school: Any) -> None:
    district = data["school"].district
    other_school.district = district
    other_school.save()
    official = f.district_member(district)
    page = login(official).get(reverse("inventory:consumption_report"))
    assert page.status_code == 200
    assert page.context["several"]
    schools = {row["label"]: row for row in page.context["figures"]["schools"]}
    assert schools["示范中学"]["amount"] == Decimal("168.00")  # the 2026–2027 school year
    assert schools["示范中学"]["previous"] == Decimal("300.00")
    assert 'data-testid="schools"' in page.content.decode()


def test_teachers_do_not_see_the_report(data: dict[str, Any]) -> None:
    teacher = f.member(data["school"], "teacher")
    assert login(teacher).get(reverse("inventory:consumption_report")).status_code == 403
