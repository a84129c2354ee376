"""The generated repairs are consistent like the services would have written them."""

from __future__ import annotations

import datetime
import importlib
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, Sum

from bench.generate import Ctx, Preset, rows_preset
from bench.generate.base import TZ
from houqin.core.models import DocumentSequence, StatusChange
from houqin.maintenance.choices import DONE_STATUSES, OPEN_STATUSES, OrderStatus
from houqin.maintenance.models import (
    Campaign,
    DispatchRule,
    MaintenancePlan,
    MaintenanceSettings,
    MaintenanceTeam,
    RepairRequest,
    WorkCalendarDay,
    WorkOrder,
    WorkOrderPart,
)

pytestmark = pytest.mark.django_db
PARTS = ("org", "maintenance")
S = OrderStatus


def build(preset: Preset, parts: tuple[str, ...] = PARTS) -> Ctx:
    """The parts one after the other in the test's transaction (``generate`` also tunes
    SQLite, which cannot be done inside a transaction)."""
    ctx = Ctx(preset=preset, now=datetime.datetime.now(TZ).replace(microsecond=0))
    for name in parts:
        importlib.import_module(f"bench.generate.{name}").generate(ctx)
    ctx.save_numbers()
    return ctx


def test_it_writes_as_many_requests_and_orders_as_the_preset_asks() -> None:
    ctx = build(rows_preset(10))
    school = ctx.schools[0].id
    assert WorkOrder.objects.filter(school_id=school).count() == 10
    assert RepairRequest.objects.filter(school_id=school).count() == 10
    assert MaintenanceSettings.objects.filter(school_id=school).count() == 1
    assert MaintenanceTeam.objects.filter(school_id=school).count() >= 3
    assert DispatchRule.objects.filter(school_id=school).count() >= 8
    assert WorkCalendarDay.objects.filter(school_id=school, name="国庆节").exists()
    assert MaintenancePlan.objects.filter(school_id=school).exists()
    assert Campaign.objects.filter(school_id=school, status="closed").exists()


def test_it_derives_every_field_like_the_services() -> None:
    ctx = build(rows_preset(400))
    orders = WorkOrder.objects.all()
    assert orders.count() == RepairRequest.objects.count() == 400
    statuses = set(orders.values_list("status", flat=True))
    assert statuses >= {*OPEN_STATUSES, *DONE_STATUSES, S.CANCELLED}
    # the clock
    assert not orders.filter(respond_due__lt=F("reported_at")).exists()
    assert not orders.filter(resolve_due__lt=F("respond_due")).exists()
    assert not orders.filter(status__in=DONE_STATUSES, finished_at__isnull=True).exists()
    assert not orders.filter(status__in=OPEN_STATUSES, closed_at__isnull=False).exists()
    assert not orders.filter(
        status__in=(S.COMPLETED, S.RATED, S.CANCELLED), closed_at__isnull=True
    ).exists()
    assert not orders.filter(status__in=(S.NEW, S.RETURNED), assignee__isnull=False).exists()
    assert not orders.exclude(status=S.RATED).filter(rating__isnull=False).exists()
    assert not orders.filter(status=S.RATED, rating__isnull=True).exists()
    assert not orders.filter(status=S.ON_HOLD, held_at__isnull=True).exists()
    assert orders.filter(escalation_level__gt=0).exists()
    for order in orders.exclude(accepted_at=None):
        assert order.response_seconds == int(
            (order.accepted_at - order.reported_at).total_seconds()
        )
        assert order.responded_on_time == (order.accepted_at <= order.respond_due)
    for order in orders.exclude(finished_at=None):
        assert order.resolved_on_time == (order.finished_at <= order.resolve_due)
        assert order.started_at <= order.finished_at
    assert not orders.exclude(room=None).exclude(building_id=F("room__building_id")).exists()
    # costs
    for total, *costs in orders.values_list(
        "total_cost", "parts_cost", "labour_cost", "contractor_cost"
    ):
        assert total == sum(costs)  # compared in Python: SQLite adds decimals as floats
    parts = dict(
        WorkOrderPart.objects.values_list("work_order")
        .annotate(s=Sum("amount"))
        .values_list("work_order", "s")
    )
    assert parts
    for pk, cost in orders.filter(parts_cost__gt=0).values_list("pk", "parts_cost"):
        assert parts.pop(pk) == cost
    assert parts == {}
    for amount, quantity, price in WorkOrderPart.objects.values_list(
        "amount", "quantity", "unit_price"
    ):
        assert amount == (quantity * price).quantize(Decimal("0.01"))
    # the requests
    requests = RepairRequest.objects.all()
    assert not requests.filter(status__in=("open", "joined"), work_order=None).exists()
    assert not requests.filter(status__in=("rejected", "triage")).exclude(work_order=None).exists()
    assert not requests.filter(status="open").exclude(room_id=F("work_order__room_id")).exists()
    assert not orders.filter(source="request").annotate(n=Count("requests")).filter(n=0).exists()
    assert requests.filter(channel="portal", reporter=None).exists()
    assert requests.filter(channel="staff", reporter__isnull=False).exists()
    assert len(set(requests.values_list("tracking_code", flat=True))) == 400
    # plans and campaigns
    assert orders.filter(source="plan", plan__isnull=False, planned_for__isnull=False).exists()
    assert not orders.filter(campaign__status="closed", status__in=OPEN_STATUSES).exists()
    del ctx


def test_it_numbers_documents_so_later_ones_continue() -> None:
    ctx = build(rows_preset(400))
    school = ctx.schools[0].id
    for model, prefix in ((WorkOrder, "WX"), (RepairRequest, "BX")):
        numbers = list(model.objects.filter(school_id=school).values_list("number", flat=True))
        assert len(set(numbers)) == len(numbers)
        by_year: dict[int, int] = defaultdict(int)
        for number in numbers:
            head, year, serial = number.split("-")
            assert head == prefix
            by_year[int(year)] = max(by_year[int(year)], int(serial))
        stored = dict(
            DocumentSequence.objects.filter(school_id=school, prefix=prefix).values_list(
                "year", "last_number"
            )
        )
        assert stored == by_year


def test_it_writes_the_recent_status_changes_that_lead_to_each_status() -> None:
    ctx = build(rows_preset(400))
    kind = ContentType.objects.get_for_model(WorkOrder)
    recent = ctx.now - datetime.timedelta(days=80)
    last: dict[str, str] = {}
    for object_id, to_status in (
        StatusChange.objects.filter(content_type=kind)
        .order_by("created_at", "id")
        .values_list("object_id", "to_status")
    ):
        last[object_id] = to_status
    checked = 0
    for pk, status in (
        WorkOrder.objects.filter(reported_at__gte=recent)
        .exclude(status=S.NEW)
        .values_list("pk", "status")
    ):
        assert last[str(pk)] == status
        checked += 1
    assert checked > 10
    assert not StatusChange.objects.filter(content_type=kind, created_at__gt=ctx.now).exists()


def test_it_adds_a_second_district_after_the_first() -> None:
    build(rows_preset(10))
    build(rows_preset(50))
    assert WorkOrder.objects.count() == RepairRequest.objects.count() == 60
    assert not WorkOrder.objects.filter(
        Q(total_cost__lt=0) | Q(labour_cost__lt=Decimal("0"))
    ).exists()


def test_it_links_assets_in_their_rooms_and_parts_from_the_store() -> None:
    build(rows_preset(300), ("org", "inventory", "assets", "maintenance"))
    orders = WorkOrder.objects.exclude(asset=None)
    assert orders.exists()
    assert not orders.exclude(room_id=F("asset__room_id")).exists()
    assert (
        not RepairRequest.objects.exclude(asset=None).exclude(room_id=F("asset__room_id")).exists()
    )
    store = WorkOrderPart.objects.exclude(stock_item=None)
    assert store.exists()
    assert not store.exclude(school_id=F("stock_item__school_id")).exists()
    assert not store.exclude(name=F("stock_item__name")).exists()
