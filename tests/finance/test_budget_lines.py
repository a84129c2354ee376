"""Budget line pages and rules: the list with totals and filters, the detail with its
ledger, create and edit (the amount is planned freely until money moves), the money policy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.finance.models import BudgetAdjustment, BudgetLine, FinanceSettings
from houqin.finance.services import budgets as money
from houqin.finance.services.adjustments import adjustment_save
from houqin.finance.services.budget_lines import budget_line_save
from houqin.finance.services.budgets import BudgetError
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def accountant(school: Any) -> Any:
    return f.member(school, "accountant")


def test_a_new_line_starts_with_its_amount_as_first_approved(school: Any) -> None:
    department = f.DepartmentFactory(school=school)
    line = budget_line_save(
        actor=None,
        line=BudgetLine(
            school_year=supplies.school_year(school),
            department=department,
            category="teaching",
            amount=D("8000"),
        ),
    )
    assert line.school_id == school.pk and line.initial_amount == D("8000")
    line.amount = D("9000")
    line = budget_line_save(actor=None, line=line)
    assert line.initial_amount == D("9000")


def test_once_money_moved_the_amount_changes_only_by_adjustment(school: Any) -> None:
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    money.budget_commit(line=line, amount=D("10"), actor=None)
    line = BudgetLine.objects.get(pk=line.pk)
    line.amount = D("2000")
    with pytest.raises(BudgetError, match="budget adjustment"):
        budget_line_save(actor=None, line=line)
    line = BudgetLine.objects.get(pk=line.pk)
    line.notes = "备注"
    line.committed = D("0")  # a stale copy of the money is ignored
    saved = budget_line_save(actor=None, line=line)
    assert saved.committed == D("10") and saved.initial_amount == D("1000")


def test_the_list_shows_money_and_totals_of_the_current_year(school: Any, accountant: Any) -> None:
    department = f.DepartmentFactory(school=school, name="教务处")
    line = supplies.budget_line(school, department, "office", "1000")
    supplies.budget_line(school, department, "teaching", "500")
    money.budget_commit(line=line, amount=D("950"), actor=None)
    last_year = supplies.school_year(school, line.school_year.start.replace(year=2001))
    supplies.budget_line(school, department, "office", "77777", year=last_year)
    response = login(accountant).get(reverse("finance:budget_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="budget-row"') == 2
    assert "1,500.00" in page and "550.00" in page  # totals: budget and available
    assert "95%" in page and "text-danger" in page
    assert "77,777" not in page
    everything = login(accountant).get(reverse("finance:budget_list") + "?year=")
    assert everything.content.decode().count('data-testid="budget-row"') == 3


def test_the_usage_filter_finds_lines_nearly_used_up(school: Any, accountant: Any) -> None:
    department = f.DepartmentFactory(school=school)
    busy = supplies.budget_line(school, department, "office", "1000")
    supplies.budget_line(school, department, "teaching", "1000")
    money.budget_commit(line=busy, amount=D("901"), actor=None)
    client = login(accountant)
    over = client.get(reverse("finance:budget_list") + "?usage=over90").content.decode()
    assert over.count('data-testid="budget-row"') == 1
    unused = client.get(reverse("finance:budget_list") + "?usage=unused").content.decode()
    assert unused.count('data-testid="budget-row"') == 1


def test_the_list_exports_xlsx(school: Any, accountant: Any) -> None:
    supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    response = login(accountant).get(reverse("finance:budget_list") + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_runs_a_constant_number_of_queries(school: Any, accountant: Any) -> None:
    client = login(accountant)
    url = reverse("finance:budget_list")
    supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _n in range(12):
        supplies.budget_line(school, f.DepartmentFactory(school=school), "repair", "50")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def test_the_detail_shows_the_ledger_with_links_to_the_sources(
    school: Any, accountant: Any
) -> None:
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    adjustment = adjustment_save(
        actor=accountant,
        adjustment=BudgetAdjustment(line=line, delta=D("50"), reason="追加"),
    )
    money.budget_change_amount(
        line=line,
        delta=D("50"),
        actor=accountant,
        source_type="budget_adjustment",
        source_id=adjustment.pk,
        reference=adjustment.number,
    )
    money.budget_commit(line=line, amount=D("30"), actor=None, reference="CG-1")
    response = login(accountant).get(reverse("finance:budget_detail", args=[line.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="entry"') == 2
    assert reverse("finance:adjustment_detail", args=[adjustment.pk]) in page
    assert adjustment.number in page and "1,050.00" in page
    assert reverse("finance:budget_edit", args=[line.pk]) in page


def test_the_detail_ledger_is_paged(school: Any, accountant: Any) -> None:
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "10000")
    for _n in range(30):
        money.budget_commit(line=line, amount=D("1"), actor=None)
    client = login(accountant)
    first = client.get(reverse("finance:budget_detail", args=[line.pk])).content.decode()
    assert first.count('data-testid="entry"') == 25 and 'data-testid="next-page"' in first
    second = client.get(reverse("finance:budget_detail", args=[line.pk]) + "?page=2")
    assert second.content.decode().count('data-testid="entry"') == 5


def test_a_depthead_sees_lines_but_not_the_ledger(school: Any) -> None:
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    head = login(f.member(school, "depthead"))
    page = head.get(reverse("finance:budget_detail", args=[line.pk])).content.decode()
    assert 'data-testid="ledger' not in page
    assert head.get(reverse("finance:budget_edit", args=[line.pk])).status_code == 403
    assert head.get(reverse("finance:budget_add")).status_code == 403


def test_another_schools_line_is_not_found(school: Any, other_school: Any) -> None:
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    outsider = login(f.member(other_school, "accountant"))
    for name in ("finance:budget_detail", "finance:budget_edit"):
        assert outsider.get(reverse(name, args=[line.pk])).status_code == 404
    page = outsider.get(reverse("finance:budget_list") + "?year=").content.decode()
    assert 'data-testid="budget-row"' not in page


def test_a_teacher_may_not_see_budgets(school: Any) -> None:
    assert login(f.member(school, "teacher")).get(reverse("finance:budget_list")).status_code == 403


def test_the_accountant_creates_and_edits_a_line(school: Any, accountant: Any) -> None:
    department = f.DepartmentFactory(school=school, name="总务处")
    year = supplies.school_year(school)
    client = login(accountant)
    data = {
        "school_year": year.pk,
        "department": department.pk,
        "category": "repair",
        "amount": "12000",
        "notes": "",
    }
    response = client.post(reverse("finance:budget_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    line = BudgetLine.objects.get(department=department)
    assert line.initial_amount == D("12000") and line.school_id == school.pk
    # the same department and category twice in a year is refused
    again = client.post(reverse("finance:budget_add"), data)
    assert again.status_code == 422
    money.budget_commit(line=line, amount=D("1"), actor=None)
    edit = client.get(reverse("finance:budget_edit", args=[line.pk])).content.decode()
    assert "disabled" in edit and 'data-testid="amount-rule"' in edit
    client.post(reverse("finance:budget_edit", args=[line.pk]), {**data, "amount": "1"})
    assert BudgetLine.objects.get(pk=line.pk).amount == D("12000")


def test_a_year_of_another_school_is_refused_on_the_form(
    school: Any, other_school: Any, accountant: Any
) -> None:
    year = supplies.school_year(other_school)
    department = f.DepartmentFactory(school=school)
    response = login(accountant).post(
        reverse("finance:budget_add"),
        {"school_year": year.pk, "department": department.pk, "category": "office", "amount": "1"},
    )
    assert response.status_code == 422
    assert not BudgetLine.objects.exists()


def test_the_money_policy_page(school: Any, accountant: Any) -> None:
    client = login(accountant)
    assert client.get(reverse("finance:finance_settings")).status_code == 200
    response = client.post(
        reverse("finance:finance_settings"), {"budget_policy": "warn", "require_budget_line": ""}
    )
    assert response.status_code == 302
    config = FinanceSettings.objects.get(school=school)
    assert config.budget_policy == "warn" and not config.require_budget_line
    director = login(f.member(school, "director"))
    page = director.get(reverse("finance:finance_settings")).content.decode()
    assert 'data-testid="settings-fields"' in page
    assert director.post(reverse("finance:finance_settings"), {}).status_code == 403
    assert (
        login(f.member(school, "teacher")).get(reverse("finance:finance_settings")).status_code
        == 403
    )
