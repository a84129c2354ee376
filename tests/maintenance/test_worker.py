"""The worker's phone view: my orders by building and urgency, one tap per step."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.maintenance.choices import HoldReason, OrderStatus, Urgency
from houqin.maintenance.models import MaintenanceTeam, WorkOrder
from houqin.maintenance.services.orders import (
    work_order_accept,
    work_order_assign,
    work_order_finish,
    work_order_hold,
    work_order_start,
)
from houqin.maintenance.views.worker import span
from tests import factories as f
from tests.conftest import login

from .factories import order, rule

pytestmark = pytest.mark.django_db
URL = "/maintenance/my/"


@pytest.fixture
def worker(school: Any) -> Any:
    person = f.member(school, "worker", real_name="王师傅")
    rule(school, person)
    return person


def room_in(school: Any, building: str, number: str = "101") -> Any:
    return f.RoomFactory(building__campus__school=school, building__name=building, number=number)


def numbers(response: Any) -> list[str]:
    return [card["order"].number for card in response.context["cards"]]


def test_the_url_name() -> None:
    assert reverse("maintenance:my_orders") == URL


def test_it_groups_my_orders_by_building_then_urgency(school: Any, worker: Any) -> None:
    north, south = room_in(school, "北楼"), room_in(school, "南楼")
    late = order(school, room=south, urgency=Urgency.NORMAL)
    urgent = order(school, room=south, urgency=Urgency.URGENT)
    planned = order(school, room=north, urgency=Urgency.PLANNED)
    elsewhere = order(school, room=north, code="water")  # no rule: nobody's yet
    response = login(worker).get(URL)
    assert response.status_code == 200
    assert numbers(response) == [planned.number, urgent.number, late.number]
    assert [name for name, _cards in response.context["groups"]] == ["北楼", "南楼"]
    assert elsewhere.number not in response.content.decode()
    html = response.content.decode()
    assert 'data-testid="do-accept"' in html
    assert reverse("maintenance:workorder_action", args=[urgent.pk, "accept"]) in html


def test_orders_of_my_team_appear_and_others_do_not(school: Any, worker: Any) -> None:
    leader, member, stranger = (f.member(school, "worker") for _ in range(3))
    team = MaintenanceTeam.objects.create(school=school, name="水电组", leader=leader)
    team.members.add(member)
    director = f.member(school, "director")
    wo = order(school, code="water")
    wo = work_order_assign(actor=director, order=wo, team=team)
    assert wo.assignee == leader
    for person in (leader, member):
        assert numbers(login(person).get(URL)) == [wo.number]
    assert numbers(login(stranger).get(URL)) == []
    assert numbers(login(worker).get(URL)) == []


def test_the_tabs_follow_the_order(school: Any, worker: Any) -> None:
    client = login(worker)
    wo = order(school, requester=f.member(school, "teacher"))
    counts = client.get(URL).context["tabs"]
    assert [t["count"] for t in counts] == [1, 0, 0, 0]
    wo = work_order_accept(actor=worker, order=wo)
    doing = client.get(URL, {"tab": "doing"})
    assert numbers(doing) == [wo.number] and 'data-testid="do-start"' in doing.content.decode()
    wo = work_order_start(actor=worker, order=wo)
    html = client.get(URL, {"tab": "doing"}).content.decode()
    assert 'data-testid="do-finish"' in html and 'data-testid="do-hold"' in html
    assert reverse("maintenance:workorder_finish", args=[wo.pk]) in html
    wo = work_order_hold(actor=worker, order=wo, reason=HoldReason.PARTS)
    held = client.get(URL, {"tab": "hold"})
    assert numbers(held) == [wo.number] and "等待配件" in held.content.decode()
    wo = work_order_start(actor=worker, order=wo)
    work_order_finish(actor=worker, order=wo, work_notes="换电容")
    done = client.get(URL, {"tab": "done"})
    assert numbers(done) == [wo.number]
    assert [t["count"] for t in done.context["tabs"]] == [0, 0, 0, 1]


def test_buttons_post_back_to_this_page(school: Any, worker: Any) -> None:
    wo = order(school)
    client = login(worker)
    action = reverse("maintenance:workorder_action", args=[wo.pk, "accept"])
    response = client.post(action, {"next": f"{URL}?tab=todo"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?tab=todo"
    wo.refresh_from_db()
    assert wo.accepted_at is not None and wo.status == OrderStatus.ASSIGNED
    client.post(reverse("maintenance:workorder_action", args=[wo.pk, "start"]), {"next": URL})
    hold = reverse("maintenance:workorder_action", args=[wo.pk, "hold"])
    response = client.post(hold, {"next": URL, "reason": "contractor", "note": "等厂家"})
    assert response["Location"] == URL
    wo.refresh_from_db()
    assert wo.status == OrderStatus.ON_HOLD and wo.hold_reason == "contractor"


def test_the_card_shows_the_clock_and_the_phone(school: Any, worker: Any) -> None:
    overdue = order(
        school,
        urgency=Urgency.URGENT,
        contact_phone="13800000001",
        reported_at=timezone.now() - datetime.timedelta(hours=2),
    )
    fresh = order(school, title="灯不亮")
    response = login(worker).get(URL)
    cards = {c["order"].pk: c for c in response.context["cards"]}
    assert cards[overdue.pk]["clock"]["overdue"] and not cards[fresh.pk]["clock"]["overdue"]
    html = response.content.decode()
    assert 'href="tel:13800000001"' in html
    assert 'data-testid="overdue"' in html and "超时" in cards[overdue.pk]["clock"]["text"]
    assert "剩余" in cards[fresh.pk]["clock"]["text"]


def test_the_menu_counts_orders_to_accept(school: Any, worker: Any) -> None:
    order(school)
    order(school)
    html = login(worker).get(URL).content.decode()
    assert 'data-testid="badge">2<' in html


def test_an_empty_list_says_so(school: Any, worker: Any) -> None:
    response = login(worker).get(URL)
    assert response.context["cards"] == []
    assert 'data-testid="empty"' in response.content.decode()


def test_it_is_for_workers(school: Any, teacher: Any) -> None:
    assert login(teacher).get(URL).status_code == 403


def test_other_schools_orders_stay_out(school: Any, other_school: Any, worker: Any) -> None:
    other_worker = f.member(other_school, "worker")
    rule(other_school, other_worker)
    order(other_school)
    mine = order(school)
    assert numbers(login(worker).get(URL)) == [mine.number]


def test_the_page_keeps_a_constant_number_of_queries(school: Any, worker: Any) -> None:
    client = login(worker)
    order(school, contact_phone="13800000002")
    client.get(URL)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for i in range(6):
        order(
            school,
            room=room_in(school, f"楼{i}"),
            urgency=Urgency.URGENT if i % 2 else Urgency.NORMAL,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["cards"]) == 7
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_durations_read_like_a_worker_says_them() -> None:
    assert span(12 * 60) == "12 min"
    assert span(-(3 * 3600 + 15 * 60)) == "3 h 15 min"
    assert span(2 * 86400 + 3 * 3600) == "2 d 3 h"


def test_done_orders_are_recent_only(school: Any, worker: Any) -> None:
    wo = order(school)
    wo = work_order_start(actor=worker, order=wo)
    wo = work_order_finish(actor=worker, order=wo, work_notes="修好")
    WorkOrder.objects.filter(pk=wo.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert numbers(login(worker).get(URL, {"tab": "done"})) == []
