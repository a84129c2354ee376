"""The paper report against hand-computed figures: departments, teachers, purposes, months
(in the site's time zone), terms, year-on-year change, cost; its page, export and queries."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.printing.models import PrintJob
from houqin.printing.selectors_paper import PaperScope, paper_figures
from tests import factories as f
from tests.conftest import login

from .conftest import make_job

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def done(
    teacher: Any,
    department: Any,
    at: datetime.datetime,
    used: int,
    spoiled: int = 0,
    purpose: str = "exam",
) -> PrintJob:
    job = make_job(teacher, department, purpose=purpose)
    PrintJob.objects.filter(pk=job.pk).update(
        status="done", sheets_used=used, spoiled_sheets=spoiled, done_at=at
    )
    return job


@pytest.fixture
def world(school: Any) -> dict[str, Any]:
    a = f.DepartmentFactory(school=school, name="教务处")
    b = f.DepartmentFactory(school=school, name="政教处")
    t1 = f.member(school, "teacher", department=a, real_name="刘老师")
    t2 = f.member(school, "teacher", department=b, real_name="王老师")
    year = f.SchoolYearFactory(
        school=school,
        name="2025-2026学年",
        start=datetime.date(2025, 9, 1),
        end=datetime.date(2026, 8, 31),
    )
    f.SchoolYearFactory(
        school=school,
        name="2024-2025学年",
        start=datetime.date(2024, 9, 1),
        end=datetime.date(2025, 8, 31),
    )
    f.TermFactory(
        school_year=year,
        kind="autumn",
        start=datetime.date(2025, 9, 1),
        end=datetime.date(2026, 1, 20),
    )
    f.TermFactory(
        school_year=year,
        kind="spring",
        start=datetime.date(2026, 2, 20),
        end=datetime.date(2026, 7, 10),
    )
    # This school year: 104 + 50 + 30 + 20 = 204 sheets.
    done(t1, a, datetime.datetime(2025, 10, 10, 9, tzinfo=SH), 100, 4)
    done(t1, a, datetime.datetime(2026, 3, 5, 9, tzinfo=SH), 50, purpose="lesson")
    done(t2, b, datetime.datetime(2025, 10, 20, 9, tzinfo=SH), 30, purpose="notice")
    done(t2, b, datetime.datetime(2026, 4, 1, 0, 30, tzinfo=SH), 20)  # 31 March in UTC
    # The year before: 200 + 10 = 210 sheets.
    done(t1, a, datetime.datetime(2024, 10, 5, 9, tzinfo=SH), 200)
    done(t2, b, datetime.datetime(2025, 3, 1, 9, tzinfo=SH), 10, purpose="other")
    make_job(t1, a)  # a draft: never counted
    return {"a": a, "b": b, "t1": t1, "t2": t2, "year": year}


def scope(school: Any) -> PaperScope:
    start, end = datetime.date(2025, 9, 1), datetime.date(2026, 8, 31)
    return PaperScope((school.pk,), start, end, start, end)


def test_the_figures_match_the_hand_computed_ones(school: Any, world: dict[str, Any]) -> None:
    terms = [
        ("秋季", datetime.date(2025, 9, 1), datetime.date(2026, 1, 20)),
        ("春季", datetime.date(2026, 2, 20), datetime.date(2026, 7, 10)),
    ]
    figures = paper_figures(scope(school), terms)
    totals = figures["totals"]
    assert totals["sheets"] == 204
    assert totals["previous"] == 210
    assert totals["jobs"] == 4
    assert totals["spoiled"] == 4
    assert totals["change"] == -2.9
    assert totals["arrow"] == "↓"
    assert totals["saved_sheets"] == 6
    assert totals["cost"] == Decimal("10.20")
    assert totals["previous_cost"] == Decimal("10.50")

    departments = {row["label"]: row for row in figures["departments"]}
    assert departments["教务处"]["sheets"] == 154
    assert departments["教务处"]["previous"] == 200
    assert departments["教务处"]["change"] == -23.0
    assert departments["教务处"]["arrow"] == "↓"
    assert departments["政教处"]["sheets"] == 50
    assert departments["政教处"]["change"] == 400.0
    assert departments["政教处"]["arrow"] == "↑"
    assert departments["教务处"]["cost"] == Decimal("7.70")

    teachers = figures["teachers"]
    assert [(t["rank"], t["label"], t["sheets"], t["exam"]) for t in teachers] == [
        (1, "刘老师", 154, 104),
        (2, "王老师", 50, 20),
    ]
    purposes = {row["purpose"]: row for row in figures["purposes"]}
    assert purposes["exam"]["sheets"] == 124
    assert purposes["exam"]["share"] == 60.8
    assert purposes["lesson"]["share"] == 24.5
    assert purposes["notice"]["share"] == 14.7
    assert purposes["other"]["sheets"] == 0
    assert purposes["other"]["previous"] == 10

    monthly = figures["monthly"]
    assert monthly["months"][0] == datetime.date(2025, 9, 1)
    assert monthly["current"] == [0, 134, 0, 0, 0, 0, 50, 20, 0, 0, 0, 0]
    assert monthly["previous"] == [0, 200, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0]
    assert [(t["label"], t["sheets"], t["jobs"]) for t in figures["terms"]] == [
        ("秋季", 134, 2),
        ("春季", 70, 2),
    ]
    assert "schools" not in figures


def test_a_term_compares_with_the_same_term_a_year_earlier(
    school: Any, world: dict[str, Any]
) -> None:
    autumn = PaperScope(
        (school.pk,),
        datetime.date(2025, 9, 1),
        datetime.date(2026, 1, 20),
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
    )
    totals = paper_figures(autumn)["totals"]
    assert totals["sheets"] == 134
    assert totals["previous"] == 200


def test_the_district_compares_its_schools(school: Any, world: dict[str, Any]) -> None:
    second = f.SchoolFactory(district=school.district, name="第二中学", students=100)
    school.students = 1020
    school.save()
    dept = f.DepartmentFactory(school=second)
    teacher = f.member(second, "teacher", department=dept)
    done(teacher, dept, datetime.datetime(2025, 11, 1, 9, tzinfo=SH), 500)
    both = PaperScope(
        (school.pk, second.pk),
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
    )
    rows = {r["label"]: r for r in paper_figures(both)["schools"]}
    assert rows["第二中学"]["sheets"] == 500
    assert rows["第二中学"]["per_student"] == 5.0
    assert rows["示范中学"]["per_student"] == 0.2
    district = f.district_member(school.district)
    page = login(district).get(reverse("printing:paper_report"), {"period": "g2025"})
    assert page.status_code == 200
    assert "第二中学" in page.content.decode()
    assert page.context["figures"]["totals"]["sheets"] == 704


def test_the_page_shows_the_chart_and_tables(school: Any, world: dict[str, Any]) -> None:
    client = login(f.member(school, "director"))
    page = client.get(reverse("printing:paper_report"), {"period": f"y{world['year'].pk}"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="printing-paper-data"' in text
    assert 'data-chart="trend"' in text
    assert "刘老师" in text and "教务处" in text
    assert page.context["charts"]["current"][1] == 134
    assert page.context["charts"]["previous"][1] == 200
    assert "<script>" not in text.replace('type="application/json"', "")
    assert (
        login(f.member(school, "teacher")).get(reverse("printing:paper_report")).status_code == 403
    )


def test_the_export_has_every_table(school: Any, world: dict[str, Any]) -> None:
    client = login(f.member(school, "director"))
    response = client.get(reverse("printing:paper_export"), {"period": f"y{world['year'].pk}"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 6
    departments = book.worksheets[1]
    rows = [[c.value for c in row] for row in departments.iter_rows(min_row=2)]
    assert ["教务处", 154, 2, 200, -23, 7.7] in rows


def _queries(client: Any, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_report_keeps_a_constant_number_of_queries(school: Any, world: dict[str, Any]) -> None:
    client = login(f.member(school, "director"))
    url = reverse("printing:paper_report")
    params = {"period": f"y{world['year'].pk}"}
    client.get(url, params)
    before = _queries(client, url, params)
    for n in range(5):
        dept = f.DepartmentFactory(school=school)
        teacher = f.member(school, "teacher", department=dept)
        done(teacher, dept, datetime.datetime(2025, 12, n + 1, 9, tzinfo=SH), 10 + n)
    assert _queries(client, url, params) == before
