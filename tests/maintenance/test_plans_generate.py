"""Preventive plans make their work orders: scope, idempotence, lead days, states."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from houqin.assets.models import AssetCategory
from houqin.maintenance.choices import OrderSource, OrderStatus
from houqin.maintenance.models import MaintenancePlan, WorkOrder
from houqin.maintenance.services import plans as services
from tests import factories as f
from tests.assets.objects_register import make_asset

from .factories import category, rule

pytestmark = pytest.mark.django_db
D = datetime.date
S = OrderStatus


def make_plan(school: Any, **kw: Any) -> MaintenancePlan:
    rooms = kw.pop("rooms", [])
    values: dict[str, Any] = {
        "name": "灭火器月检",
        "category": category("other"),
        "recurrence": "monthly",
        "start_date": D(2026, 1, 31),
        "lead_days": 3,
        "checklist": ["压力表指针在绿区", "铅封完好"],
        **kw,
    }
    plan = MaintenancePlan.objects.create(school=school, **values)
    plan.rooms.set(rooms)
    return plan


@pytest.fixture
def worker(school: Any) -> Any:
    return f.member(school, "worker")


def test_it_creates_one_order_per_room_and_date_once(school: Any, worker: Any) -> None:
    rooms = [f.RoomFactory(building__campus__school=school) for _ in range(3)]
    plan = make_plan(school, rooms=rooms, assignee=worker)
    made = services.plan_generate(plan=plan, until=D(2026, 3, 31), since=D(2026, 1, 1))
    assert made == 9  # 31 Jan, 28 Feb, 31 Mar × 3 rooms
    orders = WorkOrder.objects.filter(plan=plan)
    assert {o.planned_for for o in orders} == {D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)}
    first = orders.get(planned_for=D(2026, 2, 28), room=rooms[0])
    assert first.source == OrderSource.PLAN and first.plan_target == f"room:{rooms[0].pk}"
    assert first.assignee == worker and first.status == S.ASSIGNED
    assert [c["item"] for c in first.checklist] == ["压力表指针在绿区", "铅封完好"]
    assert timezone.localtime(first.reported_at).date() == D(2026, 2, 28)
    plan.refresh_from_db()
    assert plan.last_generated == D(2026, 3, 31)
    # Running again, even over the same window, creates nothing new.
    assert services.plan_generate(plan=plan, until=D(2026, 3, 31)) == 0
    assert services.plan_generate(plan=plan, until=D(2026, 3, 31), since=D(2026, 1, 1)) == 0
    assert orders.count() == 9


def test_it_generates_lead_days_ahead_from_today(school: Any) -> None:
    plan = make_plan(school, start_date=D(2026, 1, 10), lead_days=5)
    # Today is 3 March: the 10 March orders are not due to be made yet…
    assert services.generate_due_orders(today=D(2026, 3, 3)).startswith("0 orders")
    # …a new plan does not fill the past with overdue orders…
    assert not WorkOrder.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.last_generated == D(2026, 3, 8) and plan.next_due == D(2026, 3, 10)
    # …and on 5 March, five days ahead, they are.
    assert services.generate_due_orders(today=D(2026, 3, 5)).startswith("1 orders")
    order = WorkOrder.objects.get(plan=plan)
    assert order.planned_for == D(2026, 3, 10) and order.plan_target == "school"
    assert order.room is None and order.title == "灭火器月检"
    assert services.generate_due_orders(today=D(2026, 3, 6)).startswith("0 orders")


def test_it_dispatches_by_the_rules_when_the_plan_names_nobody(school: Any, worker: Any) -> None:
    rule(school, worker, code="other")
    room = f.RoomFactory(building__campus__school=school)
    plan = make_plan(school, rooms=[room])
    services.plan_generate(plan=plan, until=D(2026, 1, 31), since=D(2026, 1, 1))
    assert WorkOrder.objects.get(plan=plan).assignee == worker


def test_asset_scope_includes_subcategories_and_skips_disposed_assets(school: Any) -> None:
    top = AssetCategory.objects.create(name="消防器材（测试）", life_years=8)
    child = AssetCategory.objects.create(name="灭火器（测试）", parent=top)
    grandchild = AssetCategory.objects.create(name="干粉灭火器（测试）", parent=child)
    other = AssetCategory.objects.create(name="课桌椅（测试）", life_years=8)
    room = f.RoomFactory(building__campus__school=school)
    a1 = make_asset(school, category=child, name="灭火器A", room=room)
    a2 = make_asset(school, category=grandchild, name="灭火器B", room=room)
    gone = make_asset(school, category=grandchild, name="灭火器C", room=room)
    type(gone).objects.filter(pk=gone.pk).update(status="disposed")
    make_asset(school, category=other, name="课桌", room=room)
    make_asset(f.SchoolFactory(), category=child, name="别校灭火器")
    plan = make_plan(school, asset_category=top)
    keys = {t.key for t in services.plan_targets(plan)}
    assert keys == {f"asset:{a1.pk}", f"asset:{a2.pk}"}
    services.plan_generate(plan=plan, until=D(2026, 1, 31), since=D(2026, 1, 1))
    made = WorkOrder.objects.filter(plan=plan)
    assert {o.asset_id for o in made} == {a1.pk, a2.pk}
    assert all(o.room_id == room.pk for o in made)
    # With rooms chosen too: only the category's assets in those rooms.
    elsewhere = f.RoomFactory(building__campus__school=school)
    plan.rooms.set([elsewhere])
    assert services.plan_targets(plan) == []


def test_it_classifies_occurrences_and_computes_compliance(school: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    plan = make_plan(school, rooms=[room], start_date=D(2026, 1, 5))
    services.plan_generate(plan=plan, until=D(2026, 6, 5), since=D(2026, 1, 1))
    orders = {o.planned_for.month: o for o in WorkOrder.objects.filter(plan=plan)}
    assert sorted(orders) == [1, 2, 3, 4, 5, 6]

    def finish(month: int, days_after: int) -> None:
        o = orders[month]
        WorkOrder.objects.filter(pk=o.pk).update(
            status=S.COMPLETED, finished_at=o.resolve_due + datetime.timedelta(days=days_after)
        )

    finish(1, -1)  # on time
    finish(2, 2)  # late
    WorkOrder.objects.filter(pk=orders[3].pk).update(status=S.CANCELLED)  # skipped
    # April open and past its date: overdue; May open on 1 May (“today”) would be pending.
    today = D(2026, 5, 1)
    states = {o.planned_for.month: o.state for o in services.occurrences(plan, today)}
    assert states == {
        1: "on_time",
        2: "late",
        3: "skipped",
        4: "overdue",
        5: "pending",
        6: "pending",
    }
    figures = services.plan_figures(plan, today)
    assert figures["due"] == 4 and figures["compliance"] == 25.0
    annotated = services.with_compliance(MaintenancePlan.objects.filter(pk=plan.pk), today).get()
    assert (annotated.due_count, annotated.on_time_count, annotated.late_count) == (4, 1, 1)
    assert (annotated.skipped_count, annotated.overdue_count) == (1, 1)
    assert annotated.compliance == 25.0


def test_one_failing_plan_does_not_stop_the_others(school: Any, monkeypatch: Any) -> None:
    bad = make_plan(school, name="坏计划", start_date=D(2026, 3, 1), recurrence="daily")
    good = make_plan(school, name="好计划", start_date=D(2026, 3, 1), recurrence="daily")
    original = services.plan_targets

    def explode(plan: Any) -> Any:
        if plan.pk == bad.pk:
            raise RuntimeError("boom")
        return original(plan)

    monkeypatch.setattr(services, "plan_targets", explode)
    message = services.generate_due_orders(today=D(2026, 3, 1))
    assert f"failed plans: {bad.pk}" in message
    assert WorkOrder.objects.filter(plan=good).count() == 4  # 1–4 March (3 days ahead)
    assert not WorkOrder.objects.filter(plan=bad).exists()
    bad.refresh_from_db()
    assert bad.last_generated is None


def test_paused_plans_make_nothing_and_resume_skips_the_pause(school: Any, director: Any) -> None:
    plan = make_plan(school, start_date=D(2026, 3, 1), recurrence="daily", lead_days=0)
    services.plan_generate(plan=plan, until=D(2026, 3, 1))
    services.plan_pause(actor=director, plan=plan)
    services.generate_due_orders(today=D(2026, 3, 5))
    assert WorkOrder.objects.filter(plan=plan).count() == 1
    with pytest.raises(services.PlanError):
        services.plan_generate_now(actor=director, plan=plan, today=D(2026, 3, 5))
    services.plan_resume(actor=director, plan=plan, today=D(2026, 3, 10))
    services.generate_due_orders(today=D(2026, 3, 10))
    assert sorted(o.planned_for.day for o in WorkOrder.objects.filter(plan=plan)) == [1, 10]
    with pytest.raises(services.PlanError):
        services.plan_resume(actor=director, plan=plan)
