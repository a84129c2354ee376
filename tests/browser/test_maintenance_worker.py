"""The worker on a phone: my orders by building, accept, start, hold. The director sets the
targets and checks the dispatch rules."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from houqin.maintenance.choices import OrderStatus, Urgency
from houqin.maintenance.models import DispatchRule, MaintenanceSettings, MaintenanceTeam, WorkOrder
from tests import factories as f
from tests.conftest import ensure_roles
from tests.maintenance.factories import category, order

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "houqin-test-1"


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    ensure_roles()
    school = f.SchoolFactory(name="示范中学")
    worker = f.member(school, "worker", username="wang", real_name="王师傅")
    director = f.member(school, "director", username="zhu", real_name="朱主任")
    for user in (worker, director):
        user.set_password(PASSWORD)
        user.save()
    DispatchRule.objects.create(school=school, category=category("electric"), assignee=worker)
    rooms = [
        f.RoomFactory(building__campus__school=school, building__name=name, number=number)
        for name, number in (("教学楼", "301"), ("学生宿舍1号楼", "215"), ("实验楼", "102"))
    ]
    return {"school": school, "worker": worker, "director": director, "rooms": rooms}


def test_worker_takes_orders_on_a_phone(
    phone: Any, live_server: Any, world: dict[str, Any]
) -> None:
    school, rooms = world["school"], world["rooms"]
    log_in(phone, live_server, "wang", PASSWORD)
    my = f"{live_server.url}/maintenance/my/"
    phone.goto(my)
    expect(phone.locator("[data-testid=empty]")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-worker-empty")

    first = order(
        school,
        room=rooms[1],
        urgency=Urgency.URGENT,
        title="宿舍电扇不转，夜里很热",
        contact_name="李老师",
        contact_phone="13800138000",
    )
    phone.goto(my)
    expect(phone.locator("[data-testid=order-card]")).to_have_count(1)
    expect(phone.locator("[data-testid=phone]")).to_have_attribute("href", "tel:13800138000")
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-worker-one")

    for room, title, urgency in (
        (rooms[0], "教室投影仪插座没电", Urgency.NORMAL),
        (rooms[0], "走廊灯管闪烁", Urgency.PLANNED),
        (rooms[2], "实验室通风柜开关坏了", Urgency.URGENT),
        (rooms[1], "宿舍走廊应急灯不亮", Urgency.NORMAL),
    ):
        order(school, room=room, urgency=urgency, title=title)
    phone.goto(my)
    expect(phone.locator("[data-testid=order-card]")).to_have_count(5)
    buildings = phone.locator("[data-testid=building-name]").all_inner_texts()
    assert buildings == sorted(buildings) and len(buildings) == 3
    expect(phone.locator("[data-testid=count-todo]")).to_have_text("5")
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-worker-many")

    card = phone.locator(f"[data-testid=order-card][data-number='{first.number}']")
    with phone.expect_navigation():
        card.locator("[data-testid=do-accept]").click()
    assert "/maintenance/my/" in phone.url
    first.refresh_from_db()
    assert first.accepted_at is not None
    expect(phone.locator("[data-testid=count-todo]")).to_have_text("4")

    click_and_load(phone, "[data-testid=tab-doing]")
    card = phone.locator(f"[data-testid=order-card][data-number='{first.number}']")
    with phone.expect_navigation():
        card.locator("[data-testid=do-start]").click()
    first.refresh_from_db()
    assert first.status == OrderStatus.IN_PROGRESS

    phone.goto(f"{my}?tab=doing")
    card = phone.locator(f"[data-testid=order-card][data-number='{first.number}']")
    expect(card.locator("[data-testid=do-finish]")).to_be_visible()
    card.locator("[data-testid=do-hold]").click()
    card.locator("[data-testid=hold-reason]").select_option("parts")
    card.locator("input[name=note]").fill("等风扇电容")
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-worker-hold-form")
    with phone.expect_navigation():
        card.locator("[data-testid=confirm-hold]").click()
    first.refresh_from_db()
    assert first.status == OrderStatus.ON_HOLD and first.hold_reason == "parts"

    phone.goto(f"{my}?tab=hold")
    expect(phone.locator("[data-testid=order-card]")).to_have_count(1)
    expect(phone.locator("[data-testid=do-start]")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "maintenance-worker-held")


def test_director_sets_targets_and_checks_rules(
    page: Any, live_server: Any, world: dict[str, Any]
) -> None:
    school, worker = world["school"], world["worker"]
    leader = f.member(school, "worker", real_name="赵组长")
    team = MaintenanceTeam.objects.create(school=school, name="水电组", leader=leader)
    team.members.add(leader, worker)
    DispatchRule.objects.create(school=school, category=category("water"), team=team)
    DispatchRule.objects.create(
        school=school,
        category=category("electric"),
        building=world["rooms"][1].building,
        team=team,
    )
    log_in(page, live_server, "zhu", PASSWORD)

    page.goto(f"{live_server.url}/maintenance/settings/")
    expect(page.locator("[data-testid=targets]")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-settings")
    page.fill("input[name=urgent_respond_minutes_1]", "20")
    click_and_load(page, "[data-testid=save]")
    assert MaintenanceSettings.objects.get(school=school).urgent_respond_minutes == 20

    page.goto(f"{live_server.url}/maintenance/rules/")
    assert_no_horizontal_overflow(page)
    page.select_option("#id_category", str(category("electric").pk))
    page.select_option("#id_building", str(world["rooms"][1].building_id))
    click_and_load(page, "[data-testid=run-test]")
    expect(page.locator("[data-testid=test-result]")).to_contain_text("赵组长")
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-rules")

    page.goto(f"{live_server.url}/maintenance/teams/")
    expect(page.locator("text=水电组")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-teams")
    page.goto(f"{live_server.url}/maintenance/teams/{team.pk}/edit/")
    expect(page.locator("input[name=members]")).to_have_count(3)  # the school's workers
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-team-edit")
    page.goto(f"{live_server.url}/maintenance/categories/")
    expect(page.locator("[data-testid=category-row]").first).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-categories")
    page.goto(f"{live_server.url}/maintenance/calendar/")
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-calendar")
    assert WorkOrder.objects.count() == 0
