"""A director and a teacher use the site in Chromium, on a desktop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.org.models import Room

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_login_page_is_chinese_and_fits(page: Any, live_server: Any, demo: None) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    assert "登录" in page.content()
    assert_no_horizontal_overflow(page)
    shot(page, "login")


def test_director_browses_and_creates_a_room(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "director")
    assert page.locator("[data-testid=fig-rooms]").inner_text().strip() != "0"
    assert_no_horizontal_overflow(page)
    shot(page, "dashboard-director")

    page.goto(f"{live_server.url}/org/rooms/")
    assert page.locator("table.hq-table tbody tr").count() == 50
    assert_no_horizontal_overflow(page)
    shot(page, "rooms")
    page.click("[data-testid=next-page]")
    page.wait_for_url("**page=2**")

    page.goto(f"{live_server.url}/org/rooms/add/")
    building = page.locator("select[name=building] option").nth(1).get_attribute("value")
    page.select_option("select[name=building]", building)
    page.fill("input[name=floor]", "99")
    page.fill("input[name=number]", "Z901")
    page.select_option("select[name=use]", "office")
    click_and_load(page, "[data-testid=save]")
    assert page.locator("[data-testid=form-errors]").is_visible()
    assert page.locator("input[name=floor].is-invalid").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "room-form-error")

    page.fill("input[name=floor]", "2")
    page.click("[data-testid=save]")
    page.wait_for_url("**/org/rooms/*/")
    assert "Z901" in page.content()
    assert Room.objects.filter(number="Z901").exists()
    click_and_load(page, "[data-testid=history-tab]")  # a link: wait for the tab's page
    assert "Z901" in page.content()
    shot(page, "room-history")


def test_teacher_sees_rooms_but_cannot_manage_them(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "teacher")
    shot(page, "dashboard-teacher")
    page.goto(f"{live_server.url}/org/rooms/")
    assert page.locator("[data-testid=add]").count() == 0
    response = page.goto(f"{live_server.url}/org/rooms/add/")
    assert response.status == 403


def test_switching_language_to_english(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "director")
    assert "总务" in page.content() or "仪表盘" in page.content() or "概览" in page.content()
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert "Dashboard" in page.content()
    assert_no_horizontal_overflow(page)
    shot(page, "dashboard-english")
    page.click("[data-testid=lang-zh]")
    page.wait_for_load_state()
    assert "Dashboard" not in page.locator("nav").first.inner_text()


def test_phone_menu_opens(phone: Any, live_server: Any, demo: None) -> None:
    page = phone
    log_in(page, live_server, "director")
    page.click("[data-bs-target='#hq-sidebar']")
    page.wait_for_selector("#hq-sidebar.show")
    shot(page, "phone-menu")
    page.click("#hq-sidebar >> text=房间")
    page.wait_for_url("**/org/rooms/")
