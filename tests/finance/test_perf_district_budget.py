"""The district's budget execution page lists its schools (each opens to its departments) and
only the departments of the largest budgets; the export lists every department; the totals
equal plain sums over the budget lines."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db.models import Sum
from django.urls import reverse

from houqin.finance.models import BudgetLine
from houqin.finance.views_budget_report import DEPARTMENTS
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_district_page_shows_the_largest_departments(school: Any) -> None:
    schools = []
    for n in range(3):
        sister = f.SchoolFactory(name=f"区{n}校", district=school.district)
        year = supplies.school_year(sister)
        for d in range(9):
            dept = f.DepartmentFactory(school=sister, name=f"组{d}")
            supplies.budget_line(sister, dept, "office", str(100 * (n * 9 + d + 1)), year=year)
        schools.append(sister)
    official = login(f.district_member(school.district))
    url = reverse("finance:budget_report")
    page = official.get(url)
    assert page.status_code == 200
    found = page.context["figures"]
    total = BudgetLine.objects.filter(school__in=schools).aggregate(s=Sum("amount"))["s"]
    assert found["totals"]["amount"] == total
    assert {r["label"]: r["amount"] for r in found["schools"]} == {
        s.name: BudgetLine.objects.filter(school=s).aggregate(a=Sum("amount"))["a"] for s in schools
    }
    departments = found["departments"]
    assert len(departments) == DEPARTMENTS
    assert departments[0]["label"] == "区2校 · 组8" and departments[0]["amount"] == Decimal(2700)
    assert f"school={schools[1].pk}" in page.content.decode()
    opened = official.get(url, {"school": schools[1].pk}).context["figures"]["departments"]
    assert [r["label"] for r in opened] == [f"组{d}" for d in range(9)]
    export = official.get(url, {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    sheet = book.worksheets[1]
    assert sheet.max_row == 1 + 27 + 1  # the header, every department and the total
