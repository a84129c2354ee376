"""The savings report (开源节流): every figure against numbers computed by hand, the page's
permissions per block, the district's side-by-side table, the export and query counts."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.dashboards.savings import Period, Scope, savings_figures, savings_summary
from tests import factories as f
from tests.conftest import login

from .builders import build, order, print_job, years

pytestmark = pytest.mark.django_db
D = datetime.date
THIS = Period(D(2025, 9, 1), D(2026, 8, 31), "2025-2026学年")
URL = reverse("dashboards:savings")


@pytest.fixture
def world(school: Any, other_school: Any) -> dict[str, Any]:
    found = build(school)
    # Another school's paper must not count.
    dept = f.DepartmentFactory(school=other_school)
    print_job(other_school, dept, f.member(other_school, "teacher"), done=D(2025, 9, 2), sheets=7)
    return found


def test_the_budget_block_matches_the_hand_count(school: Any, world: Any) -> None:
    budget = savings_figures(Scope.every_block([school.pk]), THIS)["budget"]
    assert (budget["budget"], budget["committed"], budget["spent"]) == (15000, 1000, 3300)
    assert budget["available"] == Decimal("10700.00")
    assert budget["spent_rate"] == 22.0
    assert budget["used_rate"] == 28.7
    assert budget["spent_before"] == 4000 and budget["spent_change"] == -17.5
    assert budget["monthly"][1:3] == [Decimal("2500.00"), Decimal("800.00")]  # Oct, Nov
    assert sum(budget["monthly"]) == 3300
    assert budget["monthly_before"][1] == 4000
    rows = {row["category"]: row for row in budget["categories"]}
    assert (rows["office"]["spent"], rows["office"]["committed"]) == (2500, 1000)
    assert rows["repair"]["spent"] == 800 and rows["repair"]["used_rate"] == 16.0


def test_the_purchasing_block_matches_the_hand_count(school: Any, world: Any) -> None:
    block = savings_figures(Scope.every_block([school.pk]), THIS)["purchasing"]
    now = block["now"]
    assert (now["orders"], now["order_lines"], now["request_lines"]) == (2, 3, 6)
    assert (now["estimated"], now["actual"], now["saving"]) == (350, 325, 25)
    assert now["saving_rate"] == 7.1
    assert now["merged"] == 3
    assert (block["before"]["orders"], block["before"]["saving"]) == (1, 20)
    assert block["monthly_estimated"][1] == 250 and block["monthly_actual"][4] == 100


def test_the_store_block_counts_consumption_less_returns(school: Any, world: Any) -> None:
    block = savings_figures(Scope.every_block([school.pk]), THIS)["consumables"]
    assert block["monthly"][1] == 26  # October: 20 + 10 − 4
    assert block["monthly"][5] == 6  # February: a repair
    assert block["monthly"][6] == 0  # March: scrapping is not consumption
    assert (block["total"], block["total_before"], block["change"]) == (32, 20, 60.0)
    assert block["monthly_before"][2] == 20


def test_the_paper_block_shows_the_drop(school: Any, world: Any) -> None:
    block = savings_figures(Scope.every_block([school.pk]), THIS)["paper"]
    assert (block["sheets"], block["sheets_before"]) == (1520, 3000)
    assert (block["jobs"], block["jobs_before"]) == (2, 2)
    assert block["change"] == -49.3
    assert block["monthly"][0] == 1020 and block["monthly_before"][0] == 2000
    assert block["monthly_change"][0] == -49.0 and block["monthly_change"][3] == -50.0
    assert block["monthly_change"][1] is None


def test_the_summary_is_phrased_for_the_yearly_report(school: Any, world: Any) -> None:
    lines = {h["code"]: h for h in savings_summary(school, THIS.start, THIS.end)}
    assert lines["paper"]["text"] == "Paper use fell by 49.3% year on year."
    assert lines["paper"]["value"] == -49.3
    assert lines["consumables"]["text"] == "Consumables issued rose by 60% year on year."
    assert "25.00 yuan" in lines["consolidation"]["text"]
    assert "6 request lines" in lines["merged"]["text"]
    assert lines["budget"]["text"].startswith("Budget execution 22%")


def test_an_empty_school_has_no_headlines(school: Any) -> None:
    assert savings_summary(school, THIS.start, THIS.end) == []


def test_the_page_shows_every_block_to_the_director(school: Any, world: Any) -> None:
    client = login(f.member(school, "director"))
    response = client.get(URL, {"year": "2025-09-01"})
    assert response.status_code == 200
    body = response.content.decode()
    for code in ("kpi-budget", "kpi-saving", "kpi-consumables", "kpi-paper", "headline-paper"):
        assert f'data-testid="{code}"' in body, code
    assert 'id="savings-charts-data"' in body and "<script>" not in body
    charts = response.context["charts"]
    assert charts["paper"]["now"][0] == 1020 and len(charts["months"]) == 12
    assert response.context["before"].label == "2024-2025学年"


def test_the_store_sees_only_its_blocks(school: Any, world: Any) -> None:
    client = login(f.member(school, "storekeeper"))
    figures = client.get(URL, {"year": "2025-09-01"}).context["figures"]
    assert figures["budget"] is None and figures["purchasing"] is None
    assert figures["consumables"]["total"] == 32 and figures["paper"]["sheets"] == 1520


def test_people_without_a_report_permission_are_refused(school: Any, client: Any) -> None:
    assert login(f.member(school, "teacher")).get(URL).status_code == 403
    assert client.get(URL).status_code == 302


def test_the_district_sees_its_schools_side_by_side(school: Any, world: Any) -> None:
    sister = f.SchoolFactory(name="第二中学", district=school.district)
    dept = f.DepartmentFactory(school=sister)
    print_job(sister, dept, f.member(sister, "teacher"), done=D(2025, 10, 1), sheets=300)
    client = login(f.district_member(school.district))
    response = client.get(URL, {"year": "2025-09-01"})
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["schools"]}
    assert set(rows) == {"示范中学", "第二中学"}
    assert rows["示范中学"]["sheets"] == 1520 and rows["示范中学"]["sheets_change"] == -49.3
    assert rows["第二中学"]["sheets"] == 300 and rows["第二中学"]["sheets_change"] is None
    assert response.context["figures"]["paper"]["sheets"] == 1820
    one = client.get(URL, {"year": "2025-09-01", "school": sister.pk})
    assert one.context["schools"] == [] and one.context["figures"]["paper"]["sheets"] == 300


def test_the_export_has_a_sheet_per_block(school: Any, world: Any) -> None:
    client = login(f.member(school, "director"))
    response = client.get(URL, {"year": "2025-09-01", "export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [
        "Headlines",
        "Budget",
        "Central purchasing",
        "Consumables (yuan)",
        "Paper (sheets)",
    ]
    paper = list(book["Paper (sheets)"].values)
    assert paper[1] == ("2025-09", 1020, 2000, -49)
    assert paper[-1] == ("Total", 1520, 3000, -49.3)


def test_the_page_keeps_a_constant_number_of_queries(school: Any) -> None:
    years(school)
    client = login(f.member(school, "director"))
    client.get(URL)
    with CaptureQueriesContext(connection) as empty:
        client.get(URL, {"year": "2025-09-01"})
    build_more = f.DepartmentFactory(school=school)
    teacher = f.member(school, "teacher")
    for day in range(1, 25):
        print_job(school, build_more, teacher, done=D(2025, 10, day), sheets=day)
        order(school, teacher, placed=D(2025, 11, day), lines=[("1", "2", "1")])
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"year": "2025-09-01"})
    assert response.context["figures"]["paper"]["jobs"] == 24
    assert len(many) == len(empty)


def test_the_year_defaults_to_the_current_one_without_school_years(school: Any) -> None:
    client = login(f.member(school, "director"))
    response = client.get(URL)
    assert response.status_code == 200
    period = response.context["period"]
    assert period.start.month == 9 and period.start <= datetime.date.today() <= period.end
