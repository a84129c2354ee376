"""``/api/v1/budgets/`` and ``/api/v1/budget-adjustments/``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.finance.models import BudgetAdjustment, BudgetLine
from houqin.finance.services import budgets as money
from tests import factories as f
from tests import supplies
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def accountant(school: Any) -> Any:
    return f.member(school, "accountant")


def test_the_list_shows_what_is_available_and_filters(school: Any, accountant: Any) -> None:
    department = f.DepartmentFactory(school=school)
    line = supplies.budget_line(school, department, "office", "1000")
    supplies.budget_line(school, department, "teaching", "300")
    money.budget_commit(line=line, amount=D("950"), actor=None)
    client = token_client(accountant)
    body = client.get("/api/v1/budgets/").json()
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["id"] == line.pk)
    assert (row["available"], row["committed"], row["used_percent"]) == ("50.00", "950.00", 95)
    assert client.get("/api/v1/budgets/?category=teaching").json()["count"] == 1
    assert client.get("/api/v1/budgets/?usage=over90").json()["count"] == 1
    year = line.school_year_id
    assert (
        client.get(f"/api/v1/budgets/?year={year}&department={department.pk}").json()["count"] == 2
    )


def test_create_and_change_a_line(school: Any, accountant: Any) -> None:
    client = token_client(accountant)
    department = f.DepartmentFactory(school=school)
    year = supplies.school_year(school)
    created = client.post(
        "/api/v1/budgets/",
        {
            "school_year": year.pk,
            "department": department.pk,
            "category": "repair",
            "amount": "800",
        },
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["initial_amount"] == "800.00" and created.json()["school"] == school.pk
    duplicate = client.post(
        "/api/v1/budgets/",
        {"school_year": year.pk, "department": department.pk, "category": "repair", "amount": "1"},
    )
    assert duplicate.status_code == 400
    assert client.patch(f"/api/v1/budgets/{pk}/", {"amount": "900"}).status_code == 200
    money.budget_commit(line=pk, amount=D("1"), actor=None)
    refused = client.patch(f"/api/v1/budgets/{pk}/", {"amount": "1000"})
    assert refused.status_code == 400 and "adjustment" in str(refused.json())
    assert BudgetLine.objects.get(pk=pk).amount == D("900")


def test_an_adjustment_is_created_submitted_and_withdrawn(school: Any, accountant: Any) -> None:
    supplies.chain(school, "budget_adjustment", ("role", "principal"))
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    client = token_client(accountant)
    zero = client.post(
        "/api/v1/budget-adjustments/", {"line": line.pk, "delta": "0", "reason": "x"}
    )
    assert zero.status_code == 400
    created = client.post(
        "/api/v1/budget-adjustments/", {"line": line.pk, "delta": "-200", "reason": "压缩开支"}
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["number"].startswith("TZ-") and created.json()["status"] == "draft"
    submitted = client.post(f"/api/v1/budget-adjustments/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"
    again = client.post(f"/api/v1/budget-adjustments/{pk}/submit/")
    assert again.status_code == 400
    assert client.patch(f"/api/v1/budget-adjustments/{pk}/", {"delta": "-1"}).status_code == 400
    withdrawn = client.post(f"/api/v1/budget-adjustments/{pk}/withdraw/", {"reason": "再议"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert BudgetAdjustment.objects.get(pk=pk).status == "withdrawn"


def test_other_schools_and_the_unpermitted(school: Any, other_school: Any) -> None:
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    outsider = token_client(f.member(other_school, "accountant"))
    assert outsider.get(f"/api/v1/budgets/{line.pk}/").status_code == 404
    assert outsider.get("/api/v1/budgets/").json()["count"] == 0
    teacher = token_client(f.member(school, "teacher"))
    assert teacher.get("/api/v1/budgets/").status_code == 403
    head = token_client(f.member(school, "depthead"))
    assert head.get("/api/v1/budgets/").status_code == 200
    assert head.patch(f"/api/v1/budgets/{line.pk}/", {"amount": "1"}).status_code == 403
