"""Administrators manage people and roles; lists look right empty, with one row and many."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.accounts.models import User

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_list_states_empty_one_and_many(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "director")
    page.goto(f"{live_server.url}/org/rooms/?q=no-such-room")
    assert page.locator("[data-testid=empty]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "list-empty")
    page.goto(f"{live_server.url}/org/campuses/")
    assert page.locator("table.hq-table tbody tr").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "list-one")
    page.goto(f"{live_server.url}/org/buildings/")
    assert page.locator("table.hq-table tbody tr").count() > 5
    assert_no_horizontal_overflow(page)
    shot(page, "list-many")


def test_admin_adds_a_person_after_fixing_a_weak_password(
    page: Any, live_server: Any, demo: None
) -> None:
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/accounts/users/")
    assert_no_horizontal_overflow(page)
    shot(page, "people")
    page.click("[data-testid=add]")
    page.fill("input[name=username]", "zhouxin")
    page.fill("input[name=real_name]", "周新")
    page.fill("input[name=phone]", "13700001111")
    page.fill("input[name=password1]", "12345678")
    page.fill("input[name=password2]", "12345678")
    page.select_option("select[name=m-role]", label="维修工")
    click_and_load(page, "[data-testid=save]")
    assert page.locator("input[name=password1].is-invalid").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "person-form-error")
    page.fill("input[name=password1]", "Repair-Shop-2026")
    page.fill("input[name=password2]", "Repair-Shop-2026")
    page.click("[data-testid=save]")
    page.wait_for_url("**/accounts/users/*/")
    assert "维修工" in page.content()
    shot(page, "person")
    assert User.objects.get(username="zhouxin").memberships.count() == 1


def test_admin_reads_a_role(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/accounts/roles/")
    click_and_load(page, "text=总务主任")
    assert "房间" in page.content()
    assert_no_horizontal_overflow(page)
    shot(page, "role")


def test_district_official_switches_between_schools(
    page: Any, live_server: Any, demo: None
) -> None:
    log_in(page, live_server, "district")
    assert "阳光幼儿园" in page.content() and "示范中学" in page.content()
    shot(page, "dashboard-district")
    page.goto(f"{live_server.url}/org/rooms/")
    total_all = page.locator("[data-testid=total]").inner_text()
    page.click("[data-testid=school-switch]")
    page.click("form.dropdown-menu >> text=阳光幼儿园")
    page.wait_for_load_state()
    assert page.locator("[data-testid=total]").inner_text() != total_all
    assert_no_horizontal_overflow(page)
    shot(page, "rooms-kindergarten")
