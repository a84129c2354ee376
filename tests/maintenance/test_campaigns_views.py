"""Holiday campaign pages: rooms chosen by building, launch and close buttons, progress,
constant queries on the list, scoping."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.maintenance.choices import CampaignStatus, OrderStatus
from houqin.maintenance.models import Campaign, WorkOrder
from tests import factories as f
from tests.conftest import login

from .factories import category
from .test_campaigns import make_campaign

pytestmark = pytest.mark.django_db


def form_data(school: Any, **kw: Any) -> dict[str, Any]:
    return {
        "school": school.pk,
        "name": "2026年暑假集中维修",
        "category": category("electric").pk,
        "title": "检修电扇、灯管和开关",
        "description": "逐间检查",
        "checklist": "电扇\n灯管\n开关插座",
        "start_date": "2026-07-10",
        "end_date": "2026-08-20",
        **kw,
    }


def test_it_adds_rooms_by_building_and_single_rooms(school: Any, director: Any) -> None:
    dorm = f.BuildingFactory(campus__school=school, name="宿舍楼")
    dorm_rooms = [f.RoomFactory(building=dorm) for _ in range(4)]
    f.RoomFactory(building=dorm, is_active=False)
    single = f.RoomFactory(building__campus=dorm.campus)
    client = login(director)
    assert client.get(reverse("maintenance:campaign_add")).status_code == 200
    response = client.post(
        reverse("maintenance:campaign_add"),
        form_data(school, buildings=[dorm.pk], rooms=[single.pk, dorm_rooms[0].pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert {r.pk for r in campaign.rooms.all()} == {single.pk, *(r.pk for r in dorm_rooms)}
    assert campaign.checklist == ["电扇", "灯管", "开关插座"]
    page = client.get(campaign.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="room-count">5<' in body and "宿舍楼" in body


def test_it_needs_rooms_of_its_own_school(school: Any, other_school: Any, director: Any) -> None:
    client = login(director)
    response = client.post(reverse("maintenance:campaign_add"), form_data(school))
    assert response.status_code == 422 and "rooms" in response.context["form"].errors
    stranger = f.RoomFactory(building__campus__school=other_school)
    response = client.post(
        reverse("maintenance:campaign_add"), form_data(school, rooms=[stranger.pk])
    )
    assert response.status_code == 422
    assert not Campaign.objects.exists()


def test_launch_then_close_by_the_buttons(school: Any, director: Any) -> None:
    rooms = [f.RoomFactory(building__campus__school=school) for _ in range(3)]
    campaign = make_campaign(school, rooms)
    client = login(director)
    launch = reverse("maintenance:campaign_action", args=[campaign.pk, "launch"])
    assert client.get(launch).status_code == 405
    client.post(launch)
    assert WorkOrder.objects.filter(campaign=campaign).count() == 3
    response = client.post(launch, follow=True)
    assert WorkOrder.objects.filter(campaign=campaign).count() == 3
    assert response.status_code == 200
    # A launched campaign is no longer edited.
    edit = reverse("maintenance:campaign_edit", args=[campaign.pk])
    assert client.get(edit).status_code == 302
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'data-testid="close-card"' in page and page.count('data-testid="building-progress"') >= 1
    close = reverse("maintenance:campaign_action", args=[campaign.pk, "close"])
    client.post(close, {"reason": ""})
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.ACTIVE
    client.post(close, {"force": "on", "reason": "开学了"})
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    assert set(WorkOrder.objects.filter(campaign=campaign).values_list("status", flat=True)) == {
        OrderStatus.CANCELLED
    }


def test_the_list_keeps_constant_queries(school: Any, director: Any) -> None:
    client = login(director)
    url = reverse("maintenance:campaign_list")
    make_campaign(school, [f.RoomFactory(building__campus__school=school)], name="第0次")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 6):
        rooms = [f.RoomFactory(building__campus__school=school) for _ in range(2)]
        make_campaign(school, rooms, name=f"第{n}次", start_date=datetime.date(2026, n, 1))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(one)
    assert "第5次" in response.content.decode()


def test_other_schools_campaigns_are_404(school: Any, other_school: Any) -> None:
    campaign = make_campaign(other_school, [f.RoomFactory(building__campus__school=other_school)])
    client = login(f.member(school, "director"))
    assert client.get(campaign.get_absolute_url()).status_code == 404
    assert client.get(reverse("maintenance:campaign_edit", args=[campaign.pk])).status_code == 404
    launch = reverse("maintenance:campaign_action", args=[campaign.pk, "launch"])
    assert client.post(launch).status_code == 404
    assert not WorkOrder.objects.exists()


def test_workers_see_campaigns_but_cannot_launch(school: Any) -> None:
    campaign = make_campaign(school, [f.RoomFactory(building__campus__school=school)])
    client = login(f.member(school, "worker"))
    page = client.get(campaign.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="launch"' not in page.content.decode()
    launch = reverse("maintenance:campaign_action", args=[campaign.pk, "launch"])
    assert client.post(launch).status_code == 403
