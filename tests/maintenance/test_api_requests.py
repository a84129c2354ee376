"""``/api/v1/repair-requests/`` and ``/api/v1/repair-categories/``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.core.attachments.models import Attachment
from houqin.maintenance.choices import Channel, OrderStatus, RequestStatus
from houqin.maintenance.models import MaintenanceSettings, RepairRequest, WorkOrder
from houqin.maintenance.services.requests import repair_request_submit
from tests import factories as f
from tests.api.conftest import token_client

from .factories import api_world, category, order, png

pytestmark = pytest.mark.django_db
R = RequestStatus
BASE = "/api/v1/repair-requests/"


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    world: SimpleNamespace = api_world(school)
    return world


def report(w: SimpleNamespace, **extra: Any) -> dict[str, Any]:
    return {
        "room": w.room.pk,
        "category": category("electric").pk,
        "description": "电扇不转了",
        "phone": "13800138000",
        **extra,
    }


def portal_request(w: SimpleNamespace) -> RepairRequest:
    MaintenanceSettings.objects.update_or_create(
        school=w.school, defaults={"portal_needs_triage": True}
    )
    return repair_request_submit(
        actor=None,
        school_id=w.school.pk,
        room=w.room,
        category=category("electric"),
        description="宿舍灯坏了",
        reporter_name="李同学",
        channel=Channel.PORTAL,
        source_address="10.0.0.9",
    )


def test_a_teacher_reports_and_the_order_is_dispatched(w: SimpleNamespace) -> None:
    created = w.as_teacher.post(BASE, report(w))
    body = created.json()
    assert created.status_code == 201, body
    assert body["number"].startswith("BX-") and body["status"] == R.OPEN
    assert body["channel"] == Channel.STAFF and body["reporter"] == w.teacher.pk
    order = WorkOrder.objects.get(pk=body["work_order"])
    assert order.assignee == w.worker and order.requester == w.teacher
    assert body["work_order_number"] == order.number
    # The teacher follows it: the request, and the order through the work-orders API.
    assert w.as_teacher.get(f"{BASE}{body['id']}/").status_code == 200
    assert w.as_teacher.get(f"/api/v1/work-orders/{order.pk}/").status_code == 200


def test_photos_come_as_multipart(w: SimpleNamespace) -> None:
    created = w.as_teacher.post(
        BASE, {**report(w), "photos": [png(), png("b.png")]}, format="multipart"
    )
    assert created.status_code == 201, created.json()
    assert Attachment.objects.filter(object_id=created.json()["id"]).count() == 2


def test_a_refused_photo_saves_nothing(w: SimpleNamespace) -> None:
    fake = SimpleUploadedFile("x.png", b"%PDF-1.4 not a photo", content_type="image/png")
    refused = w.as_teacher.post(BASE, {**report(w), "photos": [fake]}, format="multipart")
    assert refused.status_code == 400
    assert "only photos" in refused.json()["error"]["message"]
    assert not RepairRequest.objects.exists() and not WorkOrder.objects.exists()


def test_bad_input_is_refused_with_a_message(w: SimpleNamespace) -> None:
    missing = w.as_teacher.post(BASE, {"room": w.room.pk})
    assert missing.status_code == 400
    assert {"category", "description"} <= set(missing.json()["error"]["fields"])
    phone = w.as_teacher.post(BASE, report(w, phone="call me"))
    assert phone.status_code == 400 and "phone" in phone.json()["error"]["message"]
    other_room = f.RoomFactory()
    elsewhere = w.as_teacher.post(BASE, report(w, room=other_room.pk))
    assert "room" in elsewhere.json()["error"]["fields"]
    assert not RepairRequest.objects.exists()


def test_a_request_joins_an_open_order(w: SimpleNamespace) -> None:
    earlier = order(w.school, room=w.room)
    joined = w.as_teacher.post(BASE, report(w, join_order=earlier.pk))
    assert joined.status_code == 201, joined.json()
    assert joined.json()["status"] == R.JOINED and joined.json()["work_order"] == earlier.pk
    assert WorkOrder.objects.count() == 1


def test_members_see_their_own_requests_and_the_office_sees_all(w: SimpleNamespace) -> None:
    mine = w.as_teacher.post(BASE, report(w)).json()["id"]
    colleague = f.member(w.school, "teacher")
    theirs = token_client(colleague).post(BASE, report(w)).json()["id"]
    assert [r["id"] for r in w.as_teacher.get(BASE).json()["results"]] == [mine]
    assert w.as_teacher.get(f"{BASE}{theirs}/").status_code == 404
    everything = {r["id"] for r in w.as_director.get(BASE).json()["results"]}
    assert everything == {mine, theirs}
    assert [r["id"] for r in w.as_director.get(f"{BASE}?mine=1").json()["results"]] == []
    nobody = token_client(f.member_without_permissions(w.school))
    assert nobody.get(BASE).status_code == 403


def test_another_schools_request_is_not_found(w: SimpleNamespace, other_school: Any) -> None:
    room = f.RoomFactory(building__campus__school=other_school)
    stranger = f.member(other_school, "teacher")
    theirs = repair_request_submit(
        actor=stranger,
        school_id=other_school.pk,
        room=room,
        category=category("water"),
        description="漏水",
    )
    assert w.as_director.get(f"{BASE}{theirs.pk}/").status_code == 404
    assert w.as_director.post(f"{BASE}{theirs.pk}/triage/", {"decision": "accept"}).status_code == (
        404
    )
    assert theirs.pk not in {r["id"] for r in w.as_director.get(BASE).json()["results"]}


def test_the_director_triages_portal_requests(w: SimpleNamespace) -> None:
    waiting = portal_request(w)
    assert waiting.status == R.TRIAGE
    url = f"{BASE}{waiting.pk}/triage/"
    assert token_client(w.worker).post(url, {"decision": "accept"}).status_code == 403
    no_reason = w.as_director.post(url, {"decision": "reject"})
    assert no_reason.status_code == 400 and "why" in no_reason.json()["error"]["message"]
    accepted = w.as_director.post(url, {"decision": "accept"})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == R.OPEN
    assert WorkOrder.objects.get(pk=accepted.json()["work_order"]).status == OrderStatus.ASSIGNED
    again = w.as_director.post(url, {"decision": "accept"})
    assert "not waiting for triage" in again.json()["error"]["message"]

    other = portal_request(w)
    earlier = WorkOrder.objects.get(pk=accepted.json()["work_order"])
    joined = w.as_director.post(
        f"{BASE}{other.pk}/triage/", {"decision": "join", "order": earlier.pk}
    )
    assert joined.json()["status"] == R.JOINED and joined.json()["work_order"] == earlier.pk
    third = portal_request(w)
    rejected = w.as_director.post(
        f"{BASE}{third.pk}/triage/", {"decision": "reject", "reason": "重复报修"}
    )
    assert rejected.json()["status"] == R.REJECTED
    assert rejected.json()["reject_reason"] == "重复报修"


def test_the_list_runs_a_constant_number_of_queries(w: SimpleNamespace) -> None:
    w.as_teacher.post(BASE, report(w))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert w.as_director.get(BASE).status_code == 200
        return len(queries)

    count()
    one = count()
    for n in range(5):
        room = f.RoomFactory(building__campus__school=w.school)
        w.as_teacher.post(BASE, report(w, room=room.pk, description=f"第{n}个"))
    assert count() == one


def test_every_member_reads_the_repair_categories(w: SimpleNamespace) -> None:
    listed = w.as_teacher.get("/api/v1/repair-categories/")
    assert listed.status_code == 200
    codes = {row["code"] for row in listed.json()["results"]}
    assert {"electric", "water"} <= codes
    nobody = token_client(f.member_without_permissions(w.school))
    assert nobody.get("/api/v1/repair-categories/").status_code == 403


def test_duplicates_show_the_open_orders_for_the_same_fault(w: SimpleNamespace) -> None:
    earlier = order(w.school, room=w.room)
    url = f"{BASE}duplicates/"
    query = f"?room={w.room.pk}&category={category('electric').pk}"
    found = w.as_teacher.get(url + query).json()
    assert found["count"] == 1 and found["results"][0]["number"] == earlier.number
    assert (
        w.as_teacher.get(f"{url}?room={w.room.pk}&category={category('water').pk}").json()["count"]
        == 0
    )
    assert w.as_teacher.get(url).json() == {"count": 0, "results": []}
    other_room = f.RoomFactory()
    assert w.as_teacher.get(f"{url}?room={other_room.pk}&category=1").status_code == 400
    huge = w.as_teacher.get(f"{url}?room=99999999999999999999999&category=1")
    assert huge.status_code == 400
    assert w.as_teacher.post(BASE, report(w, room=99999999999999999999999)).status_code == 400
