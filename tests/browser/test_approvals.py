"""The approval inbox on a phone: a request is returned for revision, then approved."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.approvals.models import ApprovalRequest

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_director_works_the_inbox_on_a_phone(phone: Any, live_server: Any, demo: None) -> None:
    page = phone
    log_in(page, live_server, "director")
    page.click("[data-bs-target='#hq-sidebar']")
    page.wait_for_selector("#hq-sidebar.show")
    badge = page.locator("#hq-sidebar [data-testid=badge]").first.inner_text()
    assert int(badge) >= 2
    page.click("#hq-sidebar a[href='/approvals/inbox/']")
    page.wait_for_url("**/approvals/inbox/")
    assert_no_horizontal_overflow(page)
    shot(page, "approval-inbox")

    page.click(".hq-inbox a >> text=红笔")
    page.wait_for_url("**/approvals/requests/*/")
    click_and_load(page, "[data-testid=return]")  # no reason: refused with a message
    assert page.locator(".alert-danger").is_visible()
    page.fill("textarea[name=reason]", "请补充数量明细")
    click_and_load(page, "[data-testid=return]")
    assert page.locator("[data-testid=approval-status]").inner_text().strip() in (
        "退回修改",
        "已退回修改",
    )
    assert_no_horizontal_overflow(page)
    shot(page, "approval-returned")

    approved = ApprovalRequest.objects.filter(status="approved").count()
    page.goto(f"{live_server.url}/approvals/inbox/")
    page.check(".hq-inbox input[type=checkbox] >> nth=0")
    click_and_load(page, "[data-testid=batch-approve]")
    assert page.locator(".alert-success").is_visible()
    assert ApprovalRequest.objects.filter(status="approved").count() == approved + 1


def test_teacher_claims_an_expense(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/finance/expenses/add/")
    page.fill("input[name=title]", "班会活动奖品")
    page.select_option("select[name=category]", "event")
    page.fill("input[name=amount]", "-5")
    page.fill("textarea[name=description]", "笔记本 40 本")
    click_and_load(page, "[data-testid=save]")
    assert page.locator("input[name=amount].is-invalid").count() == 1
    page.fill("input[name=amount]", "240")
    page.click("[data-testid=save]")
    page.wait_for_url("**/finance/expenses/*/")
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=approval-panel]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "expense-submitted")
