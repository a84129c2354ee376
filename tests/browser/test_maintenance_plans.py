"""Preventive plans and holiday campaigns in the browser (desktop and phone): the director
creates a monthly fire-extinguisher check and creates its orders; launches a holiday
campaign over a building and follows its progress by building."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from houqin.maintenance.choices import OrderStatus
from houqin.maintenance.models import Campaign, MaintenancePlan, RepairCategory, WorkOrder
from tests import factories as f

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    from tests.conftest import ensure_roles

    ensure_roles()
    school = f.SchoolFactory(name="示范中学")
    director = f.member(school, "director", username="zongwu", real_name="王主任")
    worker = f.member(school, "worker", username="dian", real_name="李师傅")
    dorm = f.BuildingFactory(campus__school=school, name="1号学生宿舍")
    teaching = f.BuildingFactory(campus=dorm.campus, name="教学楼")
    rooms = {
        "dorm": [f.RoomFactory(building=dorm, number=f"1{n:02d}") for n in range(1, 7)],
        "teaching": [f.RoomFactory(building=teaching, number=f"2{n:02d}") for n in range(1, 4)],
    }
    return {"school": school, "director": director, "worker": worker, "rooms": rooms}


def test_director_plans_monthly_fire_extinguisher_checks(
    page: Any, live_server: Any, world: dict[str, Any]
) -> None:
    log_in(page, live_server, "zongwu", f.PASSWORD)
    page.goto(f"{live_server.url}/maintenance/plans/")
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-plans-empty")

    click_and_load(page, "[data-testid=add]")
    page.fill("input[name=name]", "灭火器月度检查")
    page.select_option("select[name=category]", label="其他")
    page.fill("textarea[name=description]", "检查压力表、铅封、喷管和有效期。")
    page.select_option("select[name=recurrence]", "monthly")
    page.fill("input[name=start_date]", timezone.localdate().isoformat())
    page.fill("input[name=lead_days]", "3")
    dorm = world["rooms"]["dorm"]
    page.select_option("select[name=rooms]", [str(dorm[0].pk), str(dorm[1].pk)])
    page.fill("textarea[name=checklist]", "压力表指针在绿区\n铅封完好\n喷管无老化")
    page.select_option("select[name=assignee]", str(world["worker"].pk))
    assert_no_horizontal_overflow(page)
    page.click("[data-testid=save]")
    page.wait_for_url("**/maintenance/plans/*/")
    plan = MaintenancePlan.objects.get(name="灭火器月度检查")
    assert page.locator("[data-testid=no-occurrences]").is_visible()

    click_and_load(page, "[data-testid=generate]")
    assert WorkOrder.objects.filter(plan=plan).count() == 2
    assert page.locator("[data-testid=occurrences] tbody tr").count() == 2
    assert "压力表指针在绿区" in page.content()
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-plan-one")

    # Many plans, some with a history: the list shows next due and compliance.
    category = RepairCategory.objects.get(code="other")
    for n in range(12):
        other = MaintenancePlan.objects.create(
            school=world["school"],
            name=f"空调清洗（{n + 1}号楼）",
            category=category,
            recurrence="yearly",
            start_date=datetime.date(2026, 6, 1),
            next_due=datetime.date(2026, 6, 1),
        )
        other.rooms.set(world["rooms"]["teaching"])
    page.goto(f"{live_server.url}/maintenance/plans/")
    assert page.locator("table tbody tr").count() == 13
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-plans-many")


def test_director_runs_a_holiday_campaign_by_building(
    page: Any, live_server: Any, world: dict[str, Any]
) -> None:
    log_in(page, live_server, "zongwu", f.PASSWORD)
    page.goto(f"{live_server.url}/maintenance/campaigns/")
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-campaigns-empty")

    click_and_load(page, "[data-testid=add]")
    page.fill("input[name=name]", "2026年暑假集中维修")
    page.select_option("select[name=category]", label="电")
    page.fill("input[name=title]", "检修电扇、灯管和开关")
    page.fill("textarea[name=checklist]", "电扇\n灯管\n开关插座")
    start = timezone.localdate() + datetime.timedelta(days=2)
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", (start + datetime.timedelta(days=40)).isoformat())
    dorm = world["rooms"]["dorm"][0].building
    page.select_option("select[name=buildings]", [str(dorm.pk)])
    page.select_option("select[name=rooms]", [str(world["rooms"]["teaching"][0].pk)])
    assert page.locator("#campaign-room-count").inner_text() == "7"
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-campaign-form")
    page.click("[data-testid=save]")
    page.wait_for_url("**/maintenance/campaigns/*/")
    campaign = Campaign.objects.get()
    assert page.locator("[data-testid=room-count]").inner_text() == "7"

    click_and_load(page, "[data-testid=launch]")
    assert WorkOrder.objects.filter(campaign=campaign).count() == 7
    orders = list(WorkOrder.objects.filter(campaign=campaign, building=dorm).order_by("pk"))
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders[:3]]).update(status=OrderStatus.COMPLETED)
    WorkOrder.objects.filter(pk=orders[3].pk).update(status=OrderStatus.IN_PROGRESS)
    page.reload()
    bars = page.locator("[data-testid=building-progress]")
    assert bars.count() == 2
    assert "3" in bars.first.inner_text() and "1号学生宿舍" in bars.first.inner_text()
    page.wait_for_selector("[data-testid=campaign-chart] canvas")
    assert page.locator("[data-testid=total-percent]").inner_text() == "43%"
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-campaign-one")

    for n in range(8):
        Campaign.objects.create(
            school=world["school"],
            name=f"寒假集中维修{2018 + n}",
            category=campaign.category,
            title="检修门窗",
            start_date=datetime.date(2018 + n, 1, 20),
            end_date=datetime.date(2018 + n, 2, 20),
        )
    page.goto(f"{live_server.url}/maintenance/campaigns/")
    assert page.locator("table tbody tr").count() == 9
    assert_no_horizontal_overflow(page)
    shot(page, "maintenance-campaigns-many")
