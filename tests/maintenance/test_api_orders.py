"""``/api/v1/work-orders/``: list, retrieve, create and every action, with the refusals."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.core.attachments.models import Attachment
from houqin.maintenance.choices import OrderSource, OrderStatus
from houqin.maintenance.models import MaintenanceTeam, WorkOrder
from houqin.maintenance.services.orders import work_order_accept, work_order_start
from tests import factories as f
from tests.api.conftest import token_client

from .factories import api_world, category, order, png

pytestmark = pytest.mark.django_db
S = OrderStatus
BASE = "/api/v1/work-orders/"


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    world: SimpleNamespace = api_world(school)
    return world


def url(wo: WorkOrder, step: str = "") -> str:
    return f"{BASE}{wo.pk}/{step + '/' if step else ''}"


def error(response: Any) -> str:
    body = response.json()
    assert response.status_code == 400, body
    message: str = body["error"]["message"]
    return message


def test_the_whole_life_of_an_order_through_the_api(w: SimpleNamespace) -> None:
    wo = order(w.school, requester=w.teacher, room=w.room)
    assert wo.status == S.ASSIGNED
    accepted = w.as_worker.post(url(wo, "accept"))
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["accepted_at"] and accepted.json()["responded_on_time"] is True
    started = w.as_worker.post(url(wo, "start"), {})
    assert started.json()["status"] == S.IN_PROGRESS
    held = w.as_worker.post(url(wo, "hold"), {"reason": "parts", "note": "等电容"})
    assert held.json()["status"] == S.ON_HOLD and held.json()["hold_reason"] == "parts"
    assert w.as_worker.post(url(wo, "start"), {}).json()["status"] == S.IN_PROGRESS
    finished = w.as_worker.post(
        url(wo, "finish"),
        {
            "work_notes": "换电容",
            "labour_minutes": 30,
            "parts": [{"name": "电容", "quantity": "2", "unit": "个", "unit_price": "4.50"}],
            "contractor": "",
            "contractor_cost": "10.00",
        },
    )
    body = finished.json()
    assert finished.status_code == 200, body
    assert body["status"] == S.AWAITING_VERIFICATION
    assert body["parts_cost"] == "9.00" and body["total_cost"] == "19.00"
    assert [p["name"] for p in body["parts"]] == ["电容"]
    # The requester has no view_workorder, yet reaches their own order.
    assert w.as_teacher.get(url(wo)).status_code == 200
    verified = w.as_teacher.post(url(wo, "verify"), {"accepted": True, "comment": "好了"})
    assert verified.json()["status"] == S.COMPLETED
    rated = w.as_teacher.post(url(wo, "rate"), {"rating": 5, "comment": "很快"})
    assert rated.status_code == 200 and rated.json()["status"] == S.RATED
    wo.refresh_from_db()
    assert wo.rating == 5 and wo.rating_comment == "很快"


def test_the_detail_shows_the_clock_parts_and_linked_requests(w: SimpleNamespace) -> None:
    from houqin.maintenance.services.requests import repair_request_submit

    request = repair_request_submit(
        actor=w.teacher,
        school_id=w.school.pk,
        room=w.room,
        category=category("electric"),
        description="灯不亮",
    )
    body = w.as_director.get(url(request.work_order)).json()
    assert body["request_numbers"] == [request.number]
    assert body["requests"][0]["reporter_name"] == str(w.teacher)
    for field in ("respond_due", "resolve_due", "reported_at", "held_seconds", "overdue"):
        assert field in body
    assert body["overdue"] is False and body["room_label"] == str(w.room)


def test_it_creates_an_office_order_dispatched_by_the_rules(w: SimpleNamespace) -> None:
    created = w.as_director.post(
        BASE,
        {
            "title": "三楼走廊灯管",
            "category": category("electric").pk,
            "room": w.room.pk,
            "urgency": "urgent",
            "checklist": ["灯管", "开关"],
        },
    )
    body = created.json()
    assert created.status_code == 201, body
    assert body["source"] == OrderSource.DIRECT and body["number"].startswith("WX-")
    assert body["assignee"] == w.worker.pk and body["status"] == S.ASSIGNED
    assert [row["item"] for row in body["checklist"]] == ["灯管", "开关"]


def test_it_refuses_a_new_order_without_the_permission_or_with_bad_input(
    w: SimpleNamespace,
) -> None:
    data = {"title": "x", "category": category("electric").pk, "room": w.room.pk}
    assert w.as_teacher.post(BASE, data).status_code == 403
    assert w.as_worker.post(BASE, data).status_code == 403
    other_room = f.RoomFactory()
    bad = w.as_director.post(BASE, {**data, "room": other_room.pk})
    assert bad.status_code == 400 and "room" in bad.json()["error"]["fields"]
    other_team = MaintenanceTeam.objects.create(school=other_room.school, name="外校")
    assert w.as_director.post(BASE, {**data, "team": other_team.pk}).status_code == 400
    teacher_as_worker = w.as_director.post(BASE, {**data, "assignee": w.teacher.pk})
    assert "not a maintenance worker" in error(teacher_as_worker)
    assert not WorkOrder.objects.exists()


def test_a_dispatcher_assigns_and_reassigns(w: SimpleNamespace) -> None:
    other = f.member(w.school, "worker")
    team = MaintenanceTeam.objects.create(school=w.school, name="水电组", leader=other)
    wo = order(w.school, requester=w.teacher, code="water", room=w.room)
    assert wo.status == S.NEW
    assigned = w.as_director.post(url(wo, "assign"), {"assignee": w.worker.pk})
    assert assigned.json()["assignee"] == w.worker.pk
    moved = w.as_director.post(url(wo, "assign"), {"team": team.pk, "reason": "换人"})
    assert moved.json()["team"] == team.pk and moved.json()["assignee"] == other.pk
    assert "Choose a worker or a team" in error(w.as_director.post(url(wo, "assign"), {}))
    assert w.as_worker.post(url(wo, "assign"), {"assignee": w.worker.pk}).status_code == 403
    assert w.as_teacher.post(url(wo, "assign"), {"assignee": w.worker.pk}).status_code == 403


def test_only_the_assigned_worker_accepts_and_nothing_changes_on_refusal(
    w: SimpleNamespace,
) -> None:
    wo = order(w.school, requester=w.teacher, room=w.room)
    stranger = token_client(f.member(w.school, "worker"))
    refused = stranger.post(url(wo, "accept"))
    assert "Only the worker" in error(refused)
    assert refused.json()["error"]["code"] == "maintenance_refused"
    wo.refresh_from_db()
    assert wo.accepted_at is None and wo.status == S.ASSIGNED
    assert w.as_teacher.post(url(wo, "accept")).status_code == 403
    w.as_worker.post(url(wo, "accept"))
    assert "already accepted" in error(w.as_worker.post(url(wo, "accept")))


def test_illegal_moves_and_bad_input_answer_400(w: SimpleNamespace) -> None:
    wo = order(w.school, requester=w.teacher, room=w.room)
    finish = {"work_notes": "修好", "contractor_cost": "0"}
    assert "Start the order" in error(w.as_worker.post(url(wo, "finish"), finish))
    hold = w.as_worker.post(url(wo, "hold"), {"reason": "nonsense"})
    assert "reason" in hold.json()["error"]["fields"]
    assert "reason" in w.as_worker.post(url(wo, "return"), {}).json()["error"]["fields"]
    work_order_start(actor=w.worker, order=wo)
    negative = w.as_worker.post(url(wo, "finish"), {**finish, "labour_minutes": -5})
    assert negative.status_code == 400
    bad_part = w.as_worker.post(url(wo, "finish"), {**finish, "parts": [{"quantity": "0"}]})
    assert bad_part.status_code == 400 and "parts" in bad_part.json()["error"]["fields"]
    wo.refresh_from_db()
    assert wo.status == S.IN_PROGRESS and not wo.parts.exists()
    assert "not waiting for verification" in error(
        w.as_teacher.post(url(wo, "verify"), {"accepted": True})
    )
    assert "Only a completed repair" in error(w.as_teacher.post(url(wo, "rate"), {"rating": 4}))
    assert w.as_teacher.post(url(wo, "rate"), {"rating": 9}).status_code == 400


def test_the_worker_returns_an_order_to_the_dispatcher(w: SimpleNamespace) -> None:
    wo = order(w.school, requester=w.teacher, room=w.room)
    returned = w.as_worker.post(url(wo, "return"), {"reason": "不是电的问题"})
    assert returned.status_code == 200, returned.json()
    assert returned.json()["status"] == S.RETURNED and returned.json()["assignee"] is None


def test_finish_takes_photos_as_multipart(w: SimpleNamespace) -> None:
    wo = order(w.school, requester=w.teacher, room=w.room)
    work_order_accept(actor=w.worker, order=wo)
    work_order_start(actor=w.worker, order=wo)
    response = w.as_worker.post(
        url(wo, "finish"),
        {
            "work_notes": "换灯管",
            "labour_minutes": "20",
            "parts": '[{"name": "灯管", "quantity": "1", "unit_price": "12"}]',
            "photos": [png()],
        },
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["parts_cost"] == "12.00"
    assert Attachment.objects.filter(object_id=wo.pk, description="After repair").count() == 1
    bad_json = w.as_worker.post(url(wo, "finish"), {"parts": "[oops"}, format="multipart")
    assert "parts" in bad_json.json()["error"]["fields"]


def test_a_non_image_photo_is_refused_with_nothing_saved(w: SimpleNamespace) -> None:
    wo = order(w.school, requester=w.teacher, room=w.room)
    work_order_start(actor=w.worker, order=wo)
    fake = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    response = w.as_worker.post(
        url(wo, "finish"), {"work_notes": "好了", "photos": [fake]}, format="multipart"
    )
    assert response.status_code == 400
    wo.refresh_from_db()
    assert wo.status == S.IN_PROGRESS and not wo.work_notes
    assert not Attachment.objects.filter(object_id=wo.pk).exists()


def test_the_requester_cancels_their_own_order_before_work_starts(w: SimpleNamespace) -> None:
    wo = order(w.school, requester=w.teacher, room=w.room)
    assert "reason" in w.as_teacher.post(url(wo, "cancel"), {}).json()["error"]["fields"]
    cancelled = w.as_teacher.post(url(wo, "cancel"), {"reason": "自己修好了"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == S.CANCELLED
    started = order(w.school, requester=w.teacher, room=w.room)
    work_order_start(actor=w.worker, order=started)
    assert "may not cancel" in error(w.as_teacher.post(url(started, "cancel"), {"reason": "x"}))
    assert w.as_director.post(url(started, "cancel"), {"reason": "重复"}).status_code == 200


def test_other_members_do_not_reach_an_order_that_is_not_theirs(w: SimpleNamespace) -> None:
    wo = order(w.school, requester=w.teacher, room=w.room)
    colleague = token_client(f.member(w.school, "teacher"))
    assert colleague.get(BASE).status_code == 403  # no view_workorder
    assert colleague.get(url(wo)).status_code == 404
    assert colleague.post(url(wo, "cancel"), {"reason": "x"}).status_code == 404
    assert w.as_teacher.get(BASE).status_code == 403


def test_another_schools_order_is_not_found(w: SimpleNamespace, other_school: Any) -> None:
    theirs = order(other_school)
    for step in ("", "accept", "assign", "cancel", "verify"):
        method = w.as_director.get if not step else w.as_director.post
        assert method(url(theirs, step)).status_code == 404, step
    ids = [row["id"] for row in w.as_director.get(BASE).json()["results"]]
    assert theirs.pk not in ids


def test_the_list_filters_and_orders(w: SimpleNamespace) -> None:
    late = order(w.school, requester=w.teacher, room=w.room, urgency="urgent")
    WorkOrder.objects.filter(pk=late.pk).update(
        respond_due=timezone.now() - datetime.timedelta(hours=1)
    )
    water = order(w.school, requester=w.teacher, code="water")
    listed = w.as_director.get(BASE).json()
    assert listed["count"] == 2 and {r["id"] for r in listed["results"]} == {late.pk, water.pk}

    def ids(query: str) -> list[int]:
        response = w.as_director.get(f"{BASE}?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("overdue=1") == [late.pk]
    assert ids("overdue=0") == [water.pk]
    assert ids(f"category={category('water').pk}") == [water.pk]
    assert ids("urgency=urgent") == [late.pk]
    assert ids(f"building={w.room.building_id}") == [late.pk]
    assert ids(f"assignee={w.worker.pk}") == [late.pk]
    assert ids("status=new") == [water.pk]
    assert w.as_worker.get(f"{BASE}?mine=1").json()["results"][0]["id"] == late.pk
    assert w.as_worker.get(f"{BASE}?mine=1").json()["count"] == 1
    today = timezone.localdate().isoformat()
    assert len(ids(f"reported_after={today}&reported_before={today}")) == 2
    assert ids("reported_after=2099-01-01") == []
    assert ids("ordering=number") == sorted([late.pk, water.pk])
    assert w.as_director.get(f"{BASE}?room=999999999999999999999").status_code == 400


def test_the_list_runs_a_constant_number_of_queries(w: SimpleNamespace) -> None:
    order(w.school, requester=w.teacher, room=w.room)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert w.as_director.get(BASE).status_code == 200
        return len(queries)

    count()  # the token's first use is recorded once
    one = count()
    for n in range(6):
        room = f.RoomFactory(building__campus__school=w.school)
        order(w.school, requester=w.teacher, room=room, code="water" if n % 2 else "electric")
    assert count() == one
