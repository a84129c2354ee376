"""The district's paper report: schools compared (each opens to its departments), no table of
every department of every school on the page, the export still complete; the figures equal
plain sums over the finished jobs, and the page does not grow with departments."""

from __future__ import annotations

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.db.models import F, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.printing.models import PrintJob
from tests import factories as f
from tests.conftest import login

from .test_reports_paper import done

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def add_school(district: Any, name: str, departments: int) -> Any:
    school = f.SchoolFactory(district=district, name=name, students=200)
    for n in range(departments):
        dept = f.DepartmentFactory(school=school, name=f"{name}组{n}")
        teacher = f.member(school, "teacher", department=dept)
        done(teacher, dept, datetime.datetime(2025, 10, 1 + n, 9, tzinfo=SH), 10 + n, n % 3)
        done(teacher, dept, datetime.datetime(2024, 11, 1 + n, 9, tzinfo=SH), 20 + n)
    return school


def sheets(schools: list[Any], start: datetime.date, end: datetime.date) -> dict[int, int]:
    rows = (
        PrintJob.objects.filter(
            school__in=schools,
            status__in=("done", "collected"),
            done_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=SH),
            done_at__lt=datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time.min, tzinfo=SH
            ),
        )
        .values("school_id")
        .annotate(n=Sum(F("sheets_used") + F("spoiled_sheets")))
        .order_by()
    )
    return {row["school_id"]: row["n"] for row in rows}


def test_the_district_page_compares_schools_and_opens_one(school: Any) -> None:
    schools = [add_school(school.district, f"区{n}校", 2 + n) for n in range(3)]
    official = login(f.district_member(school.district))
    url = reverse("printing:paper_report")
    page = official.get(url, {"period": "g2025"})
    assert page.status_code == 200
    figures = page.context["figures"]
    year = (datetime.date(2025, 9, 1), datetime.date(2026, 8, 31))
    expected = sheets(schools, *year)
    assert {r["school_id"]: r["sheets"] for r in figures["schools"]} == expected
    assert figures["totals"]["sheets"] == sum(expected.values())
    before = sheets(schools, datetime.date(2024, 9, 1), datetime.date(2025, 8, 31))
    assert figures["totals"]["previous"] == sum(before.values())
    assert figures["departments"] == []
    html = page.content.decode()
    assert 'data-testid="departments-table"' not in html
    assert f"school={schools[2].pk}" in html
    opened = official.get(url, {"period": "g2025", "school": schools[2].pk})
    rows = opened.context["figures"]["departments"]
    assert sorted(r["label"] for r in rows) == [f"区2校组{n}" for n in range(4)]
    assert sum(r["sheets"] for r in rows) == expected[schools[2].pk]


def test_the_district_export_lists_every_department(school: Any) -> None:
    schools = [add_school(school.district, f"区{n}校", 2) for n in range(2)]
    official = login(f.district_member(school.district))
    response = official.get(reverse("printing:paper_export"), {"period": "g2025"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    labels = {row[0].value for row in book.worksheets[1].iter_rows(min_row=2)}
    assert {f"{s.name} · {s.name}组{n}" for s in schools for n in range(2)} <= labels


def test_the_district_page_does_not_grow_with_departments(school: Any) -> None:
    add_school(school.district, "区0校", 2)
    official = login(f.district_member(school.district))
    url = reverse("printing:paper_report")
    official.get(url)
    with CaptureQueriesContext(connection) as first:
        official.get(url)
    add_school(school.district, "区1校", 8)
    with CaptureQueriesContext(connection) as second:
        official.get(url)
    assert len(second) == len(first)
