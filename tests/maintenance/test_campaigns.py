"""Holiday campaigns: launch once, one order per room, progress by building, close."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from houqin.maintenance.choices import CampaignStatus, OrderSource, OrderStatus, Urgency
from houqin.maintenance.models import Campaign, WorkOrder
from houqin.maintenance.services.campaigns import (
    CampaignError,
    campaign_close,
    campaign_launch,
    campaign_progress,
)
from tests import factories as f

from .factories import category, rule

pytestmark = pytest.mark.django_db
S = OrderStatus


def make_campaign(school: Any, rooms: list[Any], **kw: Any) -> Campaign:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name": "暑假集中维修",
        "category": category("electric"),
        "title": "检修电扇、灯管和开关",
        "start_date": today + datetime.timedelta(days=5),
        "end_date": today + datetime.timedelta(days=40),
        "checklist": ["电扇", "灯管"],
        **kw,
    }
    campaign = Campaign.objects.create(school=school, **values)
    campaign.rooms.set(rooms)
    return campaign


@pytest.fixture
def buildings(school: Any) -> dict[str, list[Any]]:
    a = f.BuildingFactory(campus__school=school, name="A栋宿舍")
    b = f.BuildingFactory(campus=a.campus, name="B栋教学楼")
    return {
        "A": [f.RoomFactory(building=a) for _ in range(3)],
        "B": [f.RoomFactory(building=b) for _ in range(2)],
    }


def test_launch_creates_one_order_per_room_exactly_once(
    school: Any, director: Any, buildings: dict[str, list[Any]]
) -> None:
    worker = f.member(school, "worker")
    rule(school, worker, building=buildings["A"][0].building)
    campaign = make_campaign(school, [*buildings["A"], *buildings["B"]])
    assert campaign_launch(actor=director, campaign=campaign) == 5
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE and campaign.launched_at
    orders = WorkOrder.objects.filter(campaign=campaign)
    assert orders.count() == 5
    assert {o.room_id for o in orders} == {r.pk for r in [*buildings["A"], *buildings["B"]]}
    first = orders.filter(building=buildings["A"][0].building).first()
    assert first is not None
    assert first.source == OrderSource.CAMPAIGN and first.urgency == Urgency.PLANNED
    assert first.assignee == worker  # dispatched by the rules…
    assert orders.filter(building=buildings["B"][0].building, assignee__isnull=True).count() == 2
    # …reported at the start of the campaign's first day.
    assert timezone.localtime(first.reported_at).date() == campaign.start_date
    assert timezone.localtime(first.reported_at).time() == datetime.time.min
    with pytest.raises(CampaignError):
        campaign_launch(actor=director, campaign=campaign)
    assert orders.count() == 5


def test_launch_needs_rooms_and_the_permission(
    school: Any, director: Any, teacher: Any, buildings: dict[str, list[Any]]
) -> None:
    with pytest.raises(CampaignError):
        campaign_launch(actor=director, campaign=make_campaign(school, []))
    campaign = make_campaign(school, buildings["A"])
    with pytest.raises(CampaignError):
        campaign_launch(actor=teacher, campaign=campaign)
    assert not WorkOrder.objects.filter(campaign=campaign).exists()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


def test_a_started_campaign_reports_now(
    school: Any, director: Any, buildings: dict[str, list[Any]]
) -> None:
    past = timezone.localdate() - datetime.timedelta(days=3)
    campaign = make_campaign(school, buildings["B"], start_date=past)
    before = timezone.now()
    campaign_launch(actor=director, campaign=campaign)
    assert all(o.reported_at >= before for o in WorkOrder.objects.filter(campaign=campaign))


def test_progress_by_building(school: Any, director: Any, buildings: dict[str, list[Any]]) -> None:
    campaign = make_campaign(school, [*buildings["A"], *buildings["B"]])
    draft = campaign_progress(campaign)
    assert [(r["building"], r["rooms"], r["waiting"]) for r in draft["buildings"]] == [
        ("A栋宿舍", 3, 3),
        ("B栋教学楼", 2, 2),
    ]
    campaign_launch(actor=director, campaign=campaign)
    a_orders = list(WorkOrder.objects.filter(campaign=campaign, room__in=buildings["A"]))
    WorkOrder.objects.filter(pk=a_orders[0].pk).update(status=S.COMPLETED)
    WorkOrder.objects.filter(pk=a_orders[1].pk).update(status=S.IN_PROGRESS)
    b_order = WorkOrder.objects.filter(campaign=campaign, room__in=buildings["B"]).first()
    assert b_order is not None
    WorkOrder.objects.filter(pk=b_order.pk).update(status=S.CANCELLED)
    progress = campaign_progress(campaign)
    rows = {r["building"]: r for r in progress["buildings"]}
    assert rows["A栋宿舍"] | {} == {
        "building": "A栋宿舍",
        "rooms": 3,
        "done": 1,
        "working": 1,
        "waiting": 1,
        "cancelled": 0,
        "percent": 33,
    }
    assert (rows["B栋教学楼"]["cancelled"], rows["B栋教学楼"]["percent"]) == (1, 0)
    assert progress["total"]["rooms"] == 5 and progress["total"]["percent"] == 25


def test_close_refuses_open_orders_unless_forced(
    school: Any, director: Any, buildings: dict[str, list[Any]]
) -> None:
    campaign = make_campaign(school, buildings["A"])
    with pytest.raises(CampaignError):
        campaign_close(actor=director, campaign=campaign)  # still a draft
    campaign_launch(actor=director, campaign=campaign)
    done = WorkOrder.objects.filter(campaign=campaign).first()
    assert done is not None
    WorkOrder.objects.filter(pk=done.pk).update(status=S.COMPLETED)
    with pytest.raises(CampaignError, match="2 orders are still open"):
        campaign_close(actor=director, campaign=campaign)
    with pytest.raises(CampaignError):
        campaign_close(actor=director, campaign=campaign, force=True, reason=" ")
    assert campaign_close(actor=director, campaign=campaign, force=True, reason="开学了") == 2
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    statuses = sorted(WorkOrder.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert statuses == [S.CANCELLED, S.CANCELLED, S.COMPLETED]
    assert set(
        WorkOrder.objects.filter(status=S.CANCELLED).values_list("cancel_reason", flat=True)
    ) == {"开学了"}


def test_close_without_open_orders(
    school: Any, director: Any, buildings: dict[str, list[Any]]
) -> None:
    campaign = make_campaign(school, buildings["B"])
    campaign_launch(actor=director, campaign=campaign)
    WorkOrder.objects.filter(campaign=campaign).update(status=S.RATED)
    assert campaign_close(actor=director, campaign=campaign) == 0
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
