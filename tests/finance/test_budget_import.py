"""Excel import of a school year's budget: all row errors at once, nothing saved on error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from houqin.finance.models import BudgetLine
from tests import factories as f
from tests import supplies
from tests.conftest import login
from tests.core.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["学年", "部门", "类别", "预算", "备注"]


def upload(client: Any, rows: list[list[Any]]) -> Any:
    data = xlsx_bytes([HEADER, *rows])
    return client.post(
        reverse("finance:budget_import"),
        {"file": SimpleUploadedFile("budget.xlsx", data)},
    )


@pytest.fixture
def setup(school: Any) -> Any:
    year = supplies.school_year(school)
    f.DepartmentFactory(school=school, name="教务处")
    f.DepartmentFactory(school=school, name="总务处")
    return year, login(f.member(school, "accountant"))


def test_it_imports_a_years_budget(school: Any, setup: Any) -> None:
    year, client = setup
    response = upload(
        client,
        [
            [year.name, "教务处", "教学用品", "12000", ""],
            [year.name, "总务处", "维修", 30000.5, "屋面防水"],
        ],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lines = BudgetLine.objects.order_by("amount")
    assert [(line.category, line.amount, line.initial_amount) for line in lines] == [
        ("teaching", Decimal("12000"), Decimal("12000")),
        ("repair", Decimal("30000.50"), Decimal("30000.50")),
    ]
    assert all(line.school_id == school.pk for line in lines)


def test_every_error_is_reported_and_nothing_is_saved(school: Any, setup: Any) -> None:
    year, client = setup
    supplies.budget_line(school, school_department(school, "教务处"), "office", "1", year=year)
    response = upload(
        client,
        [
            [year.name, "教务处", "教学用品", "12000", ""],
            [year.name, "后勤处", "维修", "100", ""],
            ["1999学年", "总务处", "零食", "-5", ""],
            [year.name, "教务处", "办公用品", "10", ""],
            [year.name, "总务处", "维修", "1", ""],
            [year.name, "总务处", "维修", "2", ""],
        ],
    )
    assert response.status_code == 422
    page = response.content.decode()
    for text in ("后勤处", "1999学年", "零食"):
        assert text in page
    errors = page.count('<tr><td class="text-nowrap">')
    assert errors >= 6  # unknown department, year, category; negative; two duplicates
    assert BudgetLine.objects.count() == 1


def school_department(school: Any, name: str) -> Any:
    from houqin.org.models import Department

    return Department.objects.get(school=school, name=name)


def test_the_template_downloads(setup: Any) -> None:
    _year, client = setup
    response = client.get(reverse("finance:budgetline_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client.get(reverse("finance:budget_import")).content.decode()
    assert reverse("finance:budgetline_import_template") in page


def test_the_import_needs_the_add_permission(school: Any) -> None:
    head = login(f.member(school, "depthead"))
    assert head.get(reverse("finance:budget_import")).status_code == 403
