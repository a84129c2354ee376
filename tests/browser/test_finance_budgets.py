"""Budgets in Chromium (desktop and phone): the accountant creates a line, the logistics
director asks for more money, the accountant and the principal approve, and the line shows
the new amount; the execution report draws its charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.finance.models import BudgetAdjustment, BudgetLine
from houqin.finance.services import budgets as money
from tests import factories as f
from tests import supplies
from tests.conftest import ensure_roles

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def people(viewport: str) -> dict[str, Any]:
    ensure_roles()
    school = f.SchoolFactory(name="示范中学")
    year = supplies.school_year(school)
    department = f.DepartmentFactory(school=school, name="总务处", sort_order=1)
    other = f.DepartmentFactory(school=school, name="教务处", sort_order=2)
    busy = supplies.budget_line(school, other, "teaching", "20000", year=year)
    money.budget_commit(line=busy, amount=Decimal("18500"), actor=None)
    money.budget_spend(line=busy, amount=Decimal("800"), actor=None)
    supplies.chain(school, "budget_adjustment", ("role", "accountant"), ("role", "principal"))
    return {
        "school": school,
        "year": year,
        "department": department,
        "accountant": f.member(school, "accountant", username=f"kj-{viewport}"),
        "director": f.member(school, "director", username=f"zw-{viewport}", department=department),
        "principal": f.member(school, "principal", username=f"xz-{viewport}"),
    }


def log_out(page: Any) -> None:
    page.context.clear_cookies()


def test_a_budget_is_raised_through_approval(page: Any, live_server: Any) -> None:
    world = people(page.viewport_name)
    url = live_server.url

    # 1. The accountant plans a line.
    log_in(page, live_server, world["accountant"].username, f.PASSWORD)
    page.goto(f"{url}/finance/budgets/")
    assert page.locator("[data-testid=budget-row]").count() == 1
    assert page.locator("[data-testid=used]").first.inner_text().strip() == "96%"
    assert_no_horizontal_overflow(page)
    shot(page, "budget-list")
    click_and_load(page, "[data-testid=add]")
    page.select_option("select[name=school_year]", str(world["year"].pk))
    page.select_option("select[name=department]", str(world["department"].pk))
    page.select_option("select[name=category]", "repair")
    page.fill("input[name=amount]", "50000")
    assert page.locator("[data-testid=amount-rule]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "budget-add")
    click_and_load(page, "[data-testid=save]")
    line = BudgetLine.objects.get(department=world["department"])
    page.wait_for_url(f"**/finance/budgets/{line.pk}/")
    assert "50,000" in page.locator("[data-testid=money-amount]").inner_text()
    log_out(page)

    # 2. The logistics director asks for 8,000 more.
    log_in(page, live_server, world["director"].username, f.PASSWORD)
    page.goto(f"{url}/finance/budgets/{line.pk}/")
    click_and_load(page, f"a[href='/finance/budget-adjustments/add/?line={line.pk}']")
    page.fill("input[name=delta]", "8000")
    page.fill("textarea[name=reason]", "暑期屋面防水工程追加")
    assert_no_horizontal_overflow(page)
    click_and_load(page, "[data-testid=save]")
    click_and_load(page, "[data-testid=submit]")
    adjustment = BudgetAdjustment.objects.get(line=line)
    assert adjustment.status == "pending"
    assert page.locator("[data-testid=approval-panel]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "budget-adjustment-submitted")
    log_out(page)

    # 3. The accountant, then the principal approve.
    for who in ("accountant", "principal"):
        log_in(page, live_server, world[who].username, f.PASSWORD)
        page.goto(f"{url}/finance/budget-adjustments/{adjustment.pk}/")
        click_and_load(page, "[data-testid=approve]")
        assert page.locator(".alert-success").count() >= 1
        if who == "accountant":
            log_out(page)
    adjustment.refresh_from_db()
    assert adjustment.status == "approved"
    assert_no_horizontal_overflow(page)
    shot(page, "budget-adjustment-approved")

    # 4. The line shows the new amount, its first amount and the adjustment in its ledger.
    page.goto(f"{url}/finance/budgets/{line.pk}/")
    assert "58,000" in page.locator("[data-testid=money-amount]").inner_text()
    assert "50,000" in page.locator("[data-testid=money-initial]").inner_text()
    assert page.locator("[data-testid=entry]").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "budget-detail")

    # 5. The execution report draws its charts.
    page.goto(f"{url}/finance/budgets/report/")
    page.wait_for_selector("[data-chart=months][data-rendered=true]")
    page.wait_for_selector("[data-chart=departments][data-rendered=true]")
    assert "78,000" in page.locator("[data-testid=kpi-budget]").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "budget-report")
