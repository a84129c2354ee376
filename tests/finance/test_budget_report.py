"""The budget execution report against figures computed by hand, its Excel export, and the
district's view across schools."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from houqin.finance import reports_budgets as reports
from houqin.finance.models import BudgetEntry
from houqin.finance.services import budgets as money
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db

D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(entry: Any, *args: int) -> None:
    BudgetEntry.objects.filter(pk=entry.pk).update(
        at=datetime.datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]
    )


@pytest.fixture
def year_figures(school: Any) -> SimpleNamespace:
    year = supplies.school_year(school)
    y = year.start.year
    first = f.DepartmentFactory(school=school, name="教务处", sort_order=1)
    second = f.DepartmentFactory(school=school, name="总务处", sort_order=2)
    a_office = supplies.budget_line(school, first, "office", "1000", year=year)
    a_teaching = supplies.budget_line(school, first, "teaching", "500", year=year)
    b_office = supplies.budget_line(school, second, "office", "2000", year=year)
    earlier = supplies.school_year(school, datetime.date(y - 3, 10, 1))
    supplies.budget_line(school, first, "office", "99999", year=earlier)
    money.budget_commit(line=a_office, amount=D("300"), actor=None)
    at(money.budget_spend(line=a_office, amount=D("200"), actor=None), y, 10, 15, 10)
    at(money.budget_spend(line=b_office, amount=D("500"), actor=None), y, 11, 3, 9)
    at(money.budget_refund(line=b_office, amount=D("100"), actor=None), y, 11, 20, 9)
    # 00:30 in Shanghai on 1 December is still 30 November in UTC: December it is.
    at(money.budget_spend(line=a_teaching, amount=D("50"), actor=None), y, 12, 1, 0, 30)
    return SimpleNamespace(year=year, y=y, scope=reports.ReportScope((school.pk,), y))


def test_totals_by_department_and_category(year_figures: SimpleNamespace) -> None:
    found = reports.figures(year_figures.scope)
    t = found["totals"]
    assert (t["amount"], t["committed"], t["spent"], t["available"]) == (
        D("3500"),
        D("300"),
        D("650"),
        D("2550"),
    )
    assert t["executed"] == 18.6 and t["used"] == 27.1
    departments = [
        (r["label"], r["amount"], r["spent"], r["available"], r["executed"])
        for r in found["departments"]
    ]
    assert departments == [
        ("教务处", D("1500"), D("250"), D("950"), 16.7),
        ("总务处", D("2000"), D("400"), D("1600"), 20.0),
    ]
    categories = [
        (r["label"], r["amount"], r["committed"], r["spent"]) for r in found["categories"]
    ]
    assert categories == [
        ("Office supplies", D("3000"), D("300"), D("600")),
        ("Teaching supplies", D("500"), D("0"), D("50")),
    ]
    assert found["schools"] == []


def test_spending_by_month_in_local_time(year_figures: SimpleNamespace) -> None:
    months = reports.by_month(year_figures.scope)
    y = year_figures.y
    assert len(months) == 12 and months[0]["month"] == f"{y}-09"
    assert months[-1]["month"] == f"{y + 1}-08"
    spent = {row["month"]: (row["spent"], row["cumulative"]) for row in months}
    assert spent[f"{y}-10"] == (D("200"), D("200"))
    assert spent[f"{y}-11"] == (D("400"), D("600"))
    assert spent[f"{y}-12"] == (D("50"), D("650"))
    assert spent[f"{y}-09"] == (D("0"), D("0"))


def test_the_report_page_and_its_export(school: Any, year_figures: SimpleNamespace) -> None:
    client = login(f.member(school, "accountant"))
    response = client.get(reverse("finance:budget_report"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="finance-budget-charts-data"' in page and "houqin/finance-budgets.js" in page
    assert "3,500.00" in page and "18.6%" in page and "99,999" not in page
    export = client.get(reverse("finance:budget_report") + "?export=xlsx")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert len(book.sheetnames) == 3  # one school: no sheet by school
    departments = book.worksheets[0]
    assert departments.cell(2, 1).value == "教务处" and departments.cell(2, 2).value == 1500
    assert departments.cell(4, 2).value == 3500  # the total row
    months = book.worksheets[2]
    assert months.cell(4, 3).value == 600


def test_an_earlier_year_is_chosen_by_its_start(school: Any, year_figures: SimpleNamespace) -> None:
    client = login(f.member(school, "principal"))
    page = client.get(
        reverse("finance:budget_report") + f"?year={year_figures.y - 3}"
    ).content.decode()
    assert "99,999.00" in page


def test_an_empty_year_says_so(school: Any) -> None:
    page = login(f.member(school, "accountant")).get(reverse("finance:budget_report"))
    assert page.status_code == 200 and 'data-testid="empty"' in page.content.decode()


def test_the_district_compares_its_schools(school: Any, year_figures: SimpleNamespace) -> None:
    sister = f.SchoolFactory(name="第二中学", district=school.district)
    year = supplies.school_year(sister)
    supplies.budget_line(
        sister, f.DepartmentFactory(school=sister, name="教务处"), "office", "700", year=year
    )
    official = login(f.district_member(school.district))
    response = official.get(reverse("finance:budget_report"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="report-schools"' in page
    assert "4,200.00" in page and "第二中学 · 教务处" in page
    only = official.get(reverse("finance:budget_report") + f"?school={sister.pk}").content.decode()
    assert "700.00" in only and "3,500.00" not in only
    export = official.get(reverse("finance:budget_report") + "?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert len(book.sheetnames) == 4


def test_the_report_needs_its_permission(school: Any, other_school: Any) -> None:
    assert (
        login(f.member(school, "teacher")).get(reverse("finance:budget_report")).status_code == 403
    )
    assert (
        login(f.member(school, "depthead")).get(reverse("finance:budget_report")).status_code == 403
    )
