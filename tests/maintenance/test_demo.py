"""The maintenance demo data: loads fast and once, looks like a year of a real school, and
every order's derived values are what the services would have computed."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from houqin.accounts.models import User
from houqin.core.models import DocumentSequence, StatusChange
from houqin.maintenance.choices import (
    DONE_STATUSES,
    OPEN_STATUSES,
    CampaignStatus,
    OrderSource,
    OrderStatus,
    Urgency,
)
from houqin.maintenance.models import (
    Campaign,
    DispatchRule,
    MaintenancePlan,
    MaintenanceTeam,
    RepairCategory,
    RepairRequest,
    WorkOrder,
    WorkOrderPart,
)
from houqin.maintenance.services import dispatch
from houqin.maintenance.services.escalation import level_due
from houqin.maintenance.services.orders import work_order_open
from houqin.maintenance.services.plans import plan_due_dates
from houqin.maintenance.services.sla import due_dates, settings_for
from houqin.org.models import Room, School

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.fixture
def demo(demo_data: dict[str, int]) -> dict[str, Any]:
    return {"counts": demo_data}


def sfzx() -> School:
    return School.objects.get(name="示范中学")


def test_a_year_of_realistic_repairs(demo: dict[str, Any]) -> None:
    school = sfzx()
    orders = WorkOrder.objects.filter(school=school)
    repairs = orders.filter(source__in=(OrderSource.REQUEST, OrderSource.DIRECT))
    assert 2500 <= repairs.count() <= 3500
    assert 100 <= WorkOrder.objects.filter(school__name="阳光幼儿园").count() <= 600
    by_category = Counter(
        dict(repairs.values_list("category__code").annotate(n=Count("pk")).order_by())
    )
    top_two = {code for code, _n in by_category.most_common(2)}
    assert top_two == {"electric", "water"}
    # Air conditioning peaks in summer, desks and doors at the start of term.
    month = Counter(
        (o.category.code, timezone.localtime(o.reported_at).month)
        for o in repairs.select_related("category")
    )
    assert month["aircon", 6] > 3 * month["aircon", 11]
    assert month["doors", 3] + month["carpentry", 3] > month["doors", 5] + month["carpentry", 5]
    # Term starts are busy, the summer holiday quiet.
    days = Counter(timezone.localtime(o.reported_at).date() for o in repairs.only("reported_at"))
    start = sum(days[datetime.date(2026, 9, 1) + datetime.timedelta(n)] for n in range(14))
    holiday = sum(days[datetime.date(2026, 8, 1) + datetime.timedelta(n)] for n in range(14))
    assert start > 4 * holiday
    urgent = repairs.filter(urgency=Urgency.URGENT).count() / repairs.count()
    assert 0.05 < urgent < 0.16
    rated = orders.filter(status=S.RATED)
    assert rated.filter(rating__gte=4).count() > 0.8 * rated.count()
    assert orders.exclude(repeat_of=None).count() > 20
    assert WorkOrderPart.objects.filter(school=school).count() > 500
    assert orders.filter(room=None).count() == 0
    assert demo["counts"]["work_orders"] == WorkOrder.objects.count()


def test_every_order_is_consistent(demo: dict[str, Any]) -> None:
    now = timezone.now()
    for school in School.objects.all():
        config = settings_for(school.pk)
        for o in WorkOrder.objects.filter(school=school).prefetch_related("parts"):
            respond_due, resolve_due = due_dates(config, o.urgency, o.reported_at)
            assert o.respond_due == respond_due, o.number
            assert o.resolve_due == resolve_due or (o.held_seconds and o.resolve_due > resolve_due)
            assert o.reported_at <= now or (o.plan_id and o.status == S.ASSIGNED)
            assert o.building_id == o.room.building_id
            if o.accepted_at:
                assert o.response_seconds == int((o.accepted_at - o.reported_at).total_seconds())
                assert o.responded_on_time == (o.accepted_at <= o.respond_due)
                assert o.assigned_at <= o.accepted_at
            else:
                assert o.response_seconds is None and o.responded_on_time is None
            if o.finished_at:
                assert o.accepted_at <= o.started_at <= o.finished_at <= now, o.number
                assert o.resolution_seconds == int((o.finished_at - o.reported_at).total_seconds())
                assert o.resolved_on_time == (o.finished_at <= o.resolve_due)
                assert o.status in (*DONE_STATUSES, S.CANCELLED)
            else:
                assert o.resolution_seconds is None and o.status not in DONE_STATUSES
            if o.status in (S.COMPLETED, S.RATED):
                assert o.finished_at <= o.closed_at <= now
            else:
                assert o.closed_at is None
            assert (o.rating is not None) == (o.status == S.RATED)
            parts = sum((p.amount for p in o.parts.all()), Decimal("0"))
            assert o.parts_cost == parts
            assert o.total_cost == o.parts_cost + o.labour_cost + o.contractor_cost
            if o.status in (S.NEW, S.RETURNED):
                assert o.assignee_id is None
            if o.status == S.ON_HOLD:
                assert o.held_at and o.hold_reason
            if o.status in OPEN_STATUSES:
                assert o.escalation_level <= level_due(o, now)
            if o.repeat_of_id:
                assert o.repeat_of.room_id == o.room_id
                assert o.repeat_of.category_id == o.category_id
                assert o.repeat_of.finished_at <= o.reported_at


def test_the_backlog_has_every_open_state(demo: dict[str, Any]) -> None:
    school = sfzx()
    open_orders = WorkOrder.objects.filter(school=school, status__in=OPEN_STATUSES)
    states = set(open_orders.values_list("status", flat=True))
    assert states == set(OPEN_STATUSES)
    assert WorkOrder.objects.filter(school=school, status=S.AWAITING_VERIFICATION).exists()
    assert 20 <= open_orders.count() <= 80
    now = timezone.now()
    overdue = open_orders.filter(
        Q(accepted_at=None, respond_due__lt=now) | Q(finished_at=None, resolve_due__lt=now)
    ).exclude(status=S.ON_HOLD)
    assert 3 <= overdue.count() <= 15
    assert overdue.filter(escalation_level__gt=0).exists()
    assert overdue.filter(escalation_level=0).exists()  # the job has yet to notice these
    worker = User.objects.get(username="worker")
    mine = open_orders.filter(assignee=worker)
    assert {S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD} <= set(mine.values_list("status", flat=True))
    teacher = User.objects.get(username="teacher")
    waiting = WorkOrder.objects.filter(requester=teacher, status=S.AWAITING_VERIFICATION)
    assert waiting.exists()
    assert RepairRequest.objects.filter(reporter=teacher, work_order__in=waiting).exists()
    # A timeline on the detail page of open and recent orders.
    order = mine.filter(status=S.IN_PROGRESS).first()
    changes = StatusChange.objects.filter(object_id=str(order.pk), content_type__model="workorder")
    assert [c.to_status for c in changes][:1] == [S.ASSIGNED]
    assert changes.filter(to_status=S.IN_PROGRESS).exists()


def test_requests_are_linked(demo: dict[str, Any]) -> None:
    school = sfzx()
    requests = RepairRequest.objects.filter(school=school)
    assert requests.filter(status="triage", work_order=None).count() >= 2
    assert requests.filter(status="rejected").exclude(reject_reason="").exists()
    assert requests.filter(status="joined").exclude(work_order=None).exists()
    channels = Counter(requests.values_list("channel", flat=True))
    assert channels["staff"] > channels["portal"] > channels["phone"] > 0
    portal = requests.filter(channel="portal").exclude(reporter_unit="")
    assert portal.filter(reporter_unit__contains="班").exists()
    # A request is created when its order is reported.
    first = requests.exclude(work_order=None).select_related("work_order").first()
    assert abs(first.created_at - first.work_order.reported_at) < datetime.timedelta(days=10)
    assert (
        WorkOrder.objects.filter(school=school, source=OrderSource.REQUEST)
        .filter(requests=None)
        .count()
        == 0
    )


def test_teams_rules_plans_and_campaigns(demo: dict[str, Any]) -> None:
    school = sfzx()
    team = MaintenanceTeam.objects.get(school=school, name="水电组")
    assert team.leader.username == "worker"
    electric = RepairCategory.objects.get(code="electric")
    dorm = Room.objects.filter(school=school, use="dormitory").first()
    worker_id, _team = dispatch.choose(
        school_id=school.pk, category_id=electric.pk, building_id=dorm.building_id
    )
    assert worker_id == User.objects.get(username="worker").pk
    assert DispatchRule.objects.filter(school=school).count() >= 8
    plans = {p.name: p for p in MaintenancePlan.objects.filter(school=school)}
    assert {"灭火器月度检查", "空调清洗", "防雷检测"} <= set(plans)
    fire = plans["灭火器月度检查"]
    assert fire.next_due and fire.next_due >= timezone.localdate()  # on or after today
    fire_orders = WorkOrder.objects.filter(plan=fire)
    dates = plan_due_dates(fire, fire.start_date, fire.last_generated)
    assert len(dates) >= 12
    assert fire_orders.values("planned_for").distinct().count() == len(dates)
    assert fire_orders.filter(status=S.CANCELLED).count() == 1
    late = fire_orders.filter(status__in=DONE_STATUSES, finished_at__gt=F("resolve_due"))
    assert 0 < late.count() < 0.2 * fire_orders.count()
    summer = Campaign.objects.get(school=school, name="2026 暑假集中维修")
    assert summer.status == CampaignStatus.CLOSED
    done = WorkOrder.objects.filter(campaign=summer, status__in=DONE_STATUSES).count()
    assert done >= 0.9 * summer.rooms.count()
    assert Campaign.objects.filter(school=school, status=CampaignStatus.DRAFT).exists()


def test_new_orders_continue_the_numbers(demo: dict[str, Any]) -> None:
    school = sfzx()
    year = timezone.localdate().year
    last = (
        WorkOrder.objects.filter(school=school, number__startswith=f"WX-{year}-")
        .order_by("-number")
        .first()
    )
    director = User.objects.get(username="director")
    order = work_order_open(
        actor=director,
        school_id=school.pk,
        category=RepairCategory.objects.get(code="water"),
        title="水龙头漏水",
        room=Room.objects.filter(school=school).first(),
        requester=director,
    )
    assert int(order.number.rsplit("-", 1)[1]) == int(last.number.rsplit("-", 1)[1]) + 1
    assert order.assignee.username == "worker"
    seq = DocumentSequence.objects.get(school=school, prefix="BX", year=year)
    assert (
        seq.last_number
        == RepairRequest.objects.filter(school=school, number__startswith=f"BX-{year}-").count()
    )
